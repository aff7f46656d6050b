"""IATI import jobs: a large file is stored with its job and imported by a worker in any replica.

The worker claims a queued job (or a running one whose heartbeat went stale: its worker was lost) with
SELECT … FOR UPDATE SKIP LOCKED, reports progress as it goes, and commits the activities and the job's end in one
transaction, so a job that stops half-way leaves nothing applied and runs again. The uploader's rights are checked
again from their token when the job runs."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from projects_api.iati.importer import service as importer
from projects_api.iati.importer.schemas import IatiImportJob, IatiImportSummary
from projects_api.iati.models import IatiImportJob as IatiImportJobRow
from registry_kit.auth import Principal
from registry_kit.errors import AppError, NotFound, Unauthorized
from registry_kit.queue_worker import QueueWorker

logger = logging.getLogger(__name__)
STALE = timedelta(seconds=60)
MAX_ATTEMPTS = 3


async def enqueue(
    session: AsyncSession, principal: Principal, content: bytes, *, dry_run: bool, filename: str | None
) -> IatiImportJobRow:
    job = IatiImportJobRow(
        status="queued",
        dry_run=dry_run,
        filename=(filename or "")[:255] or None,
        created_by=principal.subject,
        activities_total=importer.count_activities(content),
        activities_done=0,
        attempts=0,
        token=principal.token,
        content=content,
    )
    session.add(job)
    await session.flush()
    return job


def job_out(job: IatiImportJobRow) -> IatiImportJob:
    total = max(job.activities_total, 1)
    return IatiImportJob(
        id=job.id,
        status=job.status,
        dry_run=job.dry_run,
        filename=job.filename,
        activities_total=job.activities_total,
        activities_done=job.activities_done,
        progress=1.0 if job.status == "done" else round(min(job.activities_done / total, 1.0), 3),
        summary=IatiImportSummary.model_validate(job.summary) if job.summary else None,
        error=job.error,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


async def get_for(session: AsyncSession, principal: Principal, job_id: uuid.UUID) -> IatiImportJobRow:
    """The job, for its uploader and admins; others get 404 (its existence is not revealed)."""
    job = await session.get(IatiImportJobRow, job_id)
    if job is None or (job.created_by != principal.subject and not principal.is_admin):
        raise NotFound(f"No IATI import job {job_id}.")
    return job


class IatiImportWorker(QueueWorker):
    def __init__(self, app: FastAPI, poll_seconds: float) -> None:
        super().__init__(app, uuid.uuid4().hex[:8], poll_seconds)

    async def _claim(self) -> uuid.UUID | None:
        async with self.maker() as session:
            stale = datetime.now(UTC) - STALE
            job_id = await session.scalar(
                select(IatiImportJobRow.id)
                .where(
                    or_(
                        IatiImportJobRow.status == "queued",
                        (IatiImportJobRow.status == "running") & (IatiImportJobRow.heartbeat_at < stale),
                    )
                )
                .order_by(IatiImportJobRow.created_at)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if job_id is not None:
                await session.execute(
                    update(IatiImportJobRow)
                    .where(IatiImportJobRow.id == job_id)
                    .values(
                        status="running",
                        claimed_by=self.name,
                        heartbeat_at=datetime.now(UTC),
                        attempts=IatiImportJobRow.attempts + 1,
                    )
                )
            await session.commit()
            return job_id

    async def run_next(self) -> bool:
        job_id = await self._claim()
        if job_id is None:
            return False
        try:
            await self._run(job_id)
        except AppError as exc:
            await self._finish(
                job_id,
                "failed",
                error={"title": exc.title, "detail": exc.detail, "errors": [e.model_dump() for e in exc.errors or []]},
            )
        except Exception as exc:
            logger.exception("iati import job failed", extra={"job": str(job_id)})
            await self._finish(job_id, "failed", error={"title": "Internal error", "detail": type(exc).__name__})
        return True

    async def _progress(self, job_id: uuid.UUID) -> Any:
        async def report(done: int) -> None:
            if done % 25 and done > 1:
                return
            async with self.maker() as session:
                await session.execute(
                    update(IatiImportJobRow)
                    .where(IatiImportJobRow.id == job_id, IatiImportJobRow.claimed_by == self.name)
                    .values(activities_done=done, heartbeat_at=datetime.now(UTC))
                )
                await session.commit()

        return report

    async def _run(self, job_id: uuid.UUID) -> None:
        async with self.maker() as session:
            job = await session.scalar(
                select(IatiImportJobRow)
                .where(IatiImportJobRow.id == job_id)
                .options(undefer(IatiImportJobRow.token), undefer(IatiImportJobRow.content))
            )
            if job is None or job.content is None:
                return
            if job.attempts > MAX_ATTEMPTS:
                raise AppError("the import stopped before it finished too many times; nothing was imported")
            principal = await self._principal(job.token)
            summary, to_send = await importer.run(
                session,
                principal,
                job.content,
                dry_run=job.dry_run,
                filename=job.filename,
                progress=await self._progress(job_id),
            )
            await session.commit()
        if to_send:
            await importer.send_results(self.app.state.reporting, principal.token, to_send)
        await self._finish(job_id, "done", summary=summary.model_dump(mode="json"))

    async def _principal(self, token: str | None) -> Principal:
        if not token:
            raise Unauthorized("The uploader's token is gone; upload the file again.")
        try:
            principal: Principal = await self.app.state.verifier.verify(token)
        except AppError as exc:
            raise Unauthorized(
                f"The uploader's rights could not be checked again ({exc.detail}); upload again."
            ) from exc
        return principal

    async def _finish(self, job_id: uuid.UUID, status: str, *, summary: Any = None, error: Any = None) -> None:
        async with self.maker() as session:
            job = await session.get(IatiImportJobRow, job_id)
            if job is not None:
                job.status, job.summary, job.error = status, summary, error
                job.finished_at, job.token, job.content = datetime.now(UTC), None, None
                if summary is not None:
                    job.activities_done = job.activities_total = int(summary["activities"])
                await session.commit()
