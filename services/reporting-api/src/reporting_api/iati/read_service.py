"""Reading results for the IATI export: a batch of projects at once, only those the caller may read, only
approved values as actuals."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from registry_kit.errors import NotFound
from reporting_api.frameworks.models import ProjectIndicator, Result
from reporting_api.iati import repository
from reporting_api.iati.schemas import (
    IatiActual,
    IatiBaseline,
    IatiIndicator,
    IatiResult,
    IatiResults,
    IatiResultsPage,
    IatiTarget,
)
from reporting_api.projects.client import ProjectsClient


async def readable(
    session: AsyncSession, projects: ProjectsClient, principal: Principal | None, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The ids the caller may read: by the local copy of projects, and for those it does not hold yet (just created)
    by asking projects-api, one call each."""
    allowed, unknown = await repository.readable_by_copy(session, principal, ids)
    for project_id in sorted(unknown):
        try:
            await projects.access(project_id, principal)
        except NotFound:
            continue
        allowed.add(project_id)
    return [pid for pid in dict.fromkeys(ids) if pid in allowed]


def _indicator(pi: ProjectIndicator, actuals: list[Any]) -> IatiIndicator:
    ind = pi.indicator
    baseline = None
    if pi.baseline_value is not None or pi.baseline_note:
        baseline = IatiBaseline(value=pi.baseline_value, date=pi.baseline_date, note=pi.baseline_note)
    return IatiIndicator(
        code=ind.code,
        name=ind.name,
        language=ind.language,
        names=ind.names,
        definition=ind.definition,
        definitions=ind.definitions,
        measure=ind.measure,
        direction=ind.direction,
        unit=ind.unit,
        baseline=baseline,
        targets=[
            IatiTarget(
                period=t.period_code or None,
                start=t.period_start,
                end=t.period_end,
                disaggregation=t.disaggregation,
                value=t.value,
            )
            for t in pi.targets
        ],
        actuals=[
            IatiActual(
                period=a.period_code,
                start=a.period_start,
                end=a.period_end,
                disaggregation=a.disaggregation,
                value=a.value,
                text=a.text_value,
                comment=a.comment,
            )
            for a in actuals
        ],
    )


def _result(result: Result, actuals: dict[uuid.UUID, list[Any]]) -> IatiResult:
    return IatiResult(
        kind=result.kind,
        title=result.title,
        language=result.language,
        titles=result.titles,
        description=result.description,
        descriptions=result.descriptions,
        indicators=[_indicator(pi, actuals.get(pi.id, [])) for pi in result.indicators],
    )


async def results_page(
    session: AsyncSession, projects: ProjectsClient, principal: Principal | None, ids: Sequence[uuid.UUID]
) -> IatiResultsPage:
    allowed = await readable(session, projects, principal, ids)
    actuals: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in await repository.approved_values(session, allowed):
        actuals[row.project_indicator_id].append(row)
    by_project: dict[uuid.UUID, list[IatiResult]] = defaultdict(list)
    for result in await repository.frameworks(session, allowed):
        by_project[result.project_id].append(_result(result, actuals))
    return IatiResultsPage(
        projects=[IatiResults(project_id=pid, results=by_project[pid]) for pid in allowed if by_project.get(pid)]
    )
