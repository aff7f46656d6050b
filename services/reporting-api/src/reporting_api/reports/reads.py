"""Reads around one report or one reporter: earlier periods' values, changes since the last submission, the inbox."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from registry_kit.errors import NotFound
from registry_kit.pagination import Page, PageParams
from reporting_api.access import read_access
from reporting_api.projects import repository as copies
from reporting_api.projects.client import ProjectsClient
from reporting_api.reports import due, repository
from reporting_api.reports.models import Attachment as AttachmentRow
from reporting_api.reports.models import Report as ReportRow
from reporting_api.reports.schemas import (
    Attachment,
    Changes,
    Event,
    History,
    Inbox,
    InboxReport,
    PeriodValue,
    Previous,
    PreviousReport,
    Report,
    ReportSummary,
    ReportValue,
    Status,
    ValueChange,
    ValueDiff,
)
from reporting_api.reports.snapshots import decimal_text


async def previous(session: AsyncSession, report: ReportRow, see_unapproved: bool, periods: int) -> Previous:
    earlier = await repository.earlier_reports(session, report, None if see_unapproved else ["approved"], periods)
    return Previous(
        reports=[PreviousReport(id=r.id, period=r.period_code, status=r.status) for r in earlier],
        values=[
            PeriodValue(
                project_indicator_id=v.project_indicator_id,
                disaggregation_key=v.disaggregation_key,
                period=r.period_code,
                value=v.value,
                text_value=v.text_value,
            )
            for r in earlier
            for v in r.values
        ],
    )


def _shown(value: dict[str, Any]) -> str | None:
    text = value.get("text_value")
    return str(value["value"]) if value.get("value") is not None else (str(text) if text is not None else None)


async def changes(session: AsyncSession, report: ReportRow) -> Changes:
    """The current values against the last submission (for a submitted report: against the one before it)."""
    latest = await repository.submissions(session, report.id, limit=2)
    base = latest[1] if report.status == "submitted" and len(latest) > 1 else None
    if report.status != "submitted" and latest:
        base = latest[0]
    if base is None:
        return Changes(base_submitted_at=None, narrative_changed=False, values=[])
    before = {(str(v["project_indicator_id"]), str(v["disaggregation_key"])): _shown(v) for v in base.values}
    now = {
        (str(v.project_indicator_id), v.disaggregation_key): (
            decimal_text(v.value) if v.value is not None else v.text_value
        )
        for v in report.values
    }
    diffs = [
        ValueDiff(project_indicator_id=key[0], disaggregation_key=key[1], before=before.get(key), after=now.get(key))
        for key in sorted(set(before) | set(now))
        if before.get(key) != now.get(key)
    ]
    return Changes(
        base_submitted_at=base.submitted_at,
        narrative_changed=(base.narrative or "") != (report.narrative or ""),
        values=diffs,
    )


def _inbox_rows(rows: list[tuple[ReportRow, str | None, str | None]]) -> list[InboxReport]:
    return [
        InboxReport(**ReportSummary.model_validate(r).model_dump(), project_code=code, project_title=title)
        for r, code, title in rows
    ]


async def inbox(session: AsyncSession, principal: Principal, limit: int) -> Inbox:
    """Reports on the projects the caller's reporter grants reach (the local copy of projects says which)."""
    mine = copies.scope_clause(principal, Role.reporter, ReportRow.project_id)
    return Inbox(
        due=await due.due_for(session, principal, limit),
        returned=_inbox_rows(await repository.reports_with_projects(session, mine, ["returned"], limit)),
        drafts=_inbox_rows(await repository.reports_with_projects(session, mine, ["draft"], limit)),
        submitted=_inbox_rows(await repository.reports_with_projects(session, mine, ["submitted"], limit)),
    )


async def present(session: AsyncSession, report: ReportRow) -> Report:
    """A report with its values (in the framework's indicator order) and its attachments."""
    codes = {pi.id: pi.indicator.code for pi in await repository.framework_indicators(session, report.project_id)}
    files = await repository.attachments(session, report.id)
    values = sorted(report.values, key=lambda v: (codes.get(v.project_indicator_id, ""), v.disaggregation_key))
    return Report(
        **ReportSummary.model_validate(report).model_dump(),
        values=[
            ReportValue(
                id=v.id,
                project_indicator_id=v.project_indicator_id,
                indicator_code=codes.get(v.project_indicator_id, ""),
                disaggregation=v.disaggregation,
                value=v.value,
                numerator=v.numerator,
                denominator=v.denominator,
                text_value=v.text_value,
                comment=v.comment,
                incomplete=v.incomplete,
                updated_by=v.updated_by,
                updated_at=v.updated_at,
            )
            for v in values
        ],
        attachments=[Attachment.model_validate(a) for a in files],
    )


async def project_reports(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal | None,
    project_id: uuid.UUID,
    status: str | None,
    page: PageParams,
) -> Page[ReportSummary]:
    """Approved reports for readers, all for the project's reporters and managers; `status` narrows them."""
    access = await read_access(projects, session, principal, project_id)
    statuses = None if access.can_see_unapproved else ["approved"]
    if status is not None:
        statuses = [status] if statuses is None or status in statuses else []
    rows, total = await repository.list_page(session, project_id, statuses, page.offset, page.page_size)
    return Page.of([ReportSummary.model_validate(r) for r in rows], total, page)


async def across_projects(
    session: AsyncSession,
    principal: Principal,
    statuses: list[Status] | None,
    page: PageParams,
    awaiting_approval: bool,
    segregation: bool,
) -> Page[ReportSummary]:
    rows, total = await repository.list_across(
        session,
        principal,
        statuses,
        page.offset,
        page.page_size,
        awaiting_approval=awaiting_approval,
        segregation=segregation,
    )
    return Page.of([ReportSummary.model_validate(r) for r in rows], total, page)


async def history(session: AsyncSession, report: ReportRow) -> History:
    events = [Event.model_validate(e) for e in await repository.events(session, report.id)]
    changes = [ValueChange.model_validate(c) for c in await repository.value_changes(session, report.id)]
    # Rows from before names were kept (and imports) name their actor by what the workflow events know of them.
    names = {e.actor: e.actor_name for e in events if e.actor_name} | {
        c.actor: c.actor_name for c in changes if c.actor_name
    }
    for change in changes:
        change.actor_name = change.actor_name or names.get(change.actor)
    return History(events=events, value_changes=changes)


async def attachment_file(session: AsyncSession, report_id: uuid.UUID, attachment_id: uuid.UUID) -> AttachmentRow:
    row = await repository.attachment(session, report_id, attachment_id, content=True)
    if row is None:
        raise NotFound(f"No attachment {attachment_id}.")
    return row
