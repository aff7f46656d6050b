"""/aggregations: progress against target, time series, roll-ups by country, region and theme, context."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from registry_kit.auth import Role
from registry_kit.dependencies import OptionalPrincipal, ReadsDep, SessionDep
from registry_kit.errors import invalid, problem_responses
from reporting_api.access import ProjectsDep, read_access
from reporting_api.aggregations import reads as aggregation_reads
from reporting_api.aggregations import repository, service
from reporting_api.aggregations.schemas import ContextLatest, Group, ProjectProgress, Rollup, SeriesPoint, TimeSeries
from reporting_api.context import repository as context_repository
from reporting_api.context import service as context_service
from reporting_api.indicators import repository as indicators
from reporting_api.indicators.models import Indicator

router = APIRouter(prefix="/aggregations", tags=["aggregations"])


def _json(model: BaseModel) -> Response:
    """A hot read's answer, built once as its response model and written as JSON (FastAPI would validate it again)."""
    return Response(model.model_dump_json(), media_type="application/json")


IndicatorCode = Annotated[str, Query(max_length=60, description="Indicator code", examples=["officials-trained"])]


async def _indicator(session: SessionDep, code: str) -> Indicator:
    found = await indicators.by_code(session, code)
    if found is None:
        raise invalid("query.indicator", f"no indicator with code {code}", "unknown")
    return found


@router.get("/progress/{project_id}", response_model=ProjectProgress, responses=problem_responses(401, 404, 422, 503))
async def project_progress(
    project_id: uuid.UUID, request: Request, reads: ReadsDep, principal: OptionalPrincipal, projects: ProjectsDep,
    today: Annotated[date | None, Query(description="The day to measure elapsed time at (default today)")] = None,
) -> Response:  # fmt: skip
    """Each framework indicator of a project: baseline, target, approved actual, % achieved, on track or not."""
    # A hot read in one statement; a viewer grant without limits reads every project (projects-api's own rule), so
    # for such a caller a project the local copy knows needs no question. Others ask projects-api (cached), with an
    # ORM session only for read_access's fallback to the copy.
    day = today or datetime.now(UTC).date()
    known, rows = await service.progress(reads, project_id, day)
    if not (known and principal is not None and principal.has_global(Role.viewer)):
        async with request.app.state.sessionmaker() as session:
            await read_access(projects, session, principal, project_id)
        if not known:
            _, rows = await service.progress(reads, project_id, day, from_copy=False)
    return _json(ProjectProgress(project_id=project_id, indicators=rows))


@router.get("/time-series", response_model=TimeSeries, responses=problem_responses(401, 422))
async def time_series(
    request: Request, reads: ReadsDep, principal: OptionalPrincipal, indicator: IndicatorCode,
    period_type: Literal["year", "quarter", "month"] = "year", project_id: uuid.UUID | None = None,
    start: date | None = None, end: date | None = None,
) -> Response:  # fmt: skip
    """Approved values of an indicator per period across the readable projects; quarters roll into years by the
    indicator's rule (a cumulative indicator's year is its last quarter, not the sum)."""
    kind = aggregation_reads.reach(principal)
    if kind is None:  # grants limited to some organisations or countries: their clause lists them
        async with request.app.state.sessionmaker() as session:
            found = await _indicator(session, indicator)
            points: list[Any] = await repository.time_series(
                session, found, principal, period_type, start, end, [project_id] if project_id else None
            )
    else:
        rule = await aggregation_reads.indicator_rule(reads, indicator)
        if rule is None:
            raise invalid("query.indicator", f"no indicator with code {indicator}", "unknown")
        points = await aggregation_reads.time_series_rows(reads, rule, kind, period_type, start, end, project_id)
    return _json(
        TimeSeries(
            indicator=indicator, period_type=period_type,
            points=[SeriesPoint(period=p, value=v, projects=n) for p, v, n in points if v is not None],
        )
    )  # fmt: skip


@router.get("/rollup", response_model=Rollup, responses=problem_responses(401, 422))
async def rollup(
    session: SessionDep, principal: OptionalPrincipal, indicator: IndicatorCode,
    by: Literal["country", "region", "theme"] = "country", start: date | None = None, end: date | None = None,
) -> Rollup:  # fmt: skip
    """Approved values of an indicator across readable projects by country or region (split by the projects'
    country percentages) or by theme (each project counts under each of its themes)."""
    found = await _indicator(session, indicator)
    groups = await repository.rollup(session, found, principal, by, start, end)
    return Rollup(
        indicator=found.code, by=by,
        groups=[Group(key=k, name=n, value=v, projects=c) for k, n, v, c in groups if v is not None],
    )  # fmt: skip


@router.get("/context", response_model=list[ContextLatest], responses=problem_responses(422))
async def context_latest(
    session: SessionDep, country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None
) -> list[ContextLatest]:
    """Context series of a country (or all) with their latest value, a point or a low-high range (public)."""
    rows, _ = await context_repository.list_page(session, country=country, q=None, offset=0, limit=1000)
    out = []
    for series in await context_service.present(session, rows):
        latest = max(series.values, key=lambda v: v.period_start, default=None)
        out.append(
            ContextLatest(
                code=series.code, name=series.name, country_code=series.country_code, unit=series.unit,
                latest=latest, values=len(series.values),
            )
        )  # fmt: skip
    return out
