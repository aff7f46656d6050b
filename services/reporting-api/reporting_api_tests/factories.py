"""Small factories that insert rows directly, for arranging tests."""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from reporting_api.frameworks.models import ProjectIndicator, Result, Target
from reporting_api.indicators.models import Indicator
from reporting_api.periods import parse_period
from reporting_api.projects.repository import upsert_projects
from reporting_api.reports.models import Report, ReportValue
from reporting_api_tests.projects_harness import ProjectsHarness, ProjectSpec

_seq = itertools.count(1)

SEX = {"code": "sex", "name": "Sex", "values": [{"code": "f", "name": "Female"}, {"code": "m", "name": "Male"}]}


async def create_indicator(
    session: AsyncSession,
    code: str | None = None,
    *,
    measure: str = "number",
    aggregation: str = "sum",
    cumulative: bool = False,
    dimensions: tuple[dict[str, Any], ...] = (SEX,),
    level: str = "output",
    currency: str | None = None,
) -> Indicator:
    indicator = Indicator(
        code=code or f"ind-{next(_seq)}-{uuid.uuid4().hex[:4]}",
        name="Officials trained",
        level=level,
        measure=measure,
        aggregation=aggregation,
        cumulative=cumulative,
        direction="increase",
        frequency="quarter",
        dimensions=list(dimensions),
        currency=currency,
        unit="persons",
    )
    session.add(indicator)
    await session.flush()
    return indicator


async def create_project(
    session: AsyncSession,
    fake: ProjectsHarness,
    *,
    is_public: bool = True,
    countries: tuple[str, ...] = ("BA",),
    orgs: tuple[uuid.UUID, ...] = (),
    themes: tuple[str, ...] = ("border-protection",),
    copy: bool = True,
) -> ProjectSpec:
    """A project known to the stand-in projects-api and (unless copy=False) to the local copy."""
    project = fake.add(
        ProjectSpec(
            uuid.uuid4(), is_public=is_public, countries=countries, orgs=orgs, themes=themes, code=f"TEST-{next(_seq)}"
        )
    )
    if copy:
        await upsert_projects(session, [project.state()])
        await session.flush()
    return project


async def create_framework(
    session: AsyncSession,
    project_id: uuid.UUID,
    indicator: Indicator,
    *,
    targets: tuple[tuple[str, str], ...] = (("", "100"),),
    baseline: str | None = "0",
    frequency: str = "quarter",
) -> ProjectIndicator:
    """A result with one indicator and (period code, value) targets; "" is the overall target."""
    result = Result(project_id=project_id, kind="output", title="Officials trained", indicators=[])
    session.add(result)
    await session.flush()
    targets_rows = []
    for code, value in targets:
        period = parse_period(code) if code else None
        targets_rows.append(
            Target(
                period_code=period.code if period else "",
                period_start=period.start if period else None,
                period_end=period.end if period else None,
                disaggregation={},
                disaggregation_key="",
                value=Decimal(value),
            )
        )
    pi = ProjectIndicator(
        result_id=result.id,
        project_id=project_id,
        indicator_id=indicator.id,
        frequency=frequency,
        baseline_value=Decimal(baseline) if baseline is not None else None,
        targets=targets_rows,
    )
    session.add(pi)
    await session.flush()
    return pi


async def create_report(
    session: AsyncSession,
    project_id: uuid.UUID,
    period: str = "2010Q1",
    *,
    status: str = "draft",
    values: tuple[tuple[uuid.UUID, dict[str, str], str], ...] = (),
) -> Report:
    """A report with (project indicator id, disaggregation, value) rows."""
    p = parse_period(period)
    report = Report(
        project_id=project_id,
        period_code=p.code,
        period_start=p.start,
        period_end=p.end,
        status=status,
        warnings=[],
        values=[
            ReportValue(
                project_indicator_id=pi,
                disaggregation=d,
                value=Decimal(v),
                disaggregation_key=";".join(f"{k}={d[k]}" for k in sorted(d)),
            )
            for pi, d, v in values
        ],
    )
    session.add(report)
    await session.flush()
    return report


def principal(subject: str = "user:test") -> Principal:
    return Principal(subject=subject, name="Test", organisation_id=None, grants=())
