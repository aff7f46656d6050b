"""Who may read and write what, for one project: projects-api decides, the local copy stands in for reads
when projects-api cannot answer (so reads keep working), never for writes."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from registry_kit.errors import DependencyUnavailable, Forbidden, NotFound
from reporting_api.projects import repository as copies
from reporting_api.projects.client import ProjectAccess, ProjectsClient

logger = logging.getLogger(__name__)

Need = Literal["report", "edit", "approve"]
_ROLE: dict[Need, Role] = {"report": Role.reporter, "edit": Role.manager, "approve": Role.manager}
_WHAT: dict[Need, str] = {
    "report": "report on",
    "edit": "change the results framework of",
    "approve": "approve reports of",
}


async def _projects(request: Request) -> ProjectsClient:
    client: ProjectsClient = request.app.state.projects
    return client


ProjectsDep = Annotated[ProjectsClient, Depends(_projects)]


@dataclass(frozen=True)
class ReadAccess:
    project_id: uuid.UUID
    is_public: bool
    can_see_unapproved: bool  # drafts and submitted reports
    from_copy: bool = False


async def read_access(
    projects: ProjectsClient, session: AsyncSession, principal: Principal | None, project_id: uuid.UUID
) -> ReadAccess:
    """NotFound unless the caller may read the project; falls back to the local copy when projects-api is down."""
    try:
        access = await projects.access(project_id, principal)
    except DependencyUnavailable:
        return await _read_access_from_copy(session, principal, project_id)
    return ReadAccess(project_id, access.is_public, access.can_report or access.can_approve)


async def _read_access_from_copy(
    session: AsyncSession, principal: Principal | None, project_id: uuid.UUID
) -> ReadAccess:
    copy = await copies.get_copy(session, project_id)
    if copy is None:
        if principal is not None and principal.has_global(Role.viewer):
            return ReadAccess(project_id, False, principal.has_global(Role.reporter), from_copy=True)
        raise DependencyUnavailable(
            "projects-api is unavailable and this project is not in the local copy yet.",
            headers={"Retry-After": "5"},
        )
    can_view = await copies.in_scope(session, principal, Role.viewer, project_id)
    if not (copy.is_public or can_view):
        raise NotFound(f"No project {project_id}.")
    unapproved = await copies.in_scope(session, principal, Role.reporter, project_id)
    logger.info("access from local copy", extra={"project_id": str(project_id)})
    return ReadAccess(project_id, copy.is_public, unapproved, from_copy=True)


async def require_write(
    projects: ProjectsClient, principal: Principal, project_id: uuid.UUID, need: Need
) -> ProjectAccess:
    """403 unless projects-api says the caller may do this to the project (503 when it cannot say)."""
    principal.require(_ROLE[need])
    access = await projects.access(project_id, principal)
    allowed = {"report": access.can_report, "edit": access.can_edit, "approve": access.can_approve}[need]
    if not allowed:
        raise Forbidden(f"Your grants do not allow you to {_WHAT[need]} this project.")
    return access
