"""Reading results for the IATI export: a batch of projects at once, only those the caller may read, only
approved values as actuals."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from registry_kit.errors import NotFound
from reporting_api.iati import repository
from reporting_api.projects.client import ProjectsClient


async def readable(
    session: AsyncSession, projects: ProjectsClient, principal: Principal | None, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The ids the caller may read: by the local copy of projects, and for those it does not hold yet (just created)
    by asking projects-api, one call each."""
    allowed, unknown = await repository.readable_by_copy(session, principal, ids)
    for project_id in sorted(unknown):
        try:
            await projects.access(project_id, principal)
        except NotFound:
            continue
        allowed.add(project_id)
    return [pid for pid in dict.fromkeys(ids) if pid in allowed]


async def results_page(
    session: AsyncSession, projects: ProjectsClient, principal: Principal | None, ids: Sequence[uuid.UUID]
) -> str:
    """The answer's JSON (schemas.IatiResultsPage), built by PostgreSQL."""
    return await repository.results_page_json(session, await readable(session, projects, principal, ids))
