"""The local copy of projects-api's projects (countries, themes, organisations), kept from its change feed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from reporting_api.database import Base


class ProjectCopy(Base):
    __tablename__ = "project_copy"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(40))
    is_public: Mapped[bool] = mapped_column()
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    source_version: Mapped[int] = mapped_column(default=0)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProjectCountryCopy(Base):
    __tablename__ = "project_country_copy"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_copy.id", ondelete="CASCADE"), primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)
    percentage: Mapped[Decimal] = mapped_column(Numeric(5, 2))


class ProjectThemeCopy(Base):
    __tablename__ = "project_theme_copy"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_copy.id", ondelete="CASCADE"), primary_key=True)
    theme_code: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class ProjectOrganisationCopy(Base):
    __tablename__ = "project_organisation_copy"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_copy.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class RegionCountry(Base):
    """projects-api's regions (reference data), copied with the projects for roll-ups by region."""

    __tablename__ = "region_country"

    region_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    region_name: Mapped[str] = mapped_column(Text)


class SyncState(Base):
    __tablename__ = "sync_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(80))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    projects_seen: Mapped[int] = mapped_column(default=0)
