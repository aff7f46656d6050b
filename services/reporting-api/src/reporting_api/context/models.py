"""Context series: country figures not tied to a project; points, ranges, or shares of another series."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reporting_api.database import Base, Timestamped

VALUE = Numeric(20, 4)


class ContextSeries(Timestamped, Base):
    __tablename__ = "context_series"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    country_code: Mapped[str | None] = mapped_column(String(2), index=True)  # None: world
    location: Mapped[str | None] = mapped_column(Text)  # sub-national area, if any
    unit: Mapped[str] = mapped_column(String(40), default="persons")
    # A share series has no values of its own: numerator / denominator, computed per period.
    numerator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("context_series.id"))
    denominator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("context_series.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (CheckConstraint("(numerator_id IS NULL) = (denominator_id IS NULL)", name="share_has_both"),)


class ContextValue(Timestamped, Base):
    """A point (`value`) or a range (`low`, `high`) for a period, with its source."""

    __tablename__ = "context_value"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    series_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("context_series.id", ondelete="CASCADE"))
    period_code: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    value: Mapped[Decimal | None] = mapped_column(VALUE)
    low: Mapped[Decimal | None] = mapped_column(VALUE)
    high: Mapped[Decimal | None] = mapped_column(VALUE)
    source: Mapped[str] = mapped_column(Text)
    published_on: Mapped[date | None] = mapped_column(Date)
    confidence: Mapped[str] = mapped_column(String(8), default="medium")  # high, medium, low
    note: Mapped[str | None] = mapped_column(Text)
    is_illustrative: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        UniqueConstraint("series_id", "period_code"),
        Index("ix_context_value_series_start", "series_id", "period_start"),
        CheckConstraint(
            "(value IS NOT NULL AND low IS NULL AND high IS NULL) OR "
            "(value IS NULL AND low IS NOT NULL AND high IS NOT NULL AND low <= high)",
            name="point_or_range",
        ),
    )
