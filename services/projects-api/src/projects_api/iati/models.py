"""IATI import jobs: a file too large to import within the request, queued with its upload, run by a worker."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, LargeBinary, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, deferred, mapped_column

from projects_api.database import Base


class IatiImportJob(Base):
    """`queued` until a worker claims it (SKIP LOCKED), `running` while it heartbeats, then `done` or `failed`.
    The upload is kept until the job ends; a running job whose heartbeat is stale is claimed again."""

    __tablename__ = "iati_import_job"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    dry_run: Mapped[bool] = mapped_column(default=True)
    filename: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    activities_total: Mapped[int] = mapped_column(default=0)
    activities_done: Mapped[int] = mapped_column(default=0)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(default=0)
    # The uploader's bearer token (their rights are checked again when the job runs); erased when it ends.
    token: Mapped[str | None] = deferred(mapped_column(Text))
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (Index("ix_iati_import_job_status_created_at", "status", "created_at"),)
