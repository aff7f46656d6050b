"""Dashboard answers built from the grouped queries."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from reporting_api.aggregations import repository
from reporting_api.aggregations.schemas import Progress
from reporting_api.frameworks import repository as frameworks
from reporting_api.frameworks.models import ProjectIndicator
from reporting_api.projects import repository as copies

TOLERANCE = Decimal(10)


def _achieved(pi: ProjectIndicator, actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    if actual is None or target is None:
        return None
    base = pi.baseline_value or Decimal(0)
    span = (target - base) if pi.indicator.direction == "increase" else (base - target)
    if span == 0:
        return None
    done = (actual - base) if pi.indicator.direction == "increase" else (base - actual)
    return (done / span * 100).quantize(Decimal("0.1"))


async def progress(session: AsyncSession, project_id: uuid.UUID, today: date) -> list[Progress]:
    indicators = await frameworks.indicators_of(session, [project_id])
    totals = await repository.totals_by_indicator(session, project_id)
    copy = await copies.get_copy(session, project_id)
    share = repository.elapsed_share(copy.start_date, copy.end_date, today) if copy else None
    expected = None if share is None else Decimal(str(round(share * 100, 1)))
    out = []
    for pi in sorted(indicators, key=lambda p: (p.position, p.indicator.code)):
        rule = "latest" if pi.indicator.cumulative else pi.indicator.aggregation
        actual = totals.get(pi.id, {}).get(rule)
        if actual is not None and rule == "average":
            actual = actual.quantize(Decimal("0.0001"))
        target = next((t.value for t in pi.targets if t.period_code == "" and t.disaggregation_key == ""), None)
        achieved = _achieved(pi, actual, target)
        on_track = None if achieved is None or expected is None else achieved >= expected - TOLERANCE
        out.append(
            Progress(
                project_indicator_id=pi.id, indicator=pi.indicator.code, name=pi.indicator.name,
                direction=pi.indicator.direction, aggregation=rule, baseline=pi.baseline_value, target=target,
                actual=actual, percent_achieved=achieved, expected_percent=expected, on_track=on_track,
            )
        )  # fmt: skip
    return out
