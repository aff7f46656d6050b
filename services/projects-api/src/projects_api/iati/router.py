"""/iati: the registry's activities and organisations as IATI 2.03 XML, and partners' activity files imported."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from projects_api.access import scope_for, visible_clause
from projects_api.iati import export_service, organisation_file
from projects_api.projects import filters as project_filters
from projects_api.projects.dependencies import ProjectFiltersDep
from projects_api.projects.models import Project
from projects_api.projects.service import ensure_visible
from projects_api.settings import Settings
from registry_kit.auth import Role
from registry_kit.dependencies import OptionalPrincipal, SessionDep
from registry_kit.errors import problem_responses

router = APIRouter(tags=["iati"])
_XML = export_service.MEDIA_TYPE


def xml_response(description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {_XML: {"schema": {"type": "string"}}}, "description": description}}


async def _stream(request: Request, conditions: list[Any], token: str | None, filename: str) -> StreamingResponse:
    settings: Settings = request.app.state.settings
    body = await export_service.activities_document(
        request.app.state.sessionmaker, request.app.state.reporting, conditions, token, settings.iati_export_batch
    )
    return StreamingResponse(
        body, media_type=_XML, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get(
    "/iati/activities.xml",
    response_class=StreamingResponse,
    responses={
        **xml_response("An `iati-activities` document (IATI 2.03), streamed; valid against the official schema"),
        **problem_responses(401, 422, 503),
    },
)
async def iati_activities(
    request: Request, session: SessionDep, principal: OptionalPrincipal, filters: ProjectFiltersDep
) -> StreamingResponse:
    """The projects the caller may see (public ones without a token), with the project list's filters, as IATI 2.03
    activities with their results from reporting-api; a project that cannot be published is named in a comment."""
    scope = await scope_for(session, principal, Role.viewer)
    conditions = [visible_clause(scope), *project_filters.conditions(filters)]
    return await _stream(request, conditions, principal.token if principal else None, "iati-activities.xml")


@router.get(
    "/projects/{project_id}/iati.xml",
    response_class=StreamingResponse,
    responses={**xml_response("An `iati-activities` document with this one activity"), **problem_responses(404, 503)},
)
async def project_iati(
    project_id: uuid.UUID, request: Request, session: SessionDep, principal: OptionalPrincipal
) -> StreamingResponse:
    """One project as an IATI 2.03 activities document."""
    await ensure_visible(session, principal, project_id)
    token = principal.token if principal else None
    return await _stream(request, [Project.id == project_id], token, f"iati-activity-{project_id}.xml")


@router.get(
    "/iati/organisations.xml",
    response_class=Response,
    responses={
        **xml_response("An `iati-organisations` document (IATI 2.03); valid against the official schema"),
        **problem_responses(404, 422),
    },
)
async def iati_organisations(
    session: SessionDep,
    principal: OptionalPrincipal,
    organisation: Annotated[
        uuid.UUID | None, Query(description="One reporting organisation; all that publish projects when absent")
    ] = None,
) -> Response:
    """Reporting organisations as IATI 2.03: name, identifier, EUR budgets and expenditure by year and budgets by
    recipient country, from the projects they publish that the caller may see."""
    visible = visible_clause(await scope_for(session, principal, Role.viewer))
    orgs = await organisation_file.reporting_organisations(session, visible, organisation)
    body = await organisation_file.organisations_document(session, visible, orgs)
    return Response(
        body, media_type=_XML, headers={"Content-Disposition": 'attachment; filename="iati-organisations.xml"'}
    )
