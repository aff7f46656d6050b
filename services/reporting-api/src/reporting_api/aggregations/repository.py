"""SQL of the dashboards: the approved values an answer needs, read in one statement each; rules.py combines them.

The statements only select (project, period, value, numerator, denominator) rows: the combining (over time, across
projects and places) is the rule set's, in Python, so every read follows the same written rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from registry_kit.auth import Principal
from reporting_api.aggregations.rules import Observation
from reporting_api.exports.repository import readable_values
from reporting_api.frameworks.models import ProjectIndicator, Target
from reporting_api.indicators.models import Indicator
from reporting_api.projects.models import ProjectCopy, ProjectCountryCopy, ProjectThemeCopy, RegionCountry
from reporting_api.reports.models import Report, ReportValue

OBSERVATION_COLUMNS = (
    Report.project_id,
    Report.period_start,
    Report.period_end,
    ReportValue.value,
    ReportValue.numerator,
    ReportValue.denominator,
)


def progress_query(project_id: Any, *, from_copy: bool = True) -> Select[*tuple[Any, ...]]:
    """One statement for a project's progress: each framework indicator with its rule's inputs, its overall target,
    its approved totals in period order (arrays of starts, ends, values, numerators, denominators) and the project's
    dates. `from_copy`: driven by the local copy of the project (no row: the copy does not know it)."""
    own = aliased(ProjectIndicator)  # the project's framework indicators, for the values' subquery
    values = (
        select(
            ReportValue.project_indicator_id.label("pi_id"),
            func.array_agg(aggregate_order_by(Report.period_start, Report.period_end, Report.period_start)).label(
                "starts"
            ),
            func.array_agg(aggregate_order_by(Report.period_end, Report.period_end, Report.period_start)).label("ends"),
            func.array_agg(aggregate_order_by(ReportValue.value, Report.period_end, Report.period_start)).label("vals"),
            func.array_agg(aggregate_order_by(ReportValue.numerator, Report.period_end, Report.period_start)).label(
                "nums"
            ),
            func.array_agg(aggregate_order_by(ReportValue.denominator, Report.period_end, Report.period_start)).label(
                "dens"
            ),
        )
        .select_from(ReportValue)
        .join(Report, Report.id == ReportValue.report_id)
        # The project's framework indicators joined here too, so that each value is found by all three columns of
        # report_value's unique index (report, indicator, disaggregation). With the indicator left open, PostgreSQL
        # 18 costs the disaggregation as a skip scan over every indicator and, at 10,000,000 values, reads the whole
        # table in parallel instead (1.2 s a request against 5 ms; `make bench SIZE=large`, BENCHMARKS.md round 5).
        .join(own, and_(own.id == ReportValue.project_indicator_id, own.project_id == Report.project_id))
        .where(Report.project_id == project_id, Report.status == "approved", ReportValue.disaggregation_key == "")
        .group_by(ReportValue.project_indicator_id)
        .subquery()
    )
    target = (
        select(Target.value)
        .where(
            Target.project_indicator_id == ProjectIndicator.id,
            Target.period_code == "",
            Target.disaggregation_key == "",
        )
        .limit(1)
        .scalar_subquery()
    )
    columns = select(
        ProjectIndicator.id,
        Indicator.code,
        Indicator.name,
        Indicator.direction,
        Indicator.aggregation,
        Indicator.cumulative,
        Indicator.measure,
        ProjectIndicator.baseline_value,
        target.label("target"),
        ProjectCopy.start_date,
        ProjectCopy.end_date,
        values.c.starts,
        values.c.ends,
        values.c.vals,
        values.c.nums,
        values.c.dens,
    )
    if from_copy:  # a row even without a framework (its indicator columns empty): the copy knows the project
        framework = ProjectIndicator.__table__.join(Indicator, Indicator.id == ProjectIndicator.indicator_id)
        source = ProjectCopy.__table__.outerjoin(framework, ProjectIndicator.project_id == ProjectCopy.id)
        condition = ProjectCopy.id == project_id
    else:
        source = ProjectIndicator.__table__.join(Indicator, Indicator.id == ProjectIndicator.indicator_id).outerjoin(
            ProjectCopy, ProjectCopy.id == ProjectIndicator.project_id
        )
        condition = ProjectIndicator.project_id == project_id
    return (
        columns.select_from(source.outerjoin(values, values.c.pi_id == ProjectIndicator.id))
        .where(condition)
        .order_by(ProjectIndicator.position, Indicator.code)
    )


def progress_observations(row: Any, project_id: uuid.UUID) -> list[Observation]:
    """The approved totals of one progress row, as the rule set takes them."""
    starts, ends, values, numerators, denominators = row[11], row[12], row[13], row[14], row[15]
    if not starts:
        return []
    return [
        Observation(project_id, s, e, v, n, d)
        for s, e, v, n, d in zip(starts, ends, values, numerators, denominators, strict=True)
    ]


class IndicatorId(Protocol):
    """What a read needs of its indicator (an Indicator, or its id as a bind parameter)."""

    @property
    def id(self) -> Any: ...


def observations_query(
    indicator: IndicatorId,
    principal: Principal | None,
    start: Any,
    end: Any,
    project_ids: Iterable[uuid.UUID] | None,
    project_id: Any = None,
    disaggregation: Any = "",
) -> Select[*tuple[Any, ...]]:
    """The approved values (of one disaggregation combination, "" for the totals) of an indicator that the caller
    may read: (project, period start, period end, value, numerator, denominator)."""
    conditions: list[ColumnElement[bool]] = [
        readable_values(principal, False),
        ReportValue.project_indicator_id.in_(
            select(ProjectIndicator.id).where(ProjectIndicator.indicator_id == indicator.id)
        ),
        ReportValue.disaggregation_key == disaggregation,
    ]
    if start is not None:
        conditions.append(Report.period_start >= start)
    if end is not None:
        conditions.append(Report.period_end <= end)
    if project_ids is not None:
        conditions.append(Report.project_id.in_(list(project_ids)))
    if project_id is not None:
        conditions.append(Report.project_id == project_id)
    return (
        select(*OBSERVATION_COLUMNS)
        .select_from(ReportValue)
        .join(Report, Report.id == ReportValue.report_id)
        .where(*conditions)
        .order_by(Report.project_id, Report.period_end, Report.period_start)
    )


def as_observations(rows: Iterable[Any]) -> list[Observation]:
    return [Observation(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


async def observations(
    session: AsyncSession,
    indicator: Indicator,
    principal: Principal | None,
    start: date | None,
    end: date | None,
    project_ids: Iterable[uuid.UUID] | None,
    disaggregation: str = "",
) -> list[Observation]:
    query = observations_query(indicator, principal, start, end, project_ids, None, disaggregation)
    return as_observations(await session.execute(query))


async def places(
    session: AsyncSession, by: str, project_ids: Iterable[uuid.UUID]
) -> tuple[dict[uuid.UUID, list[tuple[str, Decimal]]], dict[str, tuple[str, str]]]:
    """Each project's places for a roll-up: (key, share in %) by country or theme (themes: 100 each), and for
    regions, each country's region (code, name)."""
    ids = list(set(project_ids))
    out: dict[uuid.UUID, list[tuple[str, Decimal]]] = {i: [] for i in ids}
    regions: dict[str, tuple[str, str]] = {}
    if not ids:
        return out, regions
    if by == "theme":
        rows = await session.execute(
            select(ProjectThemeCopy.project_id, ProjectThemeCopy.theme_code).where(ProjectThemeCopy.project_id.in_(ids))
        )
        for project_id, theme in rows:
            out[project_id].append((theme, Decimal(100)))
        return out, regions
    countries = await session.execute(
        select(ProjectCountryCopy.project_id, ProjectCountryCopy.country_code, ProjectCountryCopy.percentage).where(
            ProjectCountryCopy.project_id.in_(ids)
        )
    )
    for project_id, country, percentage in countries:
        out[project_id].append((country, percentage))
    if by == "region":
        rows2 = await session.execute(
            select(RegionCountry.country_code, RegionCountry.region_code, RegionCountry.region_name)
        )
        regions = {country: (code, name) for country, code, name in rows2}
    return out, regions


def elapsed_share(start: date | None, end: date | None, today: date) -> float | None:
    if start is None or end is None or end <= start:
        return None
    return max(0.0, min(1.0, (today - start).days / (end - start).days))
