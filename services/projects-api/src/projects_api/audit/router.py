"""/changes: the feed other services follow to keep their copy of projects current."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from projects_api.audit import service
from projects_api.audit.schemas import ChangePage
from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import problem_responses

router = APIRouter(prefix="/changes", tags=["changes"])


@router.get("", response_model=ChangePage, responses=problem_responses(401, 403, 422))
async def list_changes(
    session: SessionDep,
    principal: CurrentPrincipal,
    since: Annotated[
        str | None, Query(pattern=r"^\d+\.\d+$", description="The next_cursor of the last page read")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> ChangePage:
    """Changed projects with their current countries, themes and organisations (callers with a global viewer grant)."""
    return await service.changes_page(session, principal, since, limit)
