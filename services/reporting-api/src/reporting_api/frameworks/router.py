"""/projects/{project_id}/framework, /results, /indicators: a project's results framework."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from registry_kit.dependencies import CurrentPrincipal, OptionalPrincipal, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.etag import IfMatch, set_etag
from reporting_api.access import ProjectsDep
from reporting_api.frameworks import service
from reporting_api.frameworks.presenters import project_indicator_out, result_out
from reporting_api.frameworks.schemas import (
    Framework,
    ProjectIndicator,
    ProjectIndicatorIn,
    ProjectIndicatorUpdate,
    Result,
    ResultCreate,
    ResultUpdate,
)

router = APIRouter(prefix="/projects/{project_id}", tags=["frameworks"])
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422, 503)


@router.get("/framework", response_model=Framework, responses=problem_responses(401, 404, 422, 503))
async def get_framework(
    project_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal, projects: ProjectsDep
) -> Framework:
    """The project's results, indicators, baselines and targets (public projects without a token)."""
    return await service.framework(session, projects, principal, project_id)


@router.post("/results", response_model=Result, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
async def create_result(
    project_id: uuid.UUID,
    data: ResultCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
    response: Response,
) -> Result:
    """Add a result (output, outcome, impact) with its indicators (managers of the project)."""
    result = await service.create_result(session, projects, principal, project_id, data)
    set_etag(response, result.id, result.version)
    return result_out(result)


@router.patch(
    "/results/{result_id}", response_model=Result, responses=problem_responses(401, 403, 404, 409, 412, 422, 428, 503)
)
async def update_result(
    project_id: uuid.UUID,
    result_id: uuid.UUID,
    data: ResultUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
    response: Response,
    if_match: IfMatch = None,
) -> Result:
    """Change a result's kind, title, description or position; needs If-Match (managers of the project)."""
    result = await service.update_result(session, projects, principal, project_id, result_id, data, if_match)
    set_etag(response, result.id, result.version)
    return result_out(result)


@router.delete(
    "/results/{result_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428, 503),
)
async def delete_result(
    project_id: uuid.UUID,
    result_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
    if_match: IfMatch = None,
) -> Response:
    """Delete a result whose indicators hold no reported values; needs If-Match (managers of the project)."""
    await service.delete_result(session, projects, principal, project_id, result_id, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/results/{result_id}/indicators",
    response_model=ProjectIndicator,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
async def add_indicator(
    project_id: uuid.UUID,
    result_id: uuid.UUID,
    data: ProjectIndicatorIn,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
) -> ProjectIndicator:
    """Add an indicator of the catalogue to a result, with baseline and targets (managers of the project)."""
    pi = await service.add_indicator(session, projects, principal, project_id, result_id, data)
    return project_indicator_out(pi)


@router.put("/indicators/{project_indicator_id}", response_model=ProjectIndicator, responses=WRITE_ERRORS)
async def update_indicator(
    project_id: uuid.UUID,
    project_indicator_id: uuid.UUID,
    data: ProjectIndicatorUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
) -> ProjectIndicator:
    """Change the baseline and, when given, replace all targets (managers of the project)."""
    pi = await service.update_indicator(session, projects, principal, project_id, project_indicator_id, data)
    return project_indicator_out(pi)


@router.delete("/indicators/{project_indicator_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS)
async def remove_indicator(
    project_id: uuid.UUID,
    project_indicator_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
) -> Response:
    """Remove an indicator without reported values from the framework (managers of the project)."""
    await service.remove_indicator(session, projects, principal, project_id, project_indicator_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
