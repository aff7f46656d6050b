"""Reads around one report or one reporter: earlier periods' values, changes since the last submission, the inbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from reporting_api.projects import repository as copies
from reporting_api.reports import due, repository
from reporting_api.reports.models import Report
from reporting_api.reports.models import Report as ReportRow
from reporting_api.reports.schemas import (
    Changes,
    Inbox,
    InboxReport,
    PeriodValue,
    Previous,
    PreviousReport,
    ReportSummary,
    ValueDiff,
)
from reporting_api.reports.service import decimal_text


async def previous(session: AsyncSession, report: Report, see_unapproved: bool, periods: int) -> Previous:
    earlier = await repository.earlier_reports(session, report, None if see_unapproved else ["approved"], periods)
    return Previous(
        reports=[PreviousReport(id=r.id, period=r.period_code, status=r.status) for r in earlier],
        values=[
            PeriodValue(
                project_indicator_id=v.project_indicator_id, disaggregation_key=v.disaggregation_key,
                period=r.period_code, value=v.value, text_value=v.text_value,
            )
            for r in earlier
            for v in r.values
        ],
    )  # fmt: skip


def _shown(value: dict[str, Any]) -> str | None:
    text = value.get("text_value")
    return str(value["value"]) if value.get("value") is not None else (str(text) if text is not None else None)


async def changes(session: AsyncSession, report: Report) -> Changes:
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
        base_submitted_at=base.submitted_at, narrative_changed=(base.narrative or "") != (report.narrative or ""),
        values=diffs,
    )  # fmt: skip


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
