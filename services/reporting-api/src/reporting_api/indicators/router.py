"""/indicators: the catalogue of indicators projects report on."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from registry_kit.dependencies import CurrentPrincipal, EditDep, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.etag import tagged
from registry_kit.pagination import Page, PageDep
from reporting_api.indicators import service
from reporting_api.indicators.schemas import Indicator, IndicatorCreate, IndicatorUpdate, Level, Measure

router = APIRouter(prefix="/indicators", tags=["indicators"])


@router.get("", response_model=Page[Indicator], responses=problem_responses(422))
async def list_indicators(
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of the code or name")] = None,
    level: Level | None = None,
    measure: Measure | None = None,
) -> Page[Indicator]:
    """The indicator catalogue (public)."""
    return await service.list_page(session, page, q=q, level=level, measure=measure)


@router.get("/{indicator_id}", response_model=Indicator, responses=problem_responses(404, 422))
async def get_indicator(indicator_id: uuid.UUID, session: SessionDep, response: Response) -> Indicator:
    """One indicator (public)."""
    return Indicator.model_validate(tagged(response, await service.get_or_404(session, indicator_id)))


@router.post(
    "", response_model=Indicator, status_code=status.HTTP_201_CREATED, responses=problem_responses(401, 403, 409, 422)
)
async def create_indicator(
    data: IndicatorCreate, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> Indicator:
    """Add an indicator to the catalogue (managers with a global grant, admins)."""
    indicator = tagged(response, await service.create(session, principal, data))
    response.headers["Location"] = f"/api/reporting/v1/indicators/{indicator.id}"
    return Indicator.model_validate(indicator)


@router.patch(
    "/{indicator_id}", response_model=Indicator, responses=problem_responses(401, 403, 404, 409, 412, 422, 428)
)
async def update_indicator(indicator_id: uuid.UUID, data: IndicatorUpdate, edit: EditDep) -> Indicator:
    """Change an indicator; needs If-Match (managers with a global grant, admins)."""
    indicator = await service.update(edit.session, edit.principal, indicator_id, data, edit.if_match)
    return Indicator.model_validate(edit.tagged(indicator))


@router.delete(
    "/{indicator_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def delete_indicator(indicator_id: uuid.UUID, edit: EditDep) -> Response:
    """Remove an indicator no framework uses; needs If-Match (managers with a global grant, admins)."""
    await service.delete(edit.session, edit.principal, indicator_id, edit.if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
