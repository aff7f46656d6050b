"""/projects/{id}/activities: workshops, trainings, study visits and on-site visits of a project."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from projects_api.activities import service
from projects_api.activities.schemas import Activity, ActivityCreate, ActivityUpdate
from projects_api.projects.dependencies import VisibleProjectId
from projects_api.reference.data import ActivityKind
from registry_kit.dependencies import CurrentPrincipal, EditDep, ReadDep, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.etag import tagged
from registry_kit.pagination import Page, PageDep

router = APIRouter(prefix="/projects/{project_id}/activities", tags=["activities"])


@router.get("", response_model=Page[Activity], responses=problem_responses(404, 422))
async def list_activities(
    project_id: uuid.UUID, read: ReadDep, page: PageDep, kind: ActivityKind | None = None
) -> Page[Activity]:
    """The project's activities in date order (a timeline)."""
    return await service.list_page(read.session, read.principal, project_id, kind, page)


@router.get("/{activity_id}", response_model=Activity, responses=problem_responses(404))
async def get_activity(project_id: VisibleProjectId, activity_id: uuid.UUID, read: ReadDep) -> Activity:
    """One activity with its participants."""
    return service.present(read.tagged(await service.get_or_404(read.session, project_id, activity_id)))


@router.post(
    "",
    response_model=Activity,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 401, 403, 404, 413, 422),
)
async def create_activity(
    project_id: uuid.UUID,
    data: ActivityCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
) -> Activity:
    """Add an activity to a project (its managers)."""
    activity_id = await service.create(session, principal, project_id, data)
    response.headers["Location"] = f"/api/projects/v1/projects/{project_id}/activities/{activity_id}"
    return service.present(tagged(response, await service.get_or_404(session, project_id, activity_id)))


@router.patch("/{activity_id}", response_model=Activity, responses=problem_responses(400, 401, 403, 404, 412, 422, 428))
async def update_activity(
    project_id: uuid.UUID, activity_id: uuid.UUID, data: ActivityUpdate, edit: EditDep
) -> Activity:
    """Change an activity; a participants list sent replaces the old one. Needs If-Match."""
    await service.update(edit.session, edit.principal, project_id, activity_id, data, edit.if_match)
    return service.present(edit.tagged(await service.get_or_404(edit.session, project_id, activity_id)))


@router.delete(
    "/{activity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 412, 428),
)
async def delete_activity(project_id: uuid.UUID, activity_id: uuid.UUID, edit: EditDep) -> Response:
    """Delete an activity. Needs If-Match."""
    await service.delete(edit.session, edit.principal, project_id, activity_id, edit.if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
