"""/projects/{project_id}/reports and /reports/{report_id}: reports, their values, workflow and history."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status

from registry_kit.dependencies import CurrentPrincipal, EditDep, OptionalPrincipal, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.etag import tagged
from registry_kit.pagination import Page, PageDep
from reporting_api.access import ProjectsDep
from reporting_api.reports import attachments, reads, service
from reporting_api.reports.schemas import (
    Attachment,
    Changes,
    Decision,
    History,
    Inbox,
    Previous,
    Reopen,
    Report,
    ReportCreate,
    ReportSummary,
    ReportUpdate,
    Status,
    SubmitIn,
    ValuesIn,
)
from reporting_api.settings import Settings

router = APIRouter(tags=["reports"])
WRITE = problem_responses(401, 403, 404, 409, 412, 422, 428, 503)


@router.get(
    "/projects/{project_id}/reports", response_model=Page[ReportSummary], responses=problem_responses(404, 422, 503)
)
async def list_reports(
    project_id: uuid.UUID,
    session: SessionDep,
    principal: OptionalPrincipal,
    projects: ProjectsDep,
    page: PageDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
) -> Page[ReportSummary]:
    """A project's reports, newest period first: approved ones for readers, all for its reporters and managers."""
    return await reads.project_reports(session, projects, principal, project_id, status_, page)


@router.get("/reports", response_model=Page[ReportSummary], responses=problem_responses(401, 422))
async def list_reports_across_projects(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    status_: Annotated[list[Status] | None, Query(alias="status")] = None,
    awaiting_my_approval: Annotated[
        bool, Query(description="Submitted reports of projects the caller approves")
    ] = False,
) -> Page[ReportSummary]:
    """Reports of all projects the caller may see (approved ones of visible projects; the others where the caller
    reports); `awaiting_my_approval` gives an approver's queue, oldest submission first."""
    segregation: bool = request.app.state.settings.segregation_of_duties
    return await reads.across_projects(session, principal, status_, page, awaiting_my_approval, segregation)


@router.get("/reports/inbox", response_model=Inbox, responses=problem_responses(401, 422))
async def reporter_inbox(
    session: SessionDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=200, description="Most items in each list")] = 50,
) -> Inbox:
    """The caller's reporting work on the projects their reporter grants reach: periods due, reports returned to
    them, drafts, and reports waiting for approval."""
    return await reads.inbox(session, principal, limit)


@router.post(
    "/projects/{project_id}/reports", response_model=Report, status_code=status.HTTP_201_CREATED, responses=WRITE
)
async def create_report(
    project_id: uuid.UUID,
    data: ReportCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
    response: Response,
) -> Report:
    """Start the draft report of a period (reporters of the project)."""
    report = await service.create(session, projects, principal, project_id, data)
    response.headers["Location"] = f"/api/reporting/v1/reports/{report.id}"
    return await reads.present(session, tagged(response, report))


@router.get("/reports/{report_id}", response_model=Report, responses=problem_responses(404, 422, 503))
async def get_report(
    report_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal, projects: ProjectsDep, response: Response
) -> Report:
    """A report with its values, warnings and attachments (approved reports of public projects: anyone)."""
    report, _ = await service.get_readable(session, projects, principal, report_id)
    return await reads.present(session, tagged(response, report))


@router.patch("/reports/{report_id}", response_model=Report, responses=WRITE)
async def update_report(report_id: uuid.UUID, data: ReportUpdate, edit: EditDep, projects: ProjectsDep) -> Report:
    """Change the narrative of a draft or returned report; needs If-Match."""
    report = await service.update(edit.session, projects, edit.principal, report_id, data.narrative, edit.if_match)
    return await reads.present(edit.session, edit.tagged(report))


@router.delete("/reports/{report_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE)
async def delete_report(report_id: uuid.UUID, edit: EditDep, projects: ProjectsDep) -> Response:
    """Delete a draft that was never submitted; needs If-Match."""
    await service.delete(edit.session, projects, edit.principal, report_id, edit.if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/reports/{report_id}/values", response_model=Report, responses=WRITE)
async def put_values(report_id: uuid.UUID, data: ValuesIn, edit: EditDep, projects: ProjectsDep) -> Report:
    """Set (or with `delete`, remove) values of a draft; all are checked first, every change is audited."""
    report = await service.put_values(edit.session, projects, edit.principal, report_id, data.values, edit.if_match)
    return await reads.present(edit.session, edit.tagged(report))


@router.post("/reports/{report_id}/submit", response_model=Report, responses=WRITE)
async def submit_report(
    report_id: uuid.UUID,
    edit: EditDep,
    projects: ProjectsDep,
    data: SubmitIn = SubmitIn(),  # noqa: B008 (an empty body: no changes)
) -> Report:
    """Submit for approval, optionally with last changes in the body (saved only if the submission is accepted):
    types, ranges and sums are checked (422 lists them); outliers become warnings."""
    report = await service.submit(edit.session, projects, edit.principal, report_id, edit.if_match, data)
    return await reads.present(edit.session, edit.tagged(report))


@router.post("/reports/{report_id}/approve", response_model=Report, responses=WRITE)
async def approve_report(
    request: Request, report_id: uuid.UUID, data: Decision, edit: EditDep, projects: ProjectsDep
) -> Report:
    """Approve a submitted report, which locks it (managers of the project other than its submitter, unless
    segregation of duties is turned off)."""
    settings: Settings = request.app.state.settings
    segregation = settings.segregation_of_duties
    report = await service.decide(
        edit.session, projects, edit.principal, report_id, True, data.comment, edit.if_match, segregation=segregation
    )
    return await reads.present(edit.session, edit.tagged(report))


@router.post("/reports/{report_id}/return", response_model=Report, responses=WRITE)
async def return_report(report_id: uuid.UUID, data: Decision, edit: EditDep, projects: ProjectsDep) -> Report:
    """Return a submitted report to its reporters with a comment (managers of the project)."""
    report = await service.decide(edit.session, projects, edit.principal, report_id, False, data.comment, edit.if_match)
    return await reads.present(edit.session, edit.tagged(report))


@router.post(
    "/reports/{report_id}/reopen", response_model=Report, responses=problem_responses(401, 403, 404, 409, 412, 422, 428)
)
async def reopen_report(report_id: uuid.UUID, data: Reopen, edit: EditDep) -> Report:
    """Reopen an approved report as a draft, with a reason that is kept (admins)."""
    report = await service.reopen(edit.session, edit.principal, report_id, data.reason, edit.if_match)
    return await reads.present(edit.session, edit.tagged(report))


@router.get("/reports/{report_id}/history", response_model=History, responses=problem_responses(404, 422, 503))
async def report_history(
    report_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal, projects: ProjectsDep
) -> History:
    """Every workflow step and every value change of the report: who, when, before and after."""
    report, _ = await service.get_readable(session, projects, principal, report_id)
    return await reads.history(session, report)


@router.get("/reports/{report_id}/previous", response_model=Previous, responses=problem_responses(404, 422, 503))
async def previous_values(
    report_id: uuid.UUID,
    session: SessionDep,
    principal: OptionalPrincipal,
    projects: ProjectsDep,
    periods: Annotated[int, Query(ge=1, le=12, description="How many earlier periods")] = 3,
) -> Previous:
    """The values of the project's earlier reports (newest first), to show beside each cell of this one."""
    report, access = await service.get_readable(session, projects, principal, report_id)
    return await reads.previous(session, report, access.can_see_unapproved, periods)


@router.get("/reports/{report_id}/changes", response_model=Changes, responses=problem_responses(404, 422, 503))
async def changes_since_submission(
    report_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal, projects: ProjectsDep
) -> Changes:
    """What changed since the last submission: for a submitted report, since the submission before this one."""
    report, _ = await service.get_readable(session, projects, principal, report_id)
    return await reads.changes(session, report)


@router.post(
    "/reports/{report_id}/attachments",
    response_model=Attachment,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 413, 415, 422, 503),
)
async def add_attachment(
    report_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, Office document, CSV or text")],
) -> Attachment:
    """Attach a file to a draft report (size-limited, type checked by content)."""
    limit: int = request.app.state.settings.max_attachment_bytes
    content = await file.read(limit + 1)
    row = await attachments.add(session, projects, principal, report_id, file.filename or "attachment", content, limit)
    return Attachment.model_validate(row)


@router.get(
    "/reports/{report_id}/attachments/{attachment_id}",
    response_class=Response,
    responses={
        200: {
            "description": "The file as uploaded, with the media type its content was recognised as",
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in attachments.MEDIA_TYPES},
        },
        **problem_responses(404, 422, 503),
    },
)
async def download_attachment(
    report_id: uuid.UUID,
    attachment_id: uuid.UUID,
    session: SessionDep,
    principal: OptionalPrincipal,
    projects: ProjectsDep,
) -> Response:
    """The attached file, as uploaded."""
    await service.get_readable(session, projects, principal, report_id)
    row = await reads.attachment_file(session, report_id, attachment_id)
    return Response(
        row.content,
        media_type=row.media_type,
        headers={"Content-Disposition": f'attachment; filename="{row.filename}"', "X-Content-Type-Options": "nosniff"},
    )


@router.delete(
    "/reports/{report_id}/attachments/{attachment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def delete_attachment(
    report_id: uuid.UUID,
    attachment_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
) -> Response:
    """Remove an attachment from a draft report."""
    await attachments.remove(session, projects, principal, report_id, attachment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
