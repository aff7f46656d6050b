"""The period rules of a report: its framework indicators' one frequency, no two overlapping periods holding values
of the same indicator (which would count them twice), and periods inside the project's dates and not in the future.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.errors import Conflict, FieldError, field_error
from reporting_api.frameworks.models import ProjectIndicator
from reporting_api.periods import Period, fits_frequency, parse_period
from reporting_api.projects import repository as copies
from reporting_api.reports import repository
from reporting_api.reports.models import Report

FREQUENCY_NAMES = {"once": "once (any single period)"}


def period_of(report: Report) -> Period:
    return parse_period(report.period_code)


def frequency_errors(period: Period, indicators: Sequence[tuple[str, ProjectIndicator]]) -> list[FieldError]:
    """(field, framework indicator) pairs whose frequency the report's period is not of."""
    return [
        field_error(
            field,
            f"{pi.indicator.code} is reported by {FREQUENCY_NAMES.get(pi.frequency, pi.frequency)} in this project; "
            f"{period.code} is a {period.kind.replace('_', ' ')}",
            "frequency",
        )
        for field, pi in indicators
        if not fits_frequency(period, pi.frequency)
    ]


async def refuse_overlaps(
    session: AsyncSession, report: Report, indicators: Sequence[tuple[str, ProjectIndicator]]
) -> None:
    """409 when another report of the project, for a period that overlaps this one, holds values of the same
    indicators: both would be counted (a year's quarters and its first semester)."""
    by_id = {pi.id: (field, pi) for field, pi in indicators}
    end = report.period_end or report.period_start
    found = await repository.overlapping_values(
        session, report.project_id, report.id, report.period_start, end, by_id.keys()
    )
    if not found:
        return
    errors = []
    periods: dict[uuid.UUID, list[str]] = {}
    for pi_id, code, status in found:
        periods.setdefault(pi_id, []).append(f"{code} ({status})")
    for pi_id, codes in periods.items():
        field, pi = by_id[pi_id]
        errors.append(
            field_error(
                field,
                f"{pi.indicator.code} already has values for {', '.join(codes)}, which overlap {report.period_code}",
                "overlap",
            )
        )
    names = sorted({code for _, code, _ in found})
    raise Conflict(
        f"The period {report.period_code} overlaps {', '.join(names)}, which already hold values of the same "
        "indicators: they would be counted twice.",
        errors=errors,
    )


async def date_warnings(
    session: AsyncSession, project_id: uuid.UUID, period: Period, today: date | None = None
) -> list[FieldError]:
    """Warnings for a period the project's dates do not reach at all, or that has not ended yet."""
    day = today or datetime.now(UTC).date()
    out: list[FieldError] = []
    copy = await copies.get_copy(session, project_id)
    end = period.end or period.start
    if copy is not None and copy.end_date is not None and period.start > copy.end_date:
        out.append(
            field_error("period", f"{period.code} starts after the project ended ({copy.end_date})", "after_project")
        )
    if copy is not None and copy.start_date is not None and end < copy.start_date:
        out.append(
            field_error(
                "period", f"{period.code} ends before the project started ({copy.start_date})", "before_project"
            )
        )
    if end > day:
        out.append(field_error("period", f"{period.code} has not ended yet (it ends {end})", "future"))
    return out
