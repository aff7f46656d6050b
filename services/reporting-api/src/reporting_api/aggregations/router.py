"""/aggregations: progress against target, time series, roll-ups by country, region and theme, context."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from registry_kit.auth import Role
from registry_kit.dependencies import OptionalPrincipal, ReadsDep, SessionDep
from registry_kit.errors import invalid, problem_responses
from reporting_api.access import ProjectsDep, read_access
from reporting_api.aggregations import reads as aggregation_reads
from reporting_api.aggregations import repository, rules, service
from reporting_api.aggregations.schemas import ContextLatest, ProjectProgress, Rollup, TimeSeries
from reporting_api.common import disaggregation_key
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


PeriodType = Literal[
    "day",
    "week",
    "week_wednesday",
    "week_thursday",
    "week_saturday",
    "week_sunday",
    "bi_week",
    "month",
    "bi_month",
    "quarter",
    "semester",
    "six_month_april",
    "six_month_november",
    "year",
    "financial_april",
    "financial_july",
    "financial_october",
    "financial_november",
]  # periods.PERIOD_TYPES: every DHIS2 period type
Disaggregation = Annotated[
    str,
    Query(max_length=200, description="One disaggregation combination, e.g. `sex=f` or `age=18-59;sex=f` (default: "
          "the totals)", examples=["sex=f"]),
]  # fmt: skip


def _rule(measure: str, aggregation: str, cumulative: bool) -> rules.Rule:
    try:
        return rules.rule_for(measure, aggregation, cumulative)
    except rules.NotAggregable as exc:
        raise invalid("query.indicator", str(exc), "not_aggregable") from exc


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
    request: Request, reads: ReadsDep, principal: OptionalPrincipal, indicator: IndicatorCode,
    period_type: PeriodType = "year", project_id: uuid.UUID | None = None,
    start: date | None = None, end: date | None = None, disaggregation: Disaggregation = "",
) -> Response:  # fmt: skip
    """Approved values of an indicator per period of any DHIS2 period type across the readable projects, combined
    by the indicator's aggregation rule (`rule` says which); a value whose period spans two is left out
    (`unplaced_values`), never split."""
    key = _disaggregation(disaggregation)
    kind = aggregation_reads.reach(principal)
    if kind is None:  # grants limited to some organisations or countries: their clause lists them
        async with request.app.state.sessionmaker() as session:
            found = await _indicator(session, indicator)
            rule = _rule(found.measure, found.aggregation, found.cumulative)
            observations = await repository.observations(
                session, found, principal, start, end, [project_id] if project_id else None, key
            )
    else:
        row = await aggregation_reads.indicator_rule(reads, indicator)
        if row is None:
            raise invalid("query.indicator", f"no indicator with code {indicator}", "unknown")
        rule = _rule(row.measure, row.aggregation, row.cumulative)
        observations = repository.as_observations(
            await aggregation_reads.observation_rows(reads, row, kind, start, end, project_id, key)
        )
    points, unplaced = service.series_points(rule, observations, period_type)
    return _json(
        TimeSeries(indicator=indicator, period_type=period_type, disaggregation=key, rule=service.rule_out(rule),
                   points=points, unplaced_values=unplaced)
    )  # fmt: skip


@router.get("/rollup", response_model=Rollup, responses=problem_responses(401, 422))
async def rollup(
    session: SessionDep, principal: OptionalPrincipal, indicator: IndicatorCode,
    by: Literal["country", "region", "theme"] = "country", start: date | None = None, end: date | None = None,
    disaggregation: Disaggregation = "",
) -> Rollup:  # fmt: skip
    """Approved values of an indicator across readable projects by country, region or theme, combined by the
    indicator's rule: sums are split by the projects' country percentages (the groups add up to `total`); any
    other value counts whole in each country or theme of its project (`attributed_whole`, `additive: false`)."""
    found = await _indicator(session, indicator)
    rule = _rule(found.measure, found.aggregation, found.cumulative)
    key = _disaggregation(disaggregation)
    observations = await repository.observations(session, found, principal, start, end, None, key)
    places, regions = await repository.places(session, by, {o.project_id for o in observations})
    total, groups = service.rollup_groups(rule, observations, by, places, regions)
    return Rollup(
        indicator=found.code, by=by, disaggregation=key, rule=service.rule_out(rule),
        additive=rule.prorated and by != "theme", total=total, groups=groups,
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
