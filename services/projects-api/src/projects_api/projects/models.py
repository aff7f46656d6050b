"""Projects and what hangs off them: countries, locations, themes, sectors, participating organisations."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import DATERANGE, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projects_api.database import Base, Timestamped
from projects_api.organisations.models import Organisation
from registry_kit.narratives import default_map


class Project(Timestamped, Base):
    __tablename__ = "project"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)  # in `language`; `titles` holds it and every other language
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    titles: Mapped[dict[str, str]] = mapped_column(JSONB, default=default_map("title"), server_default="{}")
    descriptions: Mapped[dict[str, str]] = mapped_column(JSONB, default=default_map("description"), server_default="{}")
    # The organisation that publishes the project to IATI (its identifier prefixes `code`).
    reporting_org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    planned_start: Mapped[date | None]
    planned_end: Mapped[date | None]
    actual_start: Mapped[date | None]
    actual_end: Mapped[date | None]
    is_public: Mapped[bool] = mapped_column(default=False, index=True)  # publication is chosen, never assumed
    is_illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    active: Mapped[object | None] = mapped_column(
        DATERANGE,
        Computed(
            # No start date: unknown when it ran, so no year filter matches it (NULL), rather than every one.
            "CASE WHEN coalesce(actual_start, planned_start) IS NULL THEN NULL "
            "ELSE daterange(coalesce(actual_start, planned_start), coalesce(actual_end, planned_end), '[]') END",
            persisted=True,
        ),
        deferred=True,
    )
    search: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed(
            "to_tsvector('simple', coalesce(code, '') || ' ' || coalesce(title, '') || ' ' "
            "|| coalesce(description, ''))",
            persisted=True,
        ),
        deferred=True,
    )

    countries: Mapped[list[ProjectCountry]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ProjectCountry.country_code"
    )
    locations: Mapped[list[ProjectLocation]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ProjectLocation.name"
    )
    themes: Mapped[list[ProjectTheme]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ProjectTheme.theme_code"
    )
    sectors: Mapped[list[ProjectSector]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ProjectSector.sector_code"
    )
    participants: Mapped[list[ProjectParticipant]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ProjectParticipant.position"
    )
    reporting_org: Mapped[Organisation | None] = relationship(lazy="raise", foreign_keys=[reporting_org_id])

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        Index("ix_project_active", "active", postgresql_using="gist"),
        Index("ix_project_search", "search", postgresql_using="gin"),
        Index("ix_project_created_at", "created_at"),
        Index("ix_project_title", "title"),
        CheckConstraint("planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start", "planned"),
        CheckConstraint("actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start", "actual"),
    )


class ProjectCountry(Base):
    __tablename__ = "project_country"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    percentage: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    __table_args__ = (
        Index("ix_project_country_country", "country_code", "project_id"),
        CheckConstraint("percentage > 0 AND percentage <= 100", "percentage"),
    )


class ProjectLocation(Base):
    """A place inside a recipient country, e.g. Tbilisi or the region bordering Abkhazia."""

    __tablename__ = "project_location"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    country_code: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(Text)
    admin_area: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))


class ProjectTheme(Base):
    __tablename__ = "project_theme"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    theme_code: Mapped[str] = mapped_column(String(40), primary_key=True)

    __table_args__ = (Index("ix_project_theme_theme", "theme_code", "project_id"),)


class ProjectSector(Base):
    __tablename__ = "project_sector"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    sector_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    percentage: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    __table_args__ = (Index("ix_project_sector_sector", "sector_code", "project_id"),)


class ProjectParticipant(Base):
    __tablename__ = "project_participant"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    organisation: Mapped[Organisation] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("project_id", "organisation_id", "role"),
        Index("ix_project_participant_org", "organisation_id", "role", "project_id"),
        Index("ix_project_participant_project", "project_id"),
    )
