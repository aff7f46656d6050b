"""/context/series: country context figures (points, ranges, computed shares), each value with its source."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.etag import IfMatch, tagged
from registry_kit.pagination import Page, PageDep
from reporting_api.context import service
from reporting_api.context.schemas import ContextSeries, ContextSeriesCreate, ContextSeriesUpdate, ContextValueIn

router = APIRouter(prefix="/context/series", tags=["context"])
SeriesKey = Annotated[str, Path(max_length=80, description="The series' id or code", examples=["ge-idps"])]
PeriodCode = Annotated[str, Path(max_length=40, examples=["2009Q3"])]


@router.get("", response_model=Page[ContextSeries], responses=problem_responses(422))
async def list_series(
    session: SessionDep,
    page: PageDep,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[ContextSeries]:
    """Context series with their values, ranges and computed shares (public)."""
    return await service.list_page(session, page, country=country, q=q)


@router.get("/{series}", response_model=ContextSeries, responses=problem_responses(404, 422))
async def get_series(series: SeriesKey, session: SessionDep, response: Response) -> ContextSeries:
    """One context series with its values (public)."""
    row = await service.get_or_404(session, series)
    return await service.present_one(session, tagged(response, row))


@router.post(
    "",
    response_model=ContextSeries,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_series(
    data: ContextSeriesCreate, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> ContextSeries:
    """Add a series, or a share of two series (managers for the country, or with a global grant)."""
    row = await service.create(session, principal, data)
    return await service.present_one(session, tagged(response, row))


@router.patch("/{series}", response_model=ContextSeries, responses=problem_responses(401, 403, 404, 412, 422, 428))
async def update_series(
    series: SeriesKey,
    data: ContextSeriesUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> ContextSeries:
    """Change a series' name, description, location or unit; needs If-Match."""
    row = await service.update(session, principal, series, data, if_match)
    return await service.present_one(session, tagged(response, row))


@router.delete(
    "/{series}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 403, 404, 409, 412, 422, 428)
)
async def delete_series(
    series: SeriesKey, session: SessionDep, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """Delete a series and its values (no share may depend on it); needs If-Match."""
    await service.delete(session, principal, series, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/{series}/values/{period}",
    response_model=ContextSeries,
    responses={
        200: {"description": "The period's value was replaced; the series"},
        201: {"model": ContextSeries, "description": "The period had no value; the series with the new one"},
        **problem_responses(401, 403, 404, 422),
    },
)
async def put_value(
    series: SeriesKey,
    period: PeriodCode,
    data: ContextValueIn,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
) -> ContextSeries:
    """Set a period's value (a point, or a low-high range) with its source."""
    row, created = await service.put_value(session, principal, series, period, data)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return await service.present_one(session, tagged(response, row))


@router.delete(
    "/{series}/values/{period}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 403, 404, 422)
)
async def delete_value(
    series: SeriesKey, period: PeriodCode, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """Remove a period's value."""
    await service.delete_value(session, principal, series, period)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
