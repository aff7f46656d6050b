"""/sync/projects: the state of the local copy of projects, and a way to refresh it now (admins)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import problem_responses
from reporting_api.projects.sync import copy_state, sync_once

router = APIRouter(prefix="/sync", tags=["sync"])


class SyncStatus(BaseModel):
    """Where the local copy of projects stands."""

    cursor: str | None = Field(examples=["48213.1093"])
    projects: int = Field(examples=[14])
    last_success_at: datetime | None
    last_error: str | None


class SyncRun(BaseModel):
    pages: int = Field(examples=[1])
    updated: int
    deleted: int
    cursor: str | None


@router.get("/projects", response_model=SyncStatus, responses=problem_responses(401, 403))
async def sync_status(session: SessionDep, principal: CurrentPrincipal) -> SyncStatus:
    """How current the local copy of projects is (admins)."""
    principal.require_admin()
    return SyncStatus.model_validate(await copy_state(session), from_attributes=True)


@router.post("/projects", response_model=SyncRun, responses=problem_responses(401, 403, 503))
async def run_sync(request: Request, principal: CurrentPrincipal) -> SyncRun:
    """Follow projects-api's change feed now (admins); 503 when projects-api cannot be reached."""
    principal.require_admin()
    result = await sync_once(request.app.state.sessionmaker, request.app.state.projects)
    return SyncRun(pages=result.pages, updated=result.updated, deleted=result.deleted, cursor=result.cursor)
