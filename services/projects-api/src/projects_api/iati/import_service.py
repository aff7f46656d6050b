"""An uploaded IATI activities file: imported during the request, or queued as a job when it is large (the worker
then runs the same import, `jobs.py`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.iati import jobs
from projects_api.iati.importer import service as importer
from projects_api.iati.importer.schemas import IatiImportJob, IatiImportSummary
from registry_kit.auth import Principal, Role
from registry_kit.upstream import Upstream


async def import_upload(
    session: AsyncSession,
    principal: Principal,
    reporting: Upstream,
    content: bytes,
    *,
    dry_run: bool,
    filename: str | None,
    job_bytes: int,
) -> IatiImportSummary | IatiImportJob:
    """The summary of a file imported now (managers, admins), or the queued job of a file over `job_bytes`.

    The activities' results go to reporting-api after the projects are committed: reporting-api asks projects-api
    about each project, so the one commit outside the request's own (SessionDep's) happens here, before they are sent.
    """
    principal.require(Role.manager)
    if len(content) > job_bytes:
        return jobs.job_out(await jobs.enqueue(session, principal, content, dry_run=dry_run, filename=filename))
    summary, to_send = await importer.run(session, principal, content, dry_run=dry_run, filename=filename)
    if to_send:
        await session.commit()
        await importer.send_results(reporting, principal.token, to_send)
    return summary
