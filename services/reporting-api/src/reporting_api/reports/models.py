"""Reports: a project's submission for one period, its values, workflow events, value audit and attachments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from reporting_api.database import Base, Timestamped

VALUE = Numeric(20, 4)


class Report(Timestamped, Base):
    __tablename__ = "report"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    period_code: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft, submitted, approved, returned
    narrative: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)  # the approver's comment when returned
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str | None] = mapped_column(String(200))
    is_illustrative: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    values: Mapped[list[ReportValue]] = relationship(
        back_populates="report", lazy="raise", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        UniqueConstraint("project_id", "period_code"),
        Index("ix_report_status_period", "status", "period_start"),
    )


class ReportValue(Base):
    """One value of a report: the total (empty disaggregation) or one disaggregation combination."""

    __tablename__ = "report_value"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    project_indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_indicator.id"), index=True)
    disaggregation: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    disaggregation_key: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[Decimal | None] = mapped_column(VALUE)
    numerator: Mapped[Decimal | None] = mapped_column(VALUE)
    denominator: Mapped[Decimal | None] = mapped_column(VALUE)
    text_value: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    # On a total: the reporter says the disaggregations are incomplete (not refused, flagged).
    incomplete: Mapped[bool] = mapped_column(default=False)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    report: Mapped[Report] = relationship(back_populates="values", lazy="raise")

    __mapper_args__ = {"eager_defaults": True}

    __table_args__ = (UniqueConstraint("report_id", "project_indicator_id", "disaggregation_key"),)


class ReportEvent(Base):
    """A step of the workflow: created, submitted, approved, returned, reopened."""

    __tablename__ = "report_event"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(12))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    actor: Mapped[str] = mapped_column(String(200))
    actor_name: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ValueAudit(Base):
    """Every change of a value: who, when, before and after. The values an import creates in a report it creates are
    one row for the report (action `import`), shown by the history as one `create` per value as created (derived from
    later changes and the values now: reports.repository.as_created, migration e5c1a7d90b24; rows written before it
    list them in `after`, migration d16e0f1a2b3c)."""

    __tablename__ = "value_audit"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    project_indicator_id: Mapped[uuid.UUID | None] = mapped_column()
    disaggregation_key: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(8))  # create, update, delete, import
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | list[Any] | None] = mapped_column(JSONB)
    actor: Mapped[str] = mapped_column(String(200))
    # The name the actor's token carried: histories show people, not "user:5b0c…" (none on rows from before).
    actor_name: Mapped[str | None] = mapped_column(Text)
    via: Mapped[str] = mapped_column(String(10), default="api")  # api, import
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint(
            "(action = 'import') = (project_indicator_id IS NULL AND disaggregation_key IS NULL)",
            "one_value_or_an_import",
        ),
    )


class ReportSubmission(Base):
    """The values and narrative of a report as they were submitted, once per submission: an approver sees what
    changed since the last time the report was in front of them."""

    __tablename__ = "report_submission"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    submitted_by: Mapped[str] = mapped_column(String(200))
    narrative: Mapped[str | None] = mapped_column(Text)
    # [{"project_indicator_id", "disaggregation_key", "disaggregation", "value", "text_value", …}] (decimal text)
    values: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)

    __table_args__ = (Index("ix_report_submission_report_id", "report_id", "id"),)


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __mapper_args__ = {"eager_defaults": True}
