"""Reports due: for each project, the periods of its framework indicators' reporting frequencies (each project
indicator's own, any DHIS2 period type; `once` is never due) that have ended while the project ran, without a
submitted or approved report. Listed in each reporter's inbox; each is announced once (a `report_due` notification)
when it falls due, if it ended recently enough (older ones are listed, not announced: a first run over years of
history sends no flood of e-mails)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from reporting_api.frameworks.models import ProjectIndicator
from reporting_api.notifications import service as notify
from reporting_api.periods import PERIOD_TYPES, Period, period_of
from reporting_api.projects import repository as copies
from reporting_api.projects.models import ProjectCopy
from reporting_api.reports.models import Report
from reporting_api.reports.schemas import DuePeriod

# The most recent periods of one frequency looked at per project (a weekly indicator over years stays bounded).
MAX_PERIODS = 104
DONE = ("submitted", "approved")


def period_containing(frequency: str, day: date) -> Period | None:
    """The period of a reporting frequency (any DHIS2 period type) that holds the day; None for `once`, which has no
    calendar: such an indicator is reported when the project decides (a baseline, an endline), never "due"."""
    if frequency not in PERIOD_TYPES:
        return None
    return period_of(frequency, day)


def ended_periods(frequency: str, start: date, end: date | None, today: date) -> list[Period]:
    """Periods of the frequency that overlap start..end and ended before today, the latest MAX_PERIODS, oldest first."""
    last_day = min(end, today - timedelta(days=1)) if end else today - timedelta(days=1)
    found: list[Period] = []
    period = period_containing(frequency, last_day)
    while period is not None and period.end is not None and len(found) < MAX_PERIODS:
        if period.end < start:
            break
        if period.end < today:
            found.append(period)
        period = period_containing(frequency, period.start - timedelta(days=1))
    return found[::-1]


@dataclass(frozen=True)
class _Project:
    id: uuid.UUID
    code: str
    title: str
    start: date | None
    end: date | None


async def _due(session: AsyncSession, scope: ColumnElement[bool], today: date) -> list[DuePeriod]:
    # Columns, not entities: the scan reads every project and report, and building ORM objects (with each report's
    # JSON decoded) was most of its CPU, on the event loop that serves requests (`make bench`, issue 16).
    c = ProjectCopy
    projects = {
        row[0]: _Project(*row)
        for row in await session.execute(
            select(c.id, c.code, c.title, c.start_date, c.end_date).where(scope, c.start_date.is_not(None))
        )
    }
    if not projects:
        return []
    frequencies: dict[uuid.UUID, set[str]] = defaultdict(set)
    rows = await session.execute(
        select(ProjectIndicator.project_id, ProjectIndicator.frequency)
        .where(ProjectIndicator.project_id.in_(projects))
        .distinct()
    )
    for project_id, frequency in rows:
        frequencies[project_id].add(frequency)
    reports: dict[tuple[uuid.UUID, str], tuple[uuid.UUID, str]] = {
        (r.project_id, r.period_code): (r.id, r.status)
        for r in await session.execute(
            select(Report.project_id, Report.period_code, Report.id, Report.status).where(
                Report.project_id.in_(list(frequencies))
            )
        )
    }
    out: list[DuePeriod] = []
    for project_id, kinds in frequencies.items():
        project = projects[project_id]
        assert project.start is not None  # noqa: S101 (selected so)
        for frequency in sorted(kinds):
            for period in ended_periods(frequency, project.start, project.end, today):
                report_id, status = reports.get((project_id, period.code), (None, None))
                if status in DONE or period.end is None:
                    continue
                out.append(
                    DuePeriod(
                        project_id=project_id,
                        project_code=project.code,
                        project_title=project.title,
                        period=period.code,
                        period_start=period.start,
                        period_end=period.end,
                        report_id=report_id,
                        report_status=status,
                    )
                )
    return sorted(out, key=lambda d: (d.period_end, d.project_code or "", d.period))


async def due_for(
    session: AsyncSession, principal: Principal, limit: int, today: date | None = None
) -> list[DuePeriod]:
    """Periods due on the projects the caller's reporter grants reach, the longest overdue first."""
    scope = copies.scope_clause(principal, Role.reporter, ProjectCopy.id)
    return (await _due(session, scope, today or datetime.now(UTC).date()))[:limit]


async def announce(session: AsyncSession, notify_days: int, today: date | None = None) -> int:
    """A `report_due` event for each period due that ended within `notify_days` (once each: the event's dedupe key)."""
    today = today or datetime.now(UTC).date()
    recent = [d for d in await _due(session, true(), today) if (today - d.period_end).days <= notify_days]
    for item in recent:
        await notify.report_due(session, item.project_id, item.period, item.report_id)
    return len(recent)
