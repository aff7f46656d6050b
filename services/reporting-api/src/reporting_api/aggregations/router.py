"""/aggregations: progress against target, time series, roll-ups by country, region and theme, context."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from registry_kit.dependencies import OptionalPrincipal, ReadsDep, SessionDep
from registry_kit.errors import invalid, problem_responses
from reporting_api.access import ProjectsDep
from reporting_api.aggregations import service
from reporting_api.aggregations.schemas import ContextLatest, ProjectProgress, Rollup, TimeSeries
from reporting_api.common import disaggregation_key
from reporting_api.periods import PeriodType

router = APIRouter(prefix="/aggregations", tags=["aggregations"])


def _json(model: BaseModel) -> Response:
    """A hot read's answer, built once as its response model and written as JSON (FastAPI would validate it again)."""
    return Response(model.model_dump_json(), media_type="application/json")


IndicatorCode = Annotated[str, Query(max_length=60, description="Indicator code", examples=["officials-trained"])]


@router.get("/progress/{project_id}", response_model=ProjectProgress, responses=problem_responses(401, 404, 422, 503))
async def project_progress(
    project_id: uuid.UUID,
    request: Request,
    reads: ReadsDep,
    principal: OptionalPrincipal,
    projects: ProjectsDep,
    today: Annotated[date | None, Query(description="The day to measure elapsed time at (default today)")] = None,
) -> Response:
    """Each framework indicator of a project: baseline, target, approved actual, % achieved, on track or not."""
    day = today or datetime.now(UTC).date()
    maker = request.app.state.sessionmaker
    return _json(await service.project_progress(reads, maker, projects, principal, project_id, day))


Disaggregation = Annotated[
    str,
    Query(
        max_length=200,
        description="One disaggregation combination, e.g. `sex=f` or `age=18-59;sex=f` (default: the totals)",
        examples=["sex=f"],
    ),
]


def _disaggregation(text: str) -> str:
    """The canonical key of `dimension=value;…` ('' for the totals)."""
    parts: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in text.split(";"))):
        dimension, sep, value = item.partition("=")
        if not sep or not dimension.strip() or not value.strip():
            raise invalid("query.disaggregation", f"'{item}' is not dimension=value", "format")
        parts[dimension.strip()] = value.strip()
    return disaggregation_key(parts)


@router.get("/time-series", response_model=TimeSeries, responses=problem_responses(401, 422))
async def time_series(
    request: Request,
    reads: ReadsDep,
    principal: OptionalPrincipal,
    indicator: IndicatorCode,
    period_type: PeriodType = "year",
    project_id: uuid.UUID | None = None,
    start: date | None = None,
    end: date | None = None,
    disaggregation: Disaggregation = "",
) -> Response:
    """Approved values of an indicator per period of any DHIS2 period type across the readable projects, combined
    by the indicator's aggregation rule (`rule` says which); a value whose period spans two is left out
    (`unplaced_values`), never split."""
    key = _disaggregation(disaggregation)
    maker = request.app.state.sessionmaker
    series = await service.time_series(reads, maker, principal, indicator, period_type, project_id, start, end, key)
    return _json(series)


@router.get("/rollup", response_model=Rollup, responses=problem_responses(401, 422))
async def rollup(
    session: SessionDep,
    principal: OptionalPrincipal,
    indicator: IndicatorCode,
    by: Literal["country", "region", "theme"] = "country",
    start: date | None = None,
    end: date | None = None,
    disaggregation: Disaggregation = "",
) -> Rollup:
    """Approved values of an indicator across readable projects by country, region or theme, combined by the
    indicator's rule: sums are split by the projects' country percentages (the groups add up to `total`); any
    other value counts whole in each country or theme of its project (`attributed_whole`, `additive: false`)."""
    key = _disaggregation(disaggregation)
    return await service.rollup(session, principal, indicator, by, start, end, key)


@router.get("/context", response_model=list[ContextLatest], responses=problem_responses(422))
async def context_latest(
    session: SessionDep, country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None
) -> list[ContextLatest]:
    """Context series of a country (or all) with their latest value, a point or a low-high range (public)."""
    return await service.context_latest(session, country)
