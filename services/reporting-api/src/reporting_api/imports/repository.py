"""SQL of the import queue: jobs claimed with SKIP LOCKED, heartbeats, the end of a job, the stored upload."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.uploads import spool
from reporting_api.imports.models import ImportJob, ImportUpload

CHUNK = 1024 * 1024

_CLAIM = text(
    """
    UPDATE import_job j
    SET status = 'running', claimed_by = :worker, heartbeat_at = now(), attempts = j.attempts + 1
    FROM (
        SELECT id FROM import_job
        WHERE status = 'queued'
           OR (status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => :stale)))
        ORDER BY created_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
    ) next
    WHERE j.id = next.id
    RETURNING j.id, j.attempts
    """
)


@dataclass(frozen=True)
class Claim:
    job_id: uuid.UUID
    attempts: int


async def claim(session: AsyncSession, worker: str, stale_seconds: float) -> Claim | None:
    """The oldest queued job, or a running one whose worker went silent, now held by `worker` (the caller commits).
    SKIP LOCKED: two workers claiming at once never get the same job, and neither waits for the other."""
    row = (await session.execute(_CLAIM, {"worker": worker, "stale": stale_seconds})).first()
    return Claim(row[0], row[1]) if row else None


def _held(job_id: uuid.UUID, worker: str) -> Any:
    return (ImportJob.id == job_id, ImportJob.claimed_by == worker, ImportJob.status == "running")


async def heartbeat(session: AsyncSession, job_id: uuid.UUID, worker: str, read: int, done: int) -> bool:
    """The worker is alive, with its progress; False when the job is no longer this worker's."""
    result = await session.execute(
        update(ImportJob)
        .where(*_held(job_id, worker))
        .values(heartbeat_at=text("now()"), rows_total=read, rows_done=done)
        .returning(ImportJob.id)
    )
    return result.first() is not None


async def finish(
    session: AsyncSession, job_id: uuid.UUID, worker: str, status: str, summary: dict[str, Any], rows: int | None
) -> bool:
    """Mark the job done or failed and drop its upload, only if `worker` still holds it (row-locked until the
    caller's commit, so a worker that lost the job cannot apply it too: its import rolls back)."""
    values: dict[str, Any] = {"status": status, "summary": summary, "finished_at": text("now()")}
    if rows is not None:
        values |= {"rows_total": rows, "rows_done": rows}
    result = await session.execute(
        update(ImportJob).where(*_held(job_id, worker)).values(**values).returning(ImportJob.id)
    )
    if result.first() is None:
        return False
    await session.execute(delete(ImportUpload).where(ImportUpload.job_id == job_id))
    return True


async def release(session: AsyncSession, job_id: uuid.UUID, worker: str, *, refund: bool = False) -> None:
    """Back to the queue (a worker shutting down, or a dependency down), for a replica to claim again; `refund`
    gives the claim back, so waiting for projects-api does not use up the job's attempts."""
    values: dict[str, Any] = {"status": "queued", "claimed_by": None, "heartbeat_at": None}
    if refund:
        values["attempts"] = ImportJob.attempts - 1
    await session.execute(update(ImportJob).where(*_held(job_id, worker)).values(**values))


async def job_for_run(session: AsyncSession, job_id: uuid.UUID) -> ImportJob:
    job = await session.get(ImportJob, job_id, populate_existing=True)
    if job is None:
        raise LookupError(job_id)
    return job


async def store_upload(session: AsyncSession, job_id: uuid.UUID, path: Path) -> None:
    """The uploaded file into the database, in chunks, in the request's transaction."""
    with path.open("rb") as stream:
        seq = 0
        while chunk := stream.read(CHUNK):
            await session.execute(insert(ImportUpload).values(job_id=job_id, seq=seq, data=chunk))
            seq += 1


async def upload_to_file(session: AsyncSession, job_id: uuid.UUID, suffix: str) -> Path:
    """The stored upload back into a temporary file for the readers (the caller deletes it)."""
    result = await session.stream(
        select(ImportUpload.data)
        .where(ImportUpload.job_id == job_id)
        .order_by(ImportUpload.seq)
        .execution_options(yield_per=4)
    )
    spooled = await spool((chunk async for (chunk,) in result), prefix="import-job-", suffix=suffix)
    return spooled.path


async def uploader(session: AsyncSession, job_id: uuid.UUID) -> str | None:
    """Who uploaded the job's file (to tell them when it ends)."""
    created_by: str | None = await session.scalar(select(ImportJob.created_by).where(ImportJob.id == job_id))
    return created_by


async def lock_key(session: AsyncSession, holder: str) -> None:
    """A lock on one caller's Idempotency-Key, held to the end of the transaction: requests with the same key wait
    for each other."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:holder, 12))"), {"holder": holder})


async def job_by_key(session: AsyncSession, subject: str, key: str) -> ImportJob | None:
    """The import this caller made with this Idempotency-Key, if any."""
    return await session.scalar(
        select(ImportJob).where(ImportJob.created_by == subject, ImportJob.idempotency_key == key)
    )
