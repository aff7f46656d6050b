"""Dashboard answers built from the grouped queries."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from registry_kit.raw_reads import Reads
from reporting_api.aggregations import reads as aggregation_reads
from reporting_api.aggregations import repository
from reporting_api.aggregations.schemas import Progress

TOLERANCE = Decimal(10)
TENTH = Decimal("0.1")


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


def progress_of(row: Any, today: date) -> Progress:
    """One row of `repository.progress_query` as the answer shows it."""
    (pi_id, code, name, direction, aggregation, cumulative, baseline, target, total, average, maximum, latest,
     start, end) = row  # fmt: skip
    rule = "latest" if cumulative else aggregation
    actual = {"sum": total, "average": average, "maximum": maximum, "latest": latest}.get(rule)
    if actual is not None and rule == "average":
        actual = actual.quantize(Decimal("0.0001"))
    share = repository.elapsed_share(start, end, today)
    expected = None if share is None else Decimal(str(round(share * 100, 1)))
    percent = achieved(direction, baseline, actual, target)
    on_track = None if percent is None or expected is None else percent >= expected - TOLERANCE
    return Progress(
        project_indicator_id=pi_id, indicator=code, name=name, direction=direction, aggregation=rule,
        baseline=baseline, target=target, actual=actual, percent_achieved=percent, expected_percent=expected,
        on_track=on_track,
    )  # fmt: skip


async def progress(
    reads: Reads, project_id: uuid.UUID, today: date, *, from_copy: bool = True
) -> tuple[bool, list[Progress]]:
    """Each framework indicator of the project against its overall target, in one statement; and whether the
    local copy knows the project (from_copy: when it does not, ask again with from_copy=False)."""
    rows = await aggregation_reads.progress_rows(reads, project_id, from_copy=from_copy)
    return bool(rows), [progress_of(row, today) for row in rows if row[0] is not None]
