"""Tables the database keeps for the hot reads (migration 0016): written only by its triggers, never by this code.

A list page and a detail used to gather each project's countries, themes, sectors, locations and funders with
correlated subqueries and parse them again in Python on every request. These tables hold each project's answer as
JSON text, recomputed inside the transaction that changes any of its rows (the same statement-level triggers and
row-lock order as the funding cube), so a read passes the text through:

- `project_listing`: a project's list item (ProjectSummary's JSON).
- `project_listing_country`: the same item once per recipient country, keyed (country, code, id): a page of one
  country's list in code order is one range of the key (the issue's most common list request), whatever the size.
- `project_country_count`: how many projects each country has, for everyone and for the public, kept with them.
- `project_document`: a project's whole detail (renaming an organisation rewrites the documents of every project it
  takes part in: IOM, accountable for all of them, rewrites them all, about a millisecond each).
- `reference_label`: the names of countries, themes and sectors the JSON shows (pycountry's and the reference
  data's; test_read_tables checks they are the ones the code knows).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from projects_api.database import Base


class ReferenceLabel(Base):
    __tablename__ = "reference_label"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # country, theme, sector
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class ProjectListing(Base):
    __tablename__ = "project_listing"

    project_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(Text)


class ProjectListingCountry(Base):
    __tablename__ = "project_listing_country"

    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    is_public: Mapped[bool]
    item: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_project_listing_country_project", "project_id"),)


class ProjectCountryCount(Base):
    __tablename__ = "project_country_count"

    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    projects: Mapped[int]
    public_projects: Mapped[int]


class ProjectDocument(Base):
    __tablename__ = "project_document"

    project_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
