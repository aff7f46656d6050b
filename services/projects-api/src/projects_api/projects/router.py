"""/projects: the registry's projects, filtered lists, details, changes and history."""

from __future__ import annotations

import uuid
from enum import StrEnum

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import StreamingResponse

from projects_api.audit.schemas import AuditEventOut
from projects_api.projects import export, read_model, service
from projects_api.projects.dependencies import ProjectFiltersDep
from projects_api.projects.presenters import to_detail
from projects_api.projects.schemas import Project, ProjectAccess, ProjectCreate, ProjectSummary, ProjectUpdate
from registry_kit.dependencies import CurrentPrincipal, EditDep, OptionalPrincipal, ReadsDep, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.etag import etag, tagged
from registry_kit.pagination import Page, PageDep
from registry_kit.streaming import PrimedStreamingResponse

router = APIRouter(prefix="/projects", tags=["projects"])


class Sort(StrEnum):
    """The order of a project list: a field, descending with a leading `-`."""

    CODE = "code"
    CODE_DESC = "-code"
    TITLE = "title"
    TITLE_DESC = "-title"
    START = "start"
    START_DESC = "-start"
    END = "end"
    END_DESC = "-end"
    UPDATED = "updated"
    UPDATED_DESC = "-updated"
    CREATED = "created"
    CREATED_DESC = "-created"


@router.get("", response_model=Page[ProjectSummary], responses=problem_responses(422))
async def list_projects(
    reads: ReadsDep, principal: OptionalPrincipal, page: PageDep, filters: ProjectFiltersDep, sort: Sort = Sort.CODE
) -> Response:
    """List the projects the caller may see, with filters that combine (AND across filters, OR within one)."""
    body = await read_model.list_page(reads, principal, filters, sort=sort, page=page)
    return read_model.json_response(body)


CSV_EXAMPLE = ",".join(export.HEADER) + "\n"


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": f"The list as CSV with the columns {', '.join(export.HEADER)}",
            "content": {
                "text/csv": {"schema": {"type": "string", "contentMediaType": "text/csv"}, "example": CSV_EXAMPLE}
            },
        },
        **problem_responses(422),
    },
)
async def export_projects(
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipal,
    filters: ProjectFiltersDep,
    sort: Sort = Sort.CODE,
) -> StreamingResponse:
    """The filtered list as CSV, streamed without a row cap; cells are safe to open in a spreadsheet."""
    body = await service.export_csv(session, request.app.state.sessionmaker, principal, filters, sort)
    return PrimedStreamingResponse(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="projects.csv"'},
    )


@router.get("/{project_id}", response_model=Project, responses=problem_responses(404))
async def get_project(project_id: uuid.UUID, reads: ReadsDep, principal: OptionalPrincipal) -> Response:
    """One project with its countries, locations, themes, sectors and participating organisations."""
    body, version = await read_model.visible_detail(reads, principal, project_id)
    return read_model.json_response(body, {"ETag": etag(project_id, version)})


@router.post(
    "",
    response_model=Project,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 401, 403, 409, 413, 422),
)
async def create_project(
    data: ProjectCreate, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> Project:
    """Register a project (managers whose grants cover one of its organisations or countries)."""
    project_id = await service.create(session, principal, data)
    response.headers["Location"] = f"/api/projects/v1/projects/{project_id}"
    return to_detail(tagged(response, await service.load_or_404(session, project_id)))


@router.patch(
    "/{project_id}",
    response_model=Project,
    responses=problem_responses(400, 401, 403, 404, 409, 412, 422, 428),
)
async def update_project(project_id: uuid.UUID, data: ProjectUpdate, edit: EditDep) -> Project:
    """Change a project; lists sent replace the old ones. Needs If-Match."""
    await service.update(edit.session, edit.principal, project_id, data, edit.if_match)
    return to_detail(edit.tagged(await service.load_or_404(edit.session, project_id)))


@router.delete(
    "/{project_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 412, 428),
)
async def delete_project(project_id: uuid.UUID, edit: EditDep) -> Response:
    """Delete a project with its activities and funding. Needs If-Match."""
    await service.delete(edit.session, edit.principal, project_id, edit.if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{project_id}/history", response_model=Page[AuditEventOut], responses=problem_responses(404))
async def project_history(
    project_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal, page: PageDep
) -> Page[AuditEventOut]:
    """Every change to the project and its activities and funding, newest first: who, when, before and after."""
    return await service.history(session, principal, project_id, page)


@router.get("/{project_id}/access", response_model=ProjectAccess, responses=problem_responses(401, 404))
async def project_access(project_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal) -> ProjectAccess:
    """What the caller may do with this project (reporting-api asks this with the caller's token)."""
    return await service.access(session, principal, project_id)
