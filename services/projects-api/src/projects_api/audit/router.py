"""/changes: the feed other services follow to keep their copy of projects current."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from projects_api.audit import changes
from registry_kit.auth import Role
from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import Forbidden, invalid, problem_responses

router = APIRouter(prefix="/changes", tags=["changes"])


class CountryShare(BaseModel):
    country_code: str
    percentage: Decimal


class Participant(BaseModel):
    organisation_id: uuid.UUID
    role: str


class ProjectState(BaseModel):
    id: uuid.UUID
    code: str
    title: str
    status: str
    is_public: bool
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    countries: list[CountryShare]
    themes: list[str]
    participants: list[Participant]
    scope_organisations: list[uuid.UUID] = Field(
        description="The participating organisations and every organisation above them: a grant on any reaches it"
    )
    version: int
    updated_at: datetime


class ProjectChange(BaseModel):
    project_id: uuid.UUID
    deleted: bool = Field(description="The project no longer exists")
    project: ProjectState | None


class ChangePage(BaseModel):
    """Projects changed after `since`, in the order of their changes; follow `next_cursor` until `has_more` is false."""

    items: list[ProjectChange]
    next_cursor: str = Field(examples=["48213.1093"])
    has_more: bool


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
    if not principal.has_global(Role.viewer):
        raise Forbidden("The change feed needs a global grant (an API client for a service).")
    try:
        cursor = changes.parse_cursor(since)
    except ValueError as exc:
        raise invalid("query.since", "not a cursor from this feed", "cursor") from exc
    ids, next_cursor, has_more = await changes.changed_projects(session, cursor, limit)
    states = await changes.current_state(session, ids)
    scopes = await changes.scope_organisations(session, list(states.values()))
    items = [
        ProjectChange(
            project_id=pid,
            deleted=pid not in states,
            project=ProjectState.model_validate(changes.project_state(states[pid], scopes[pid]))
            if pid in states
            else None,
        )
        for pid in ids
    ]
    return ChangePage(items=items, next_cursor=changes.format_cursor(next_cursor), has_more=has_more)
