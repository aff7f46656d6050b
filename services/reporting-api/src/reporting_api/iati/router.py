"""/iati: a project's results as IATI publishes them, for projects-api's IATI export and import."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from registry_kit.dependencies import CurrentPrincipal, OptionalPrincipal, SessionDep
from registry_kit.errors import problem_responses
from reporting_api.access import ProjectsDep
from reporting_api.iati.read_service import results_page
from reporting_api.iati.schemas import IatiResultsIn, IatiResultsPage, IatiResultsWritten
from reporting_api.iati.write_service import write_results

router = APIRouter(prefix="/iati", tags=["iati"])


@router.get("/results", response_model=IatiResultsPage, responses=problem_responses(401, 422, 503))
async def iati_results(
    session: SessionDep,
    principal: OptionalPrincipal,
    projects: ProjectsDep,
    project_id: Annotated[list[uuid.UUID], Query(min_length=1, max_length=500, description="Repeat for each")],
) -> Response:
    """Results, indicators, baselines, targets and approved actuals of the projects asked for that the caller may read
    (public projects without a token); projects the caller may not read are left out."""
    # The JSON comes whole from PostgreSQL in the model's shape (test_iati.py checks it against the model).
    return Response(await results_page(session, projects, principal, project_id), media_type="application/json")


@router.put(
    "/projects/{project_id}/results",
    response_model=IatiResultsWritten,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def put_iati_results(
    project_id: uuid.UUID,
    data: IatiResultsIn,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
) -> IatiResultsWritten:
    """Replace the project's results framework with an IATI file's (managers of the project): catalogue indicators
    it names are created when missing, actuals become approved reports. Kept as it is once reports hold values."""
    return await write_results(session, projects, principal, project_id, data)
