"""/aggregations: progress against target, time series, roll-ups by country, region and theme, context."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from registry_kit.dependencies import OptionalPrincipal, SessionDep
from registry_kit.errors import invalid, problem_responses
from reporting_api.access import ProjectsDep, read_access
from reporting_api.aggregations import repository, service
from reporting_api.aggregations.schemas import ContextLatest, Group, ProjectProgress, Rollup, SeriesPoint, TimeSeries
from reporting_api.context import repository as context_repository
from reporting_api.context import service as context_service
from reporting_api.indicators import repository as indicators
from reporting_api.indicators.models import Indicator

router = APIRouter(prefix="/aggregations", tags=["aggregations"])
IndicatorCode = Annotated[str, Query(max_length=60, description="Indicator code", examples=["officials-trained"])]


async def _indicator(session: SessionDep, code: str) -> Indicator:
    found = await indicators.by_code(session, code)
    if found is None:
        raise invalid("query.indicator", f"no indicator with code {code}", "unknown")
    return found


@router.get("/progress/{project_id}", response_model=ProjectProgress, responses=problem_responses(401, 404, 422, 503))
async def project_progress(
    project_id: uuid.UUID, session: SessionDep, principal: OptionalPrincipal, projects: ProjectsDep,
    today: Annotated[date | None, Query(description="The day to measure elapsed time at (default today)")] = None,
) -> ProjectProgress:  # fmt: skip
    """Each framework indicator of a project: baseline, target, approved actual, % achieved, on track or not."""
    await read_access(projects, session, principal, project_id)
    rows = await service.progress(session, project_id, today or datetime.now(UTC).date())
    return ProjectProgress(project_id=project_id, indicators=rows)


@router.get("/time-series", response_model=TimeSeries, responses=problem_responses(401, 422))
async def time_series(
    session: SessionDep, principal: OptionalPrincipal, indicator: IndicatorCode,
    period_type: Literal["year", "quarter", "month"] = "year", project_id: uuid.UUID | None = None,
    start: date | None = None, end: date | None = None,
) -> TimeSeries:  # fmt: skip
    """Approved values of an indicator per period across the readable projects; quarters roll into years by the
    indicator's rule (a cumulative indicator's year is its last quarter, not the sum)."""
    found = await _indicator(session, indicator)
    points = await repository.time_series(
        session, found, principal, period_type, start, end, [project_id] if project_id else None
    )
    return TimeSeries(
        indicator=found.code, period_type=period_type,
        points=[SeriesPoint(period=p, value=v, projects=n) for p, v, n in points if v is not None],
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
