"""Project results frameworks: results, the indicators that measure them, baselines and targets."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry_kit.narratives import default_map
from reporting_api.database import Base, Timestamped
from reporting_api.indicators.models import Indicator

VALUE = Numeric(20, 4)


class Result(Timestamped, Base):
    __tablename__ = "result"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(10))  # output, outcome, impact (IATI result types 1, 2, 3)
    title: Mapped[str] = mapped_column(Text)  # in `language`; `titles` holds it and every other language
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    titles: Mapped[dict[str, str]] = mapped_column(JSONB, default=default_map("title"), server_default="{}")
    descriptions: Mapped[dict[str, str]] = mapped_column(JSONB, default=default_map("description"), server_default="{}")
    position: Mapped[int] = mapped_column(default=0)
    is_illustrative: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    indicators: Mapped[list[ProjectIndicator]] = relationship(
        back_populates="result", lazy="raise", cascade="all, delete-orphan", order_by="ProjectIndicator.position"
    )

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}


class ProjectIndicator(Timestamped, Base):
    """An indicator in a project's results framework, with its baseline."""

    __tablename__ = "project_indicator"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    result_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("result.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("indicator.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # One reporting frequency (periods.FREQUENCIES): its values are only in reports of that period type, so they
    # never sit in two periods that overlap.
    frequency: Mapped[str] = mapped_column(String(20))
    baseline_value: Mapped[Decimal | None] = mapped_column(VALUE)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    baseline_note: Mapped[str | None] = mapped_column(Text)

    result: Mapped[Result] = relationship(back_populates="indicators", lazy="raise")
    indicator: Mapped[Indicator] = relationship(lazy="raise")
    targets: Mapped[list[Target]] = relationship(
        back_populates="project_indicator",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by=lambda: (Target.period_start.asc().nulls_first(), Target.disaggregation_key),
    )

    __table_args__ = (UniqueConstraint("project_id", "indicator_id"),)


class Target(Base):
    """A target: overall (no period) or for a period; for the total or for one disaggregation value."""

    __tablename__ = "target"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_indicator.id", ondelete="CASCADE"))
    period_code: Mapped[str] = mapped_column(String(40), default="")  # "" is the overall target
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    disaggregation: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    disaggregation_key: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[Decimal] = mapped_column(VALUE)

    project_indicator: Mapped[ProjectIndicator] = relationship(back_populates="targets", lazy="raise")

    __table_args__ = (UniqueConstraint("project_indicator_id", "period_code", "disaggregation_key"),)
