"""SQL of the dashboards: each answer is one grouped query, whatever the number of projects or values."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Numeric, Select, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from reporting_api.exports.repository import readable_values
from reporting_api.frameworks.models import ProjectIndicator, Target
from reporting_api.indicators.models import Indicator
from reporting_api.projects.models import ProjectCopy, ProjectCountryCopy, ProjectThemeCopy, RegionCountry
from reporting_api.reports.models import Report, ReportValue

BUCKETS = {"year": "YYYY", "quarter": 'YYYY"Q"Q', "month": "YYYY-MM"}


def _values(conditions: list[ColumnElement[bool]], bucket: ColumnElement[str], partition: Any) -> Any:
    """Approved totals with their bucket and their rank from the latest period (1 = latest) in the partition."""
    return (
        select(
            Report.project_id.label("project_id"),
            ReportValue.project_indicator_id.label("pi_id"),
            bucket.label("bucket"),
            ReportValue.value.label("value"),
            func.row_number().over(partition_by=(partition, bucket), order_by=Report.period_end.desc()).label("rn"),
        )  # fmt: skip
        .select_from(ReportValue)
        .join(Report, Report.id == ReportValue.report_id)
        .where(ReportValue.disaggregation_key == "", ReportValue.value.is_not(None), *conditions)
        .subquery()
    )


def over_time(rule: str, value: Any, rank: Any) -> Any:
    """How an indicator's values combine over time: running totals and `latest` take the last period."""
    if rule == "latest":
        return func.max(value).filter(rank == 1)
    if rule == "average":
        return func.avg(value)
    if rule == "maximum":
        return func.max(value)
    return func.sum(value)


def progress_query(project_id: Any, *, from_copy: bool = True) -> Select[Any]:
    """One statement for a project's progress: each framework indicator with its rule's inputs, its overall
    target, its approved totals combined every way (the caller picks by the rule) and the project's dates.
    `from_copy`: driven by the local copy of the project (no row: the copy does not know it)."""
    v = _values(
        [Report.project_id == project_id, Report.status == "approved"], literal("all"), ReportValue.project_indicator_id
    )
    totals = (
        select(
            v.c.pi_id.label("pi_id"),
            func.sum(v.c.value).label("sum"),
            func.avg(v.c.value).label("average"),
            func.max(v.c.value).label("maximum"),
            func.max(v.c.value).filter(v.c.rn == 1).label("latest"),
        )  # fmt: skip
        .group_by(v.c.pi_id)
        .subquery()
    )
    target = (
        select(Target.value)
        .where(
            Target.project_indicator_id == ProjectIndicator.id,
            Target.period_code == "",
            Target.disaggregation_key == "",
        )  # fmt: skip
        .limit(1)
        .scalar_subquery()
    )
    columns = (
        select(
            ProjectIndicator.id,
            Indicator.code,
            Indicator.name,
            Indicator.direction,
            Indicator.aggregation,
            Indicator.cumulative,
            ProjectIndicator.baseline_value,
            target.label("target"),
            totals.c.sum,
            totals.c.average,
            totals.c.maximum,
            totals.c.latest,
            ProjectCopy.start_date,
            ProjectCopy.end_date,
        )  # fmt: skip
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
        columns.select_from(source.outerjoin(totals, totals.c.pi_id == ProjectIndicator.id))
        .where(condition)
        .order_by(ProjectIndicator.position, Indicator.code)
    )


class Rule(Protocol):
    """What a series needs of its indicator (an Indicator, or its columns with the id as a bind parameter)."""

    @property
    def id(self) -> Any: ...
    @property
    def measure(self) -> str: ...
    @property
    def aggregation(self) -> str: ...
    @property
    def cumulative(self) -> bool: ...


def _per_project(
    indicator: Rule, principal: Principal | None, bucket_format: str | None, start: Any, end: Any,
    project_ids: Iterable[uuid.UUID] | None, project_id: Any = None,
) -> Any:  # fmt: skip
    conditions: list[ColumnElement[bool]] = [
        readable_values(principal, False),
        ReportValue.project_indicator_id.in_(
            select(ProjectIndicator.id).where(ProjectIndicator.indicator_id == indicator.id)
        ),
    ]
    if start is not None:
        conditions.append(Report.period_start >= start)
    if end is not None:
        conditions.append(Report.period_end <= end)
    if project_ids is not None:
        conditions.append(Report.project_id.in_(list(project_ids)))
    if project_id is not None:
        conditions.append(Report.project_id == project_id)
    if bucket_format:
        bucket: ColumnElement[str] = func.to_char(Report.period_start, bucket_format)
        conditions.append(func.to_char(Report.period_end, bucket_format) == bucket)
    else:
        bucket = literal("all")
    v = _values(conditions, bucket, Report.project_id)
    rule = "latest" if indicator.cumulative else indicator.aggregation
    return (
        select(v.c.project_id, v.c.bucket, over_time(rule, v.c.value, v.c.rn).label("value"))
        .group_by(v.c.project_id, v.c.bucket)
        .subquery()
    )


def across_projects(indicator: Rule, value: Any) -> Any:
    combined = func.sum(value) if indicator.measure in ("number", "currency") else func.avg(value)
    return cast(combined, Numeric(20, 4))


def time_series_query(
    indicator: Rule, principal: Principal | None, period_type: str, start: Any, end: Any,
    project_ids: Iterable[uuid.UUID] | None, project_id: Any = None,
) -> Select[Any]:  # fmt: skip
    p = _per_project(indicator, principal, BUCKETS[period_type], start, end, project_ids, project_id)
    return (
        select(p.c.bucket, across_projects(indicator, p.c.value), func.count(func.distinct(p.c.project_id)))
        .group_by(p.c.bucket)
        .order_by(p.c.bucket)
    )


async def time_series(
    session: AsyncSession, indicator: Indicator, principal: Principal | None, period_type: str,
    start: date | None, end: date | None, project_ids: Iterable[uuid.UUID] | None,
) -> list[tuple[str, Decimal, int]]:  # fmt: skip
    query = time_series_query(indicator, principal, period_type, start, end, project_ids)
    return [(r[0], r[1], r[2]) for r in await session.execute(query)]


async def rollup(
    session: AsyncSession,
    indicator: Indicator,
    principal: Principal | None,
    by: str,
    start: date | None,
    end: date | None,
) -> list[tuple[str, str | None, Decimal, int]]:
    """Values across projects by country or region (weighted by the project's country percentages, so the groups
    add up to the total) or by theme (a project counts fully under each of its themes)."""
    p = _per_project(indicator, principal, None, start, end, None)
    key: Any
    name: Any
    weight: Any
    if by == "theme":
        key, name, weight = ProjectThemeCopy.theme_code, literal(None), literal(1)
        source = p.join(ProjectThemeCopy, ProjectThemeCopy.project_id == p.c.project_id)
    else:
        weight = ProjectCountryCopy.percentage / 100
        source = p.join(ProjectCountryCopy, ProjectCountryCopy.project_id == p.c.project_id)
        key, name = ProjectCountryCopy.country_code, literal(None)
        if by == "region":
            source = source.join(RegionCountry, RegionCountry.country_code == ProjectCountryCopy.country_code)
            key, name = RegionCountry.region_code, func.min(RegionCountry.region_name)
    weighted = p.c.value * weight if indicator.measure in ("number", "currency") else p.c.value
    query = (
        select(key, name, across_projects(indicator, weighted), func.count(func.distinct(p.c.project_id)))
        .select_from(source)
        .group_by(key)
        .order_by(key)
    )
    return [(r[0], r[1], r[2], r[3]) for r in await session.execute(query)]


def elapsed_share(start: date | None, end: date | None, today: date) -> float | None:
    if start is None or end is None or end <= start:
        return None
    return max(0.0, min(1.0, (today - start).days / (end - start).days))
