"""Activities: the events of a project (workshops, trainings, study visits, on-site visits, …)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projects_api.database import Base, Timestamped
from projects_api.organisations.models import Organisation


class Activity(Timestamped, Base):
    __tablename__ = "activity"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    facility_type: Mapped[str | None] = mapped_column(String(30))
    facility_name: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    place: Mapped[str | None] = mapped_column(Text)
    country_code: Mapped[str | None] = mapped_column(String(2))
    is_illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    participants: Mapped[list[ActivityParticipant]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ActivityParticipant.position"
    )

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        Index("ix_activity_project_start", "project_id", "start_date"),
        Index("ix_activity_kind", "kind"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", "dates"),
        CheckConstraint("(kind = 'on-site-visit') OR facility_type IS NULL", "facility_only_on_visits"),
    )


class ActivityParticipant(Base):
    """How many people of one institution took part, by sex."""

    __tablename__ = "activity_participant"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    women: Mapped[int] = mapped_column(default=0)
    men: Mapped[int] = mapped_column(default=0)
    unspecified: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    organisation: Mapped[Organisation] = relationship(lazy="raise")

    __table_args__ = (CheckConstraint("women >= 0 AND men >= 0 AND unspecified >= 0", "counts"),)
