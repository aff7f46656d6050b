"""/dhis2/mappings: the DHIS2 mapping table (admins change it; reporters, who import, may read it)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.etag import IfMatch, set_etag
from registry_kit.pagination import Page, PageDep
from reporting_api.imports import dhis2_mappings as service
from reporting_api.imports.dhis2_schemas import Mapping, MappingIn, MappingKind, MappingUpdate

router = APIRouter(prefix="/dhis2/mappings", tags=["imports"])


@router.get("", response_model=Page[Mapping], responses=problem_responses(401, 403))
async def list_mappings(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    kind: Annotated[MappingKind | None, Query(description="Only mappings of this DHIS2 object type")] = None,
) -> Page[Mapping]:
    """The DHIS2 mapping table: orgUnit → project or country, dataElement → indicator, categoryOptionCombo →
    disaggregation (reporters and above)."""
    rows, total = await service.listed(session, principal, kind, page.offset, page.page_size)
    return Page[Mapping].of(await service.present(session, rows), total, page)


@router.post("", response_model=Mapping, status_code=status.HTTP_201_CREATED, responses=problem_responses(401, 403))
async def create_mapping(
    data: MappingIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> Mapping:
    """Map a DHIS2 identifier (admins); a second mapping of the same UID or code is a 409."""
    row = await service.create(session, principal, data)
    set_etag(response, row.id, row.version)
    return (await service.present(session, [row]))[0]


@router.get("/{mapping_id}", response_model=Mapping, responses=problem_responses(401, 403))
async def get_mapping(
    mapping_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> Mapping:
    """One mapping, with its ETag (reporters and above)."""
    row = await service.get(session, principal, mapping_id)
    set_etag(response, row.id, row.version)
    return (await service.present(session, [row]))[0]


@router.patch("/{mapping_id}", response_model=Mapping, responses=problem_responses(401, 403))
async def update_mapping(
    mapping_id: uuid.UUID,
    data: MappingUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> Mapping:
    """Change what a DHIS2 identifier maps to, or its code (admins); needs If-Match."""
    row = await service.update(session, principal, mapping_id, data, if_match)
    set_etag(response, row.id, row.version)
    return (await service.present(session, [row]))[0]


@router.delete("/{mapping_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 403))
async def delete_mapping(
    mapping_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """Remove a mapping (admins); needs If-Match."""
    await service.delete(session, principal, mapping_id, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
