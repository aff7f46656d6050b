"""Dashboard answers: the rows the repository read, combined by the rule set (rules.py)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_kit.apportion import apportion
from registry_kit.auth import Principal, Role
from registry_kit.errors import invalid
from registry_kit.raw_reads import Reads
from reporting_api.access import read_access
from reporting_api.aggregations import reads as aggregation_reads
from reporting_api.aggregations import repository
from reporting_api.aggregations.rules import (
    FOUR_PLACES,
    Combined,
    NotAggregable,
    Observation,
    Part,
    Rule,
    across_projects,
    by_project,
    over_time,
    rule_for,
    to_decimal,
)
from reporting_api.aggregations.schemas import (
    ContextLatest,
    Group,
    Progress,
    ProjectProgress,
    Rollup,
    RuleOut,
    SeriesPoint,
    TimeSeries,
)
from reporting_api.context import repository as context_repository
from reporting_api.context import service as context_service
from reporting_api.indicators import repository as indicators
from reporting_api.indicators.models import Indicator as IndicatorRow
from reporting_api.periods import bucket
from reporting_api.projects.client import ProjectsClient

TOLERANCE = Decimal(10)
TENTH = Decimal("0.1")


def rule_out(rule: Rule) -> RuleOut:
    return RuleOut(
        name=rule.name,
        measure=rule.measure,
        over_time=rule.over_time,
        across_projects=rule.across_projects,
        across_places=rule.across_places,
        disaggregations=rule.disaggregations,
    )


def achieved(
    direction: str, baseline: Decimal | None, actual: Decimal | None, target: Decimal | None
) -> Decimal | None:
    """Percent of the way from the baseline to the target, in the indicator's direction."""
    if actual is None or target is None:
        return None
    base = baseline or Decimal(0)
    span = (target - base) if direction == "increase" else (base - target)
    if span == 0:
        return None
    done = (actual - base) if direction == "increase" else (base - actual)
    return (done / span * 100).quantize(TENTH)


def progress_of(row: Any, today: date, project_id: uuid.UUID) -> Progress:
    """One row of `repository.progress_query` as the answer shows it: its approved totals over time by the rule."""
    (pi_id, code, name, direction, aggregation, cumulative, measure, baseline, target, start, end) = row[:11]
    try:
        rule: Rule | None = rule_for(measure, aggregation, cumulative)
    except NotAggregable:
        rule = None
    part = over_time(rule, repository.progress_observations(row, project_id)) if rule is not None else None
    actual = to_decimal(part.value) if part is not None and part.value is not None else None
    share = repository.elapsed_share(start, end, today)
    expected = None if share is None else Decimal(str(round(share * 100, 1)))
    percent = achieved(direction, baseline, actual, target)
    on_track = None if percent is None or expected is None else percent >= expected - TOLERANCE
    return Progress(
        project_indicator_id=pi_id,
        indicator=code,
        name=name,
        direction=direction,
        aggregation="latest" if cumulative else aggregation,
        rule=rule.name if rule else None,
        baseline=baseline,
        target=target,
        actual=actual,
        percent_achieved=percent,
        expected_percent=expected,
        on_track=on_track,
    )


async def progress(
    reads: Reads, project_id: uuid.UUID, today: date, *, from_copy: bool = True
) -> tuple[bool, list[Progress]]:
    """Each framework indicator of the project against its overall target, in one statement; and whether the
    local copy knows the project (from_copy: when it does not, ask again with from_copy=False)."""
    rows = await aggregation_reads.progress_rows(reads, project_id, from_copy=from_copy)
    return bool(rows), [progress_of(row, today, project_id) for row in rows if row[0] is not None]


def _shown(combined: Combined) -> dict[str, Any]:
    return {
        "value": combined.rounded(),
        "numerator": None if combined.numerator is None else to_decimal(combined.numerator),
        "denominator": None if combined.denominator is None else to_decimal(combined.denominator),
        "projects": combined.projects,
    }


def series_points(rule: Rule, observations: Iterable[Observation], period_type: str) -> tuple[list[SeriesPoint], int]:
    """Values per period of the type (a value whose period spans two is left out and counted), each period's
    projects combined over time and then across projects by the rule."""
    buckets: dict[tuple[date, str], list[Observation]] = defaultdict(list)
    unplaced = 0
    for o in observations:
        period = bucket(period_type, o.start, o.end)
        if period is None:
            unplaced += 1
        else:
            buckets[(period.start, period.code)].append(o)
    points = []
    for (_, code), rows in sorted(buckets.items()):
        parts = [(p, Fraction(1)) for p in _parts(rule, rows).values()]
        points.append(SeriesPoint(period=code, **_shown(across_projects(rule, parts))))
    return points, unplaced


def _parts(rule: Rule, observations: Iterable[Observation]) -> dict[uuid.UUID, Part]:
    out = {}
    for project_id, rows in by_project(observations).items():
        part = over_time(rule, rows)
        if part is not None:
            out[project_id] = part
    return out


def rollup_groups(
    rule: Rule,
    observations: Iterable[Observation],
    by: str,
    places: dict[uuid.UUID, list[tuple[str, Decimal]]],
    regions: dict[str, tuple[str, str]],
) -> tuple[Group, list[Group]]:
    """The total and the groups by country, region or theme. Additive values are split by country percentage (the
    groups add up to the total, rounded so that they still do); others count whole in each place of a project."""
    parts = _parts(rule, observations)
    total = across_projects(rule, [(p, Fraction(1)) for p in parts.values()])
    members: dict[str | None, list[tuple[Part, Fraction]]] = defaultdict(list)
    names: dict[str | None, str | None] = {}
    split = rule.prorated and by != "theme"
    for project_id, part in parts.items():
        for key, weight in _weights(places.get(project_id, []), by, regions, names, split).items():
            members[key].append((part, weight))
    combined = {key: across_projects(rule, rows) for key, rows in members.items()}
    shown = {key: _shown(c) for key, c in combined.items()}
    if split:  # rounded so that the groups add up to the total to the last digit
        exact = {key: c.value for key, c in combined.items() if c.value is not None}
        rounded, _ = apportion(exact, FOUR_PLACES)
        for key, value in rounded.items():
            shown[key]["value"] = value
    groups = [
        Group(key=key, name=names.get(key), attributed_whole=not split, **shown[key])
        for key in sorted(members, key=lambda k: (k is None, k or ""))
    ]
    return Group(key=None, name="total", **_shown(total)), groups


def _weights(
    shares: Sequence[tuple[str, Decimal]],
    by: str,
    regions: dict[str, tuple[str, str]],
    names: dict[str | None, str | None],
    split: bool,
) -> dict[str | None, Fraction]:
    """A project's share of each group: its country percentage (summed over a region's countries) when values are
    split, else 1 in each of its groups; what no percentage covers (no country, no theme) goes to the group None."""
    out: dict[str | None, Fraction] = defaultdict(Fraction)
    for code, percentage in shares:
        key: str | None = code
        if by == "region":
            region = regions.get(code)
            key = region[0] if region else None
            if region:
                names[key] = region[1]
        out[key] += Fraction(percentage) / 100
    covered = sum(out.values(), Fraction(0))
    if covered < 1:
        out[None] += 1 - covered
    if not split:
        return dict.fromkeys(out, Fraction(1))
    return {k: w for k, w in out.items() if w}


# --- the use cases behind /aggregations ------------------------------------------------------------------------------

Maker = async_sessionmaker[AsyncSession]


async def _indicator(session: AsyncSession, code: str) -> IndicatorRow:
    found = await indicators.by_code(session, code)
    if found is None:
        raise invalid("query.indicator", f"no indicator with code {code}", "unknown")
    return found


def _rule(measure: str, aggregation: str, cumulative: bool) -> Rule:
    try:
        return rule_for(measure, aggregation, cumulative)
    except NotAggregable as exc:
        raise invalid("query.indicator", str(exc), "not_aggregable") from exc


async def project_progress(
    reads: Reads,
    maker: Maker,
    projects: ProjectsClient,
    principal: Principal | None,
    project_id: uuid.UUID,
    day: date,
) -> ProjectProgress:
    """A hot read in one statement; a viewer grant without limits reads every project (projects-api's own rule), so
    for such a caller a project the local copy knows needs no question. Others ask projects-api (cached), with an ORM
    session only for read_access's fallback to the copy."""
    known, rows = await progress(reads, project_id, day)
    if not (known and principal is not None and principal.has_global(Role.viewer)):
        async with maker() as session:
            await read_access(projects, session, principal, project_id)
        if not known:
            _, rows = await progress(reads, project_id, day, from_copy=False)
    return ProjectProgress(project_id=project_id, indicators=rows)


async def time_series(
    reads: Reads,
    maker: Maker,
    principal: Principal | None,
    indicator: str,
    period_type: str,
    project_id: uuid.UUID | None,
    start: date | None,
    end: date | None,
    key: str,
) -> TimeSeries:
    """Callers whose grants are limited to some organisations or countries read through the ORM (their clause lists
    them, in a session of its own); the others take the one-statement raw read."""
    kind = aggregation_reads.reach(principal)
    if kind is None:
        async with maker() as session:
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
    points, unplaced = series_points(rule, observations, period_type)
    return TimeSeries(
        indicator=indicator,
        period_type=period_type,
        disaggregation=key,
        rule=rule_out(rule),
        points=points,
        unplaced_values=unplaced,
    )


async def rollup(
    session: AsyncSession,
    principal: Principal | None,
    indicator: str,
    by: str,
    start: date | None,
    end: date | None,
    key: str,
) -> Rollup:
    found = await _indicator(session, indicator)
    rule = _rule(found.measure, found.aggregation, found.cumulative)
    observations = await repository.observations(session, found, principal, start, end, None, key)
    places, regions = await repository.places(session, by, {o.project_id for o in observations})
    total, groups = rollup_groups(rule, observations, by, places, regions)
    return Rollup(
        indicator=found.code,
        by=by,
        disaggregation=key,
        rule=rule_out(rule),
        additive=rule.prorated and by != "theme",
        total=total,
        groups=groups,
    )


async def context_latest(session: AsyncSession, country: str | None) -> list[ContextLatest]:
    rows, _ = await context_repository.list_page(session, country=country, q=None, offset=0, limit=1000)
    out = []
    for series in await context_service.present(session, rows):
        latest = max(series.values, key=lambda v: v.period_start, default=None)
        out.append(
            ContextLatest(
                code=series.code,
                name=series.name,
                country_code=series.country_code,
                unit=series.unit,
                latest=latest,
                values=len(series.values),
            )
        )
    return out
