"""/projects/counts: how many projects the caller may see, by country, theme or status (the dashboard's map and bars)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from projects_api.project_counts import service
from projects_api.project_counts.schemas import CountBy, ProjectCounts
from projects_api.projects.dependencies import ProjectFiltersDep
from registry_kit.dependencies import OptionalPrincipal, SessionDep
from registry_kit.errors import problem_responses

# Mounted before the projects router, so /projects/counts is not read as /projects/{project_id}.
router = APIRouter(prefix="/projects", tags=["projects"])


@router.get("/counts", response_model=ProjectCounts, responses=problem_responses(422))
async def count_projects(
    session: SessionDep,
    principal: OptionalPrincipal,
    filters: ProjectFiltersDep,
    response: Response,
    by: Annotated[list[CountBy], Query(min_length=1, max_length=3, description="Repeat for several")],
) -> ProjectCounts:
    """Numbers of the projects the caller may see (as in the list, with its filters), per country, theme or status."""
    counts = await service.counts(session, principal, filters, by)
    # What the caller sees depends on their token: never shared between callers by a cache.
    response.headers["Cache-Control"] = "private, max-age=30"
    response.headers["Vary"] = "Authorization"
    return counts
