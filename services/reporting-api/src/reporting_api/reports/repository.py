"""SQL for reports."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload, undefer

from registry_kit.auth import Principal, Role
from registry_kit.pagination import fetch_page
from reporting_api.frameworks.models import ProjectIndicator
from reporting_api.projects import repository as copies
from reporting_api.projects.models import ProjectCopy
from reporting_api.reports.models import Attachment, Report, ReportEvent, ReportSubmission, ReportValue, ValueAudit
from reporting_api.reports.snapshots import snapshot


async def get(session: AsyncSession, report_id: uuid.UUID, *, with_values: bool = False) -> Report | None:
    query = select(Report).where(Report.id == report_id).execution_options(populate_existing=True)
    if with_values:
        query = query.options(selectinload(Report.values))
    return await session.scalar(query)


async def by_period(session: AsyncSession, project_id: uuid.UUID, period_code: str) -> Report | None:
    return await session.scalar(
        select(Report).where(Report.project_id == project_id, Report.period_code == period_code)
    )


def _list_query(project_id: uuid.UUID, statuses: Iterable[str] | None) -> Select[Report]:
    conditions: list[ColumnElement[bool]] = [Report.project_id == project_id]
    if statuses is not None:
        conditions.append(Report.status.in_(list(statuses)))
    return select(Report).where(*conditions)


async def list_page(
    session: AsyncSession, project_id: uuid.UUID, statuses: Iterable[str] | None, offset: int, limit: int
) -> tuple[list[Report], int]:
    query = _list_query(project_id, statuses)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(Report.period_start.desc(), Report.period_code).offset(offset).limit(limit)
    )
    return list(rows), total


def _across_visible(principal: Principal, awaiting_approval: bool, segregation: bool) -> ColumnElement[bool]:
    """Who sees which report across projects: approved reports of public projects and of projects a viewer grant
    reaches, and every report where the caller reports. An approver's queue: submitted reports of projects a manager
    grant reaches, without the caller's own submissions when segregation of duties is on."""
    if awaiting_approval:
        queue = and_(Report.status == "submitted", copies.scope_clause(principal, Role.manager, Report.project_id))
        return and_(queue, Report.submitted_by.is_distinct_from(principal.subject)) if segregation else queue
    readable = or_(
        copies.public_clause(Report.project_id), copies.scope_clause(principal, Role.viewer, Report.project_id)
    )
    return or_(
        and_(Report.status == "approved", readable),
        copies.scope_clause(principal, Role.reporter, Report.project_id),
    )


async def list_across(
    session: AsyncSession,
    principal: Principal,
    statuses: Iterable[str] | None,
    offset: int,
    limit: int,
    *,
    awaiting_approval: bool,
    segregation: bool,
) -> tuple[list[Report], int]:
    """Reports of every project, as far as the caller may see them, oldest submission first."""
    conditions = [_across_visible(principal, awaiting_approval, segregation)]
    if statuses is not None:
        conditions.append(Report.status.in_(list(statuses)))
    return await fetch_page(
        session,
        Report,
        conditions,
        [Report.submitted_at.asc().nulls_last(), Report.period_start.desc(), Report.id],
        offset=offset,
        limit=limit,
    )


async def attachments(session: AsyncSession, report_id: uuid.UUID) -> list[Attachment]:
    return list(
        await session.scalars(
            select(Attachment).where(Attachment.report_id == report_id).order_by(Attachment.created_at)
        )
    )


async def attachment(
    session: AsyncSession, report_id: uuid.UUID, attachment_id: uuid.UUID, *, content: bool = False
) -> Attachment | None:
    query = select(Attachment).where(Attachment.id == attachment_id, Attachment.report_id == report_id)
    if content:
        query = query.options(undefer(Attachment.content))
    return await session.scalar(query)


async def framework_indicators(session: AsyncSession, project_id: uuid.UUID) -> list[ProjectIndicator]:
    return list(
        await session.scalars(
            select(ProjectIndicator)
            .where(ProjectIndicator.project_id == project_id)
            .options(selectinload(ProjectIndicator.indicator))
        )
    )


async def history_totals(
    session: AsyncSession, pi_ids: Iterable[uuid.UUID], exclude_report: uuid.UUID
) -> dict[uuid.UUID, list[float]]:
    """Approved totals of these framework indicators in other reports (for outlier warnings), one query."""
    ids = set(pi_ids)
    out: dict[uuid.UUID, list[float]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = await session.execute(
        select(ReportValue.project_indicator_id, ReportValue.value)
        .join(Report, Report.id == ReportValue.report_id)
        .where(
            ReportValue.project_indicator_id.in_(ids),
            ReportValue.disaggregation_key == "",
            ReportValue.value.is_not(None),
            Report.status == "approved",
            Report.id != exclude_report,
        )
    )
    for pi_id, value in rows:
        if value is not None:
            out[pi_id].append(float(value))
    return out


async def events(session: AsyncSession, report_id: uuid.UUID) -> list[ReportEvent]:
    return list(
        await session.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id).order_by(ReportEvent.id))
    )


async def value_changes(session: AsyncSession, report_id: uuid.UUID) -> list[ValueAudit | dict[str, Any]]:
    """Each change of a value, oldest first. The values an import created with the report are audited by one row
    for the report (action `import`) and shown as one `create` each (ordered by indicator and disaggregation)."""
    rows = list(
        await session.scalars(select(ValueAudit).where(ValueAudit.report_id == report_id).order_by(ValueAudit.id))
    )
    out: list[ValueAudit | dict[str, Any]] = []
    for i, row in enumerate(rows):
        if row.action != "import":
            out.append(row)
            continue
        if isinstance(row.after, list):  # written before migration e5c1a7d90b24: the values listed in the row
            created = [(v["project_indicator_id"], v["disaggregation_key"], v["after"]) for v in row.after]
        else:
            now = await session.scalars(select(ReportValue).where(ReportValue.report_id == report_id))
            created = as_created(rows[i + 1 :], list(now))
        for pi_id, key, after in created:
            out.append(
                {
                    "project_indicator_id": pi_id,
                    "disaggregation_key": key,
                    "action": "create",
                    "before": None,
                    "after": after,
                    "actor": row.actor,
                    "via": row.via,
                    "at": row.at,
                }
            )
    return out


def as_created(
    later: Sequence[ValueAudit], now: Sequence[ReportValue]
) -> list[tuple[uuid.UUID, str, dict[str, Any] | None]]:
    """The values an import created with a report, as created: every later change of a value is audited with its
    `before`, so a value's first later change (an update or a delete) holds it as created, and a value nothing
    changed since is as it is now. A value whose first later row is a `create` came after the import."""
    first: dict[tuple[uuid.UUID, str], ValueAudit] = {}
    for change in later:
        if change.project_indicator_id is not None and change.disaggregation_key is not None:
            first.setdefault((change.project_indicator_id, change.disaggregation_key), change)
    created = [(key, change.before) for key, change in first.items() if change.action in ("update", "delete")]
    created += [
        ((v.project_indicator_id, v.disaggregation_key), snapshot(v))
        for v in now
        if (v.project_indicator_id, v.disaggregation_key) not in first
    ]
    return [(pi_id, key, after) for (pi_id, key), after in sorted(created, key=lambda c: (str(c[0][0]), c[0][1]))]


async def earlier_reports(
    session: AsyncSession, report: Report, statuses: Iterable[str] | None, limit: int
) -> list[Report]:
    """The project's reports for periods before this one, newest first, with their values."""
    conditions: list[ColumnElement[bool]] = [
        Report.project_id == report.project_id,
        Report.period_start < report.period_start,
    ]
    if statuses is not None:
        conditions.append(Report.status.in_(list(statuses)))
    return list(
        await session.scalars(
            select(Report)
            .where(*conditions)
            .options(selectinload(Report.values))
            .order_by(Report.period_start.desc(), Report.period_code)
            .limit(limit)
        )
    )


async def submissions(session: AsyncSession, report_id: uuid.UUID, limit: int = 2) -> list[ReportSubmission]:
    """The report's latest submissions, newest first."""
    return list(
        await session.scalars(
            select(ReportSubmission)
            .where(ReportSubmission.report_id == report_id)
            .order_by(ReportSubmission.id.desc())
            .limit(limit)
        )
    )


async def reports_with_projects(
    session: AsyncSession, visible: ColumnElement[bool], statuses: Sequence[str], limit: int
) -> list[tuple[Report, str | None, str | None]]:
    """Reports of these statuses that `visible` admits, with their project's code and title (local copy), the ones
    waiting longest first."""
    rows = await session.execute(
        select(Report, ProjectCopy.code, ProjectCopy.title)
        .outerjoin(ProjectCopy, ProjectCopy.id == Report.project_id)
        .where(visible, Report.status.in_(list(statuses)))
        .order_by(Report.updated_at.asc(), Report.id)
        .limit(limit)
    )
    return [(r, code, title) for r, code, title in rows]


async def overlapping_values(
    session: AsyncSession,
    project_id: uuid.UUID,
    report_id: uuid.UUID,
    start: date,
    end: date,
    pi_ids: Iterable[uuid.UUID],
) -> list[tuple[uuid.UUID, str, str]]:
    """Other reports of the project whose period overlaps start..end and that hold values of these framework
    indicators: (project indicator, period code, status), in period order."""
    ids = list(set(pi_ids))
    if not ids:
        return []
    rows = await session.execute(
        select(ReportValue.project_indicator_id, Report.period_code, Report.status)
        .join(Report, Report.id == ReportValue.report_id)
        .where(
            Report.project_id == project_id,
            Report.id != report_id,
            Report.period_start <= end,
            func.coalesce(Report.period_end, Report.period_start) >= start,
            ReportValue.project_indicator_id.in_(ids),
        )
        .distinct()
        .order_by(Report.period_code)
    )
    return [(r[0], r[1], r[2]) for r in rows]
