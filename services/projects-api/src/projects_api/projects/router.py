"""/projects: the registry's projects, filtered lists, details, changes and history."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response, status

from projects_api.access import scope_for, visible_clause
from projects_api.audit import repository as audit_repository
from projects_api.audit.schemas import AuditEventOut
from projects_api.projects import repository, service
from projects_api.projects.presenters import to_detail, to_summary
from projects_api.projects.repository import ProjectFilters
from projects_api.projects.schemas import Project, ProjectAccess, ProjectCreate, ProjectSummary, ProjectUpdate
from projects_api.reference.data import REGION_BY_CODE, ActivityStatus, ParticipantRole
from registry_kit.auth import Role
from registry_kit.dependencies import CurrentPrincipal, OptionalPrincipal, SessionDep
from registry_kit.errors import invalid, problem_responses
from registry_kit.etag import set_etag
from registry_kit.pagination import Page, PageDep

router = APIRouter(prefix="/projects", tags=["projects"])
IfMatch = Annotated[str | None, Header(description="The ETag you read")]
Sort = Literal[
    "code",
    "-code",
    "title",
    "-title",
    "start",
    "-start",
    "end",
    "-end",
    "updated",
    "-updated",
    "created",
    "-created",
]
CountryCode = Annotated[str, Query(pattern=r"^[A-Z]{2}$")]


@router.get("", response_model=Page[ProjectSummary], responses=problem_responses(422))
async def list_projects(
    session: SessionDep,
    principal: OptionalPrincipal,
    page: PageDep,
    country: Annotated[list[str] | None, Query(description="ISO 3166 alpha-2; repeat for any of several")] = None,
    region: Annotated[list[str] | None, Query(description="Region code, e.g. central-asia")] = None,
    organisation: Annotated[
        list[uuid.UUID] | None, Query(description="Participating organisation (or a child of it)")
    ] = None,
    organisation_role: Annotated[
        ParticipantRole | None, Query(description="Only where the organisation has this role")
    ] = None,
    theme: Annotated[list[str] | None, Query()] = None,
    sector: Annotated[list[str] | None, Query(description="DAC purpose code")] = None,
    status_: Annotated[list[ActivityStatus] | None, Query(alias="status")] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2999, description="Active in or after this year")] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2999, description="Active in or before this year")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words matched as prefixes in code, title, description")
    ] = None,
    is_public: bool | None = None,
    sort: Sort = "code",
) -> Page[ProjectSummary]:
    """List the projects the caller may see, with filters that combine (AND across filters, OR within one)."""
    for i, r in enumerate(region or []):
        if r not in REGION_BY_CODE:
            raise invalid(f"query.region[{i}]", f"unknown region {r!r}; see /reference/regions", "unknown")
    for i, c in enumerate(country or []):
        if len(c) != 2 or not c.isupper():
            raise invalid(f"query.country[{i}]", "use an ISO 3166 alpha-2 code such as GE", "pattern")
    if year_from and year_to and year_to < year_from:
        raise invalid("query.year_to", "year_to is before year_from", "date_order")
    filters = ProjectFilters(
        countries=country or [], regions=region or [], organisations=organisation or [],
        organisation_role=organisation_role.value if organisation_role else None, themes=theme or [],
        sectors=sector or [], statuses=[s.value for s in status_ or []], year_from=year_from, year_to=year_to,
        q=q, is_public=is_public,
    )  # fmt: skip
    scope = await scope_for(session, principal, Role.viewer)
    conditions = [visible_clause(scope), *await repository.filter_conditions(session, filters)]
    rows, total = await repository.list_page(session, conditions, sort=sort, offset=page.offset, limit=page.page_size)
    return Page.of([to_summary(p) for p in rows], total, page)


@router.get("/{project_id}", response_model=Project, responses=problem_responses(404))
async def get_project(
    project_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal, response: Response
) -> Project:
    """One project with its countries, locations, themes, sectors and participating organisations."""
    project = await service.get_visible(session, principal, project_id)
    set_etag(response, project.id, project.version)
    return to_detail(project)


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
    project = await service.load_or_404(session, project_id)
    set_etag(response, project.id, project.version)
    response.headers["Location"] = f"/api/projects/v1/projects/{project.id}"
    return to_detail(project)


@router.patch(
    "/{project_id}",
    response_model=Project,
    responses=problem_responses(400, 401, 403, 404, 409, 412, 422, 428),
)
async def update_project(
    project_id: uuid.UUID,
    data: ProjectUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> Project:
    """Change a project; lists sent replace the old ones. Needs If-Match."""
    await service.update(session, principal, project_id, data, if_match)
    project = await service.load_or_404(session, project_id)
    set_etag(response, project.id, project.version)
    return to_detail(project)


@router.delete(
    "/{project_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 412, 428),
)
async def delete_project(
    project_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """Delete a project with its activities and funding. Needs If-Match."""
    await service.delete(session, principal, project_id, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{project_id}/history", response_model=Page[AuditEventOut], responses=problem_responses(404))
async def project_history(
    project_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal, page: PageDep
) -> Page[AuditEventOut]:
    """Every change to the project and its activities and funding, newest first: who, when, before and after."""
    await service.ensure_visible(session, principal, project_id)
    rows, total = await audit_repository.for_project(session, project_id, offset=page.offset, limit=page.page_size)
    return Page.of([AuditEventOut.model_validate(r) for r in rows], total, page)


@router.get("/{project_id}/access", response_model=ProjectAccess, responses=problem_responses(401, 404))
async def project_access(project_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal) -> ProjectAccess:
    """What the caller may do with this project (reporting-api asks this with the caller's token)."""
    return await service.access(session, principal, project_id)
