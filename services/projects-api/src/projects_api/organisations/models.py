"""Organisations: donors, IOM offices, partner and beneficiary institutions."""

from __future__ import annotations

import uuid

from sqlalchemy import Computed, ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from projects_api.database import Base, Timestamped


class Organisation(Timestamped, Base):
    __tablename__ = "organisation"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(Text)
    acronym: Mapped[str | None] = mapped_column(String(40))
    iati_identifier: Mapped[str | None] = mapped_column(String(100), unique=True)
    org_type: Mapped[str] = mapped_column(String(2))
    country_code: Mapped[str | None] = mapped_column(String(2), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    is_illustrative: Mapped[bool] = mapped_column(default=False)
    # The language of its projects' texts unless a project says otherwise (ISO 639-1).
    default_language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    # Created by an IATI import from a partner's file: someone should check it.
    needs_review: Mapped[bool] = mapped_column(default=False, server_default="false")
    # A department of its parent (a ministry's department): funding figures count and name it under the parent.
    is_department: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    version: Mapped[int] = mapped_column(default=1)
    search: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed(
            "to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(acronym, '') || ' ' "
            "|| coalesce(iati_identifier, ''))",
            persisted=True,
        ),
        deferred=True,
    )

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        Index("ix_organisation_search", "search", postgresql_using="gin"),
        Index("ix_organisation_lower_name", func.lower(name)),
    )
