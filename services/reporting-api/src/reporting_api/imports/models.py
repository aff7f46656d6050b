"""Import jobs: one uploaded file, its options, progress and summary; the file itself, kept until the job ends.

A job is a queue entry: `queued` until a worker of any replica claims it (`claimed_by`, `heartbeat_at`), `running`
while that worker heartbeats, `done` or `failed` at the end. A `running` job whose heartbeat is stale lost its
worker and is claimed again; the upload is still in `import_upload`, and a file applies all-or-nothing in one
transaction that also marks the job done, so running it again never applies it twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from reporting_api.database import Base, Timestamped


class ImportJob(Base):
    __tablename__ = "import_job"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued, running, done, failed
    file_format: Mapped[str] = mapped_column(String(10))
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    # SHA-256 of the file and the options it came with: the same key with anything else is refused (422).
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The queue: which worker holds the job and when it last said so; how many times it was claimed.
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # No credential is kept: the worker acts for `created_by` with reporting-api's own API client (token exchange).

    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (
        UniqueConstraint("created_by", "idempotency_key"),
        Index("ix_import_job_status_created_at", "status", "created_at"),
    )


class ImportUpload(Base):
    """The uploaded file of a queued or running job, in chunks, so any replica can run it after a restart."""

    __tablename__ = "import_upload"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_job.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Dhis2Mapping(Timestamped, Base):
    """What a DHIS2 identifier means here, kept by admins: an orgUnit is a project or a country, a dataElement an
    indicator, a categoryOptionCombo a disaggregation ({} for the total). Matched by UID, or by code when an import
    says idScheme=code."""

    __tablename__ = "dhis2_mapping"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(20))
    dhis2_id: Mapped[str] = mapped_column(String(11))
    dhis2_code: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(Text)
    project_id: Mapped[uuid.UUID | None] = mapped_column()
    country_code: Mapped[str | None] = mapped_column(String(2))
    indicator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    disaggregation: Mapped[dict[str, str] | None] = mapped_column(JSONB(none_as_null=True))
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[str] = mapped_column(String(200))

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        UniqueConstraint("kind", "dhis2_id"),
        Index(
            "uq_dhis2_mapping_kind_dhis2_code",
            "kind",
            "dhis2_code",
            unique=True,
            postgresql_where=text("dhis2_code IS NOT NULL"),
        ),
        CheckConstraint(
            "(kind = 'orgUnit' AND num_nonnulls(project_id, country_code) = 1 AND indicator_id IS NULL "
            "AND disaggregation IS NULL) OR (kind = 'dataElement' AND indicator_id IS NOT NULL "
            "AND num_nonnulls(project_id, country_code, disaggregation) = 0) OR (kind = 'categoryOptionCombo' "
            "AND disaggregation IS NOT NULL AND num_nonnulls(project_id, country_code, indicator_id) = 0)",
            name="one_target",
        ),
    )
