"""An upload's use case: answered again under its Idempotency-Key, queued as a job when it is large, or imported
during the request (and kept under its key)."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from reporting_api.imports import service
from reporting_api.imports.models import ImportJob as ImportJobRow
from reporting_api.imports.schemas import ImportOptions, ImportSummary
from reporting_api.projects.client import ProjectsClient
from reporting_api.settings import Settings


@dataclass(frozen=True)
class Replayed:
    """The first request with this Idempotency-Key, file and options: its answer is given again."""

    job: ImportJobRow


@dataclass(frozen=True)
class Queued:
    """A file over the job threshold, queued (committed with the request) for a worker of any replica."""

    job: ImportJobRow


def _sha256(path: Path) -> str:
    """The SHA-256 of a saved upload or body: with the options, what an Idempotency-Key is held to."""
    digest = hashlib.sha256()
    with path.open("rb") as saved:
        while chunk := saved.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


async def import_saved(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    path: Path,
    options: ImportOptions,
    settings: Settings,
    idempotency_key: str | None,
) -> Replayed | Queued | ImportSummary:
    """The import of a saved upload (the file at `path` is removed whatever happens). A synchronous import with
    conflicts raises 422 with every conflict, except for a DHIS2 body, whose summary says them (the caller answers it
    409, as DHIS2 does); a finished import is kept under its Idempotency-Key."""
    try:
        fingerprint = service.fingerprint(await asyncio.to_thread(_sha256, path), options)
        prior = await service.previous(session, principal, idempotency_key, fingerprint)
        if prior is not None:
            return Replayed(prior)
        if (await anyio.Path(path).stat()).st_size > settings.import_job_bytes:
            return Queued(await service.queue(session, principal, path, options, idempotency_key, fingerprint))
        limits = (settings.xlsx_max_uncompressed_bytes, settings.xlsx_max_ratio)
        result = await service.run_import(
            session, projects, principal, path, options, limits, work_mem_mb=settings.bulk_work_mem_mb
        )
    finally:
        await anyio.Path(path).unlink(missing_ok=True)
    if options.dhis2_answer and result.status == "conflicts":
        return result
    service.raise_conflicts(result)
    if idempotency_key and not options.dry_run:
        await service.remember(session, principal, options, idempotency_key, fingerprint, result)
    return result
