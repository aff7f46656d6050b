"""/iati: the registry's activities and organisations as IATI 2.03 XML, and partners' activity files imported."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse, StreamingResponse

from projects_api.iati import export_service, import_service, jobs
from projects_api.iati.importer.schemas import IatiImportJob, IatiImportSummary
from projects_api.projects.dependencies import ProjectFiltersDep
from projects_api.settings import Settings
from registry_kit.auth import Role
from registry_kit.dependencies import CurrentPrincipal, OptionalPrincipal, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.uploads import chunks_of, read_limited

router = APIRouter(tags=["iati"])
_XML = export_service.MEDIA_TYPE


def xml_response(description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {_XML: {"schema": {"type": "string"}}}, "description": description}}


def _download(body: AsyncIterator[bytes], filename: str) -> StreamingResponse:
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
    state, settings = request.app.state, request.app.state.settings
    body = await export_service.visible_activities(
        session, state.sessionmaker, state.reporting, principal, filters, settings.iati_export_batch
    )
    return _download(body, "iati-activities.xml")


@router.get(
    "/projects/{project_id}/iati.xml",
    response_class=StreamingResponse,
    responses={**xml_response("An `iati-activities` document with this one activity"), **problem_responses(404, 503)},
)
async def project_iati(
    project_id: uuid.UUID, request: Request, session: SessionDep, principal: OptionalPrincipal
) -> StreamingResponse:
    """One project as an IATI 2.03 activities document."""
    state, settings = request.app.state, request.app.state.settings
    body = await export_service.project_activity(
        session, state.sessionmaker, state.reporting, principal, project_id, settings.iati_export_batch
    )
    return _download(body, f"iati-activity-{project_id}.xml")


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
    body = await export_service.organisations_file(session, principal, organisation)
    return Response(
        body, media_type=_XML, headers={"Content-Disposition": 'attachment; filename="iati-organisations.xml"'}
    )


IMPORT_DESCRIPTION = """Import an IATI activities file (versions 2.01, 2.02 and 2.03; multipart field `file`).

Each activity is upserted by its `iati-identifier` (the project code); its organisations are matched by IATI
identifier, or by name when they have none, and created when missing (flagged `needs_review`); titles and
descriptions keep every language; budgets and transactions replace the project's; results go to reporting-api
once the project is stored. The answer accounts for every activity: `created`, `updated` or `skipped`, with
`errors` (why it was skipped), `warnings` (taken with a caveat) and `notes` naming every element the registry does
not model (e.g. `crs-add`, `fss`, `humanitarian-scope`). `dry_run=true` answers the same without keeping anything.

A file that is not well-formed XML, not an IATI activities file, or not valid against its version's official schema
is refused with 422 and the parser's or the schema's messages with their line numbers. DTDs and entities are
refused; nothing is fetched from the network. Files larger than the job threshold answer 202 with a job to poll.
Managers and admins may import; each activity is checked like the same change through the API."""


@router.post(
    "/iati/imports",
    response_model=IatiImportSummary,
    description=IMPORT_DESCRIPTION,
    responses={
        202: {"model": IatiImportJob, "description": "A large file: the job to poll"},
        **problem_responses(400, 401, 403, 413, 422, 503),
    },
)
async def import_iati(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File(description="An IATI activities XML file")],
    dry_run: Annotated[bool, Query(description="Check and account for everything, keep nothing")] = False,
) -> Response | IatiImportSummary:
    """Import an IATI activities file (managers, admins): dry run, then apply; a summary per activity."""
    principal.require(Role.manager)  # before the upload is read
    settings: Settings = request.app.state.settings
    limit = settings.iati_max_import_bytes
    content = await read_limited(chunks_of(file), limit, f"An IATI file may have at most {limit} bytes.")
    outcome = await import_service.import_upload(
        session,
        principal,
        request.app.state.reporting,
        content,
        dry_run=dry_run,
        filename=file.filename,
        job_bytes=settings.iati_import_job_bytes,
    )
    if isinstance(outcome, IatiImportSummary):
        return outcome
    background.add_task(request.app.state.iati_worker.kick)
    location = f"/api/projects/v1/iati/imports/{outcome.id}"
    body = outcome.model_dump(mode="json")
    return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED, headers={"Location": location})


@router.get("/iati/imports/{job_id}", response_model=IatiImportJob, responses=problem_responses(401, 404, 422))
async def get_iati_import(job_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal) -> IatiImportJob:
    """An IATI import job: activities done of total, and its summary when done (its uploader, admins)."""
    return jobs.job_out(await jobs.get_for(session, principal, job_id))
