"""/organisations: the donors, IOM offices and institutions the registry knows."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from projects_api.organisations import service
from projects_api.organisations.schemas import Organisation, OrganisationCreate, OrganisationUpdate
from registry_kit.dependencies import CurrentPrincipal, EditDep, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.etag import tagged
from registry_kit.pagination import Page, PageDep

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("", response_model=Page[Organisation], responses=problem_responses(422))
async def list_organisations(
    session: SessionDep,
    page: PageDep,
    q: Annotated[
        str | None, Query(max_length=200, description="Words matched as prefixes of name, acronym, IATI id")
    ] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    org_type: Annotated[str | None, Query(max_length=2)] = None,
    parent_id: uuid.UUID | None = None,
) -> Page[Organisation]:
    """List organisations, searched and filtered."""
    return await service.list_page(session, page, q=q, country=country, org_type=org_type, parent_id=parent_id)


@router.get("/{org_id}", response_model=Organisation, responses=problem_responses(404))
async def get_organisation(org_id: uuid.UUID, session: SessionDep, response: Response) -> Organisation:
    """One organisation."""
    return Organisation.model_validate(tagged(response, await service.get_or_404(session, org_id)))


@router.post(
    "",
    response_model=Organisation,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 401, 403, 409, 413, 422),
)
async def create_organisation(
    data: OrganisationCreate, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> Organisation:
    """Register an organisation (managers and admins)."""
    org = tagged(response, await service.create(session, principal, data))
    response.headers["Location"] = f"/api/projects/v1/organisations/{org.id}"
    return Organisation.model_validate(org)


@router.patch(
    "/{org_id}",
    response_model=Organisation,
    responses=problem_responses(400, 401, 403, 404, 409, 412, 422, 428),
)
async def update_organisation(org_id: uuid.UUID, data: OrganisationUpdate, edit: EditDep) -> Organisation:
    """Change an organisation; needs If-Match."""
    org = await service.update(edit.session, edit.principal, org_id, data, edit.if_match)
    return Organisation.model_validate(edit.tagged(org))


@router.delete(
    "/{org_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 412, 428),
)
async def delete_organisation(org_id: uuid.UUID, edit: EditDep) -> Response:
    """Delete an organisation nothing refers to (admins); 409 while projects reference it."""
    await service.delete(edit.session, edit.principal, org_id, edit.if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
