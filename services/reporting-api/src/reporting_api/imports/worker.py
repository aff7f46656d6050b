"""The import queue's worker: one per replica, started in the lifespan.

It claims queued jobs (and running jobs whose worker went silent) with SELECT … FOR UPDATE SKIP LOCKED, heartbeats
while it runs one, and runs it from the upload stored in the database. The values and the job's end are committed in
one transaction, and only while this worker still holds the job: a worker that dies mid-way leaves nothing applied,
and a worker that lost its job to another (it was presumed dead) rolls back instead of applying it a second time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_kit.auth import Principal
from registry_kit.errors import AppError, DependencyUnavailable, Unauthorized
from registry_kit.queue_worker import QueueWorker
from reporting_api.imports import repository
from reporting_api.imports.schemas import ImportOptions, ImportSummary
from reporting_api.imports.service import run_import
from reporting_api.notifications import service as notify
from reporting_api.settings import Settings

logger = logging.getLogger(__name__)
SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "json": ".json", "dhis2": ".json"}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class _Progress:
    read: int = 0
    done: int = 0

    async def __call__(self, read: int, done: int) -> None:
        self.read, self.done = read, done


class JobLost(Exception):
    """Another worker holds the job now (this one was presumed dead): its work is rolled back."""


class ImportWorker(QueueWorker):
    """Runs import jobs from the queue. `heartbeats` is a sessionmaker of its own connections: the job holds one
    connection in a long transaction while heartbeats commit beside it."""

    def __init__(
        self,
        app: FastAPI,
        settings: Settings,
        *,
        heartbeats: async_sessionmaker[AsyncSession] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(app, name or worker_name(), settings.import_poll_seconds)
        self.settings = settings
        self.heartbeats = heartbeats
        self.postponed = False  # a job went back to the queue for want of projects-api: wait for the next poll

    async def run_next(self) -> bool:
        """Claim one job and run it; False when none is claimable (or the last one had to wait)."""
        if self.postponed:
            self.postponed = False
            return False
        async with self.maker() as session:
            claim = await repository.claim(session, self.name, self.settings.import_stale_seconds)
            await session.commit()
        if claim is None:
            return False
        logger.info("import job claimed", extra={"job": str(claim.job_id), "worker": self.name})
        await self.run(claim)
        return True

    async def run(self, claim: repository.Claim) -> None:
        if claim.attempts > self.settings.import_max_attempts:
            await self._fail(
                claim.job_id,
                f"the import stopped {claim.attempts - 1} times before it finished (its worker was lost); "
                "nothing was imported",
            )
            return
        progress = _Progress()
        beating = asyncio.create_task(self._heartbeat(claim.job_id, progress))
        try:
            await self._run(claim.job_id, progress, beating)
        except asyncio.CancelledError:
            await asyncio.shield(self._release(claim.job_id))
            raise
        except JobLost:
            logger.warning("import job lost to another worker", extra={"job": str(claim.job_id), "worker": self.name})
        except DependencyUnavailable as exc:
            # projects-api cannot check the uploader's rights now: the job waits for a later poll, attempt refunded.
            logger.warning("import job postponed", extra={"job": str(claim.job_id), "error": exc.detail})
            await self._release(claim.job_id, refund=True)
            self.postponed = True
        except AppError as exc:
            await self._fail(claim.job_id, exc.detail or exc.title)
        except Exception as exc:
            logger.exception("import job failed", extra={"job": str(claim.job_id)})
            await self._fail(claim.job_id, f"unexpected error ({type(exc).__name__}); nothing was imported")
        finally:
            await _stop(beating)

    async def _run(self, job_id: uuid.UUID, progress: _Progress, beating: asyncio.Task[None]) -> None:
        """The import and the job's end in one transaction, committed only while this worker holds the job."""
        async with self.maker() as session:
            job = await repository.job_for_run(session, job_id)
            principal = await self._principal(job.created_by)
            options = ImportOptions.model_validate(job.options)
            path = await repository.upload_to_file(session, job_id, SUFFIX.get(options.file_format, ""))
            limits = (self.settings.xlsx_max_uncompressed_bytes, self.settings.xlsx_max_ratio)
            try:
                result: ImportSummary = await run_import(
                    session,
                    self.app.state.projects,
                    principal,
                    path,
                    options,
                    limits,
                    progress,
                    self.settings.bulk_work_mem_mb,
                )
            finally:
                path.unlink(missing_ok=True)
            await _stop(beating)
            if not await repository.finish(
                session, job_id, self.name, "done", result.model_dump(mode="json"), result.rows
            ):
                await session.rollback()
                raise JobLost(job_id)
            await notify.import_finished(session, job_id, job.created_by, result.model_dump(mode="json"), None)
            await session.commit()
        self._count("done")

    def _count(self, outcome: str) -> None:
        ops = getattr(self.app.state, "ops_metrics", None)
        if ops is not None:
            ops.finished.labels(outcome).inc()

    async def _principal(self, subject: str) -> Principal:
        """The uploader as they are now: reporting-api's API client gets a token of theirs from projects-api (token
        exchange), verified like any token. So a job does not depend on the uploader's own token, which may have
        expired while the job waited, and a disabled account or a removed grant stops it."""
        token = await self.app.state.projects.token_for(subject)
        try:
            principal: Principal = await self.app.state.verifier.verify(token)
        except AppError as exc:
            raise Unauthorized(f"The uploader's rights could not be checked ({exc.detail or exc.title}).") from exc
        if principal.subject != subject:
            raise Unauthorized("projects-api answered for someone other than the uploader.")
        return principal

    async def _heartbeat(self, job_id: uuid.UUID, progress: _Progress) -> None:
        maker = self.heartbeats or self.maker
        while True:
            await asyncio.sleep(self.settings.import_heartbeat_seconds)
            try:
                async with maker() as session:
                    await repository.heartbeat(session, job_id, self.name, progress.read, progress.done)
                    await session.commit()
            except Exception:
                logger.warning("import heartbeat failed", exc_info=True, extra={"job": str(job_id)})

    async def _fail(self, job_id: uuid.UUID, error: str) -> None:
        async with self.maker() as session:
            if await repository.finish(session, job_id, self.name, "failed", {"error": error}, None):
                uploader = await repository.uploader(session, job_id)
                if uploader:
                    await notify.import_finished(session, job_id, uploader, None, error)
            await session.commit()
        self._count("failed")

    async def _release(self, job_id: uuid.UUID, *, refund: bool = False) -> None:
        with contextlib.suppress(Exception):
            async with self.maker() as session:
                await repository.release(session, job_id, self.name, refund=refund)
                await session.commit()


async def _stop(task: asyncio.Task[None]) -> None:
    if not task.done():
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
