"""Loading the demo dataset idempotently: fixed ids, and only what is missing is added."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_api.common import disaggregation_key
from reporting_api.context.models import ContextSeries, ContextValue
from reporting_api.demo import data
from reporting_api.frameworks.models import ProjectIndicator, Result, Target
from reporting_api.indicators.models import Indicator
from reporting_api.periods import parse_period
from reporting_api.reports.models import Report, ReportEvent, ReportValue

logger = logging.getLogger(__name__)
DEMO_ACTOR = "demo:loader"


@dataclass
class LoadReport:
    indicators: int = 0
    series: int = 0
    results: int = 0
    reports: int = 0


def _indicator_row(ind: data.Ind) -> Indicator:
    return Indicator(
        id=data.demo_id("indicator:" + ind.code),
        code=ind.code,
        name=ind.name,
        definition=ind.definition,
        level=ind.level,
        measure=ind.measure,
        unit=ind.unit,
        currency=ind.currency,
        aggregation=ind.aggregation,
        cumulative=ind.cumulative,
        direction="increase",
        frequency="year" if ind.level == "context" else "semester",
        dimensions=list(ind.dimensions),
        source=ind.source or data.ILLUSTRATIVE,
        is_illustrative=ind.illustrative,
    )


async def _indicators(session: AsyncSession, report: LoadReport) -> dict[str, Indicator]:
    have = {i.code: i for i in await session.scalars(select(Indicator))}
    for ind in data.INDICATORS:
        if ind.code not in have:
            have[ind.code] = _indicator_row(ind)
            session.add(have[ind.code])
            report.indicators += 1
    await session.flush()
    return have


def _series_row(s: data.Series, have: dict[str, ContextSeries]) -> ContextSeries:
    """A series; a share names the two series (already loaded) it divides."""
    return ContextSeries(
        id=data.demo_id("series:" + s.code),
        code=s.code,
        name=s.name,
        description=s.description,
        country_code=s.country,
        location=s.location,
        unit=s.unit,
        numerator_id=have[s.share_of[0]].id if s.share_of else None,
        denominator_id=have[s.share_of[1]].id if s.share_of else None,
    )


def _context_value(s: data.Series, v: data.Val, series_id: uuid.UUID) -> ContextValue:
    period = parse_period(v.period)
    return ContextValue(
        series_id=series_id,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        value=v.value,
        low=v.low,
        high=v.high,
        source=s.source,
        confidence="medium",
        note=v.note,
    )


async def _series(session: AsyncSession, report: LoadReport) -> None:
    have = {s.code: s for s in await session.scalars(select(ContextSeries))}
    for s in data.SERIES:
        if s.code not in have:
            have[s.code] = _series_row(s, have)
            session.add(have[s.code])
            await session.flush()
            report.series += 1
            session.add_all(_context_value(s, v, have[s.code].id) for v in s.values)
    await session.flush()


async def _frameworks(session: AsyncSession, indicators: dict[str, Indicator], report: LoadReport) -> None:
    have = set(await session.scalars(select(Result.id)))
    for n, f in enumerate(data.FRAMEWORKS):
        result_id = data.demo_id(f"result:{f.project}:{f.title}")
        if result_id in have:
            continue
        project_id = data.project_id(f.project)
        result = Result(
            id=result_id,
            project_id=project_id,
            kind=f.kind,
            title=f.title,
            position=n,
            is_illustrative=True,
            description=data.ILLUSTRATIVE,
            indicators=[],
        )
        session.add(result)
        await session.flush()
        for i, (code, baseline, target) in enumerate(f.indicators):
            session.add(
                ProjectIndicator(
                    id=data.demo_id(f"pi:{f.project}:{code}"),
                    result_id=result.id,
                    project_id=project_id,
                    indicator_id=indicators[code].id,
                    position=i,
                    frequency=f.frequency,
                    baseline_value=Decimal(baseline) if baseline else None,
                    baseline_note=data.ILLUSTRATIVE,
                    targets=[Target(period_code="", disaggregation={}, disaggregation_key="", value=target)],
                )
            )
        report.results += 1
    await session.flush()


async def _reports(session: AsyncSession, report: LoadReport) -> None:
    have = set(await session.scalars(select(Report.id)))
    now = datetime.now(UTC)
    for r in data.REPORTS:
        report_id = data.demo_id(f"report:{r.project}:{r.period}")
        if report_id in have:
            continue
        period = parse_period(r.period)
        submitted = r.status in ("submitted", "approved")
        row = Report(
            id=report_id,
            project_id=data.project_id(r.project),
            period_code=period.code,
            period_start=period.start,
            period_end=period.end,
            status=r.status,
            narrative=r.narrative,
            warnings=[],
            created_by=DEMO_ACTOR,
            submitted_at=now if submitted else None,
            submitted_by=DEMO_ACTOR if submitted else None,
            decided_at=now if r.status == "approved" else None,
            decided_by=DEMO_ACTOR if r.status == "approved" else None,
            is_illustrative=True,
            values=[
                ReportValue(
                    project_indicator_id=data.demo_id(f"pi:{r.project}:{code}"),
                    disaggregation_key=key,
                    disaggregation=dict(p.split("=") for p in key.split(";")) if key else {},
                    value=value,
                    updated_by=DEMO_ACTOR,
                    comment=data.ILLUSTRATIVE if key == "" else None,
                )
                for code, key, value in r.values
            ],
        )
        assert all(disaggregation_key(v.disaggregation) == v.disaggregation_key for v in row.values)  # noqa: S101
        session.add(row)
        await session.flush()
        steps = {
            "draft": ["draft"],
            "submitted": ["draft", "submitted"],
            "approved": ["draft", "submitted", "approved"],
        }
        previous = None
        for step in steps[r.status]:
            action = {"draft": "create", "submitted": "submit", "approved": "approve"}[step]
            session.add(
                ReportEvent(
                    report_id=row.id,
                    action=action,
                    from_status=previous,
                    to_status=step,
                    actor=DEMO_ACTOR,
                    actor_name="Demo data",
                    comment=data.ILLUSTRATIVE,
                )
            )
            previous = step
        report.reports += 1
    await session.flush()


async def load_demo(session: AsyncSession) -> LoadReport:
    """Add whatever of the demo dataset is missing. The caller commits."""
    report = LoadReport()
    indicators = await _indicators(session, report)
    await _series(session, report)
    await _frameworks(session, indicators, report)
    await _reports(session, report)
    logger.info(
        "demo data loaded",
        extra={
            "indicators": report.indicators,
            "series": report.series,
            "results": report.results,
            "reports": report.reports,
        },
    )
    return report
