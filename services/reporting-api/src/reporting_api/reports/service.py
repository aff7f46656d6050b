"""The workflow of a report: draft → submitted → approved, or returned → draft; approved is locked."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from registry_kit.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed, field_error, invalid
from registry_kit.etag import check_if_match
from reporting_api.access import ReadAccess, read_access, require_write
from reporting_api.common import disaggregation_key, period_or_422
from reporting_api.frameworks.models import ProjectIndicator
from reporting_api.notifications import service as notify
from reporting_api.projects.client import ProjectsClient
from reporting_api.reports import periods as period_rules
from reporting_api.reports import repository
from reporting_api.reports.models import Report, ReportEvent, ReportSubmission, ReportValue, ValueAudit
from reporting_api.reports.schemas import ReportCreate, SubmitIn, ValueIn
from reporting_api.reports.snapshots import snapshot
from reporting_api.reports.validation import check_report
from reporting_api.values import disaggregation_errors, value_errors

EDITABLE = ("draft", "returned")


def event(report: Report, principal: Principal, action: str, to: str, comment: str | None = None) -> ReportEvent:
    return ReportEvent(
        report_id=report.id,
        action=action,
        from_status=report.status if action != "create" else None,
        to_status=to,
        actor=principal.subject,
        actor_name=principal.name,
        comment=comment,
    )


async def get_readable(
    session: AsyncSession, projects: ProjectsClient, principal: Principal | None, report_id: uuid.UUID
) -> tuple[Report, ReadAccess]:
    """The report if the caller may read it: approved ones with the project, others only for its reporters."""
    report = await repository.get(session, report_id, with_values=True)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    access = await read_access(projects, session, principal, report.project_id)
    if report.status != "approved" and not access.can_see_unapproved:
        raise NotFound(f"No report {report_id}.")
    return report, access


async def _editable(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, report_id: uuid.UUID, if_match: str | None
) -> Report:
    report = await repository.get(session, report_id, with_values=True)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    await require_write(projects, principal, report.project_id, "report")
    check_if_match(if_match, report.id, report.version)
    if report.status not in EDITABLE:
        raise Conflict(f"The report is {report.status}; only drafts and returned reports can be changed.")
    return report


def _touch(report: Report, principal: Principal) -> None:
    """A change to a returned report makes it a draft again; every change moves the version (the ETag)."""
    if report.status == "returned":
        report.status = "draft"
    report.updated_at = datetime.now(UTC)
    report.created_by = report.created_by or principal.subject


async def create(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, project_id: uuid.UUID, data: ReportCreate
) -> Report:
    await require_write(projects, principal, project_id, "report")
    period = period_or_422(data.period, "body.period")
    if period.end is None:
        raise invalid("body.period", "a report covers a closed period", "open_period")
    if await repository.by_period(session, project_id, period.code) is not None:
        raise Conflict(f"Project {project_id} already has a report for {period.code}.")
    report = Report(
        project_id=project_id,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        status="draft",
        narrative=data.narrative,
        created_by=principal.subject,
        values=[],
        warnings=[w.model_dump() for w in await period_rules.date_warnings(session, project_id, period)],
    )
    session.add(report)
    await session.flush()
    session.add(event(report, principal, "create", "draft"))
    await session.flush()
    return report


async def update(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    report_id: uuid.UUID,
    narrative: str | None,
    if_match: str | None,
) -> Report:
    report = await _editable(session, projects, principal, report_id, if_match)
    report.narrative = narrative
    _touch(report, principal)
    await session.flush()
    return report


def _resolve(
    items: Sequence[ValueIn], by_id: dict[uuid.UUID, ProjectIndicator], by_code: dict[str, ProjectIndicator]
) -> list[tuple[ProjectIndicator, ValueIn]]:
    errors: list[FieldError] = []
    out = []
    for i, item in enumerate(items):
        where = f"body.values[{i}]"
        pi = (
            by_id.get(item.project_indicator_id)
            if item.project_indicator_id
            else by_code.get(item.indicator_code or "")
        )
        if pi is None:
            ref = item.project_indicator_id or item.indicator_code
            errors.append(
                field_error(f"{where}.indicator_code", f"{ref} is not in this project's results framework", "unknown")
            )
            continue
        errors += disaggregation_errors(pi.indicator, item.disaggregation, f"{where}.disaggregation")
        if not item.delete:
            errors += value_errors(
                pi.indicator,
                value=item.value,
                numerator=item.numerator,
                denominator=item.denominator,
                text=item.text_value,
                field=where,
            )
        out.append((pi, item))
    if errors:
        raise ValidationFailed(f"{len(errors)} values are not valid; nothing was saved", errors=errors)
    return out


async def put_values(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    report_id: uuid.UUID,
    items: Sequence[ValueIn],
    if_match: str | None,
) -> Report:
    """Create, change or delete values in one go; all are checked before any is written."""
    report = await _editable(session, projects, principal, report_id, if_match)
    await _apply_values(session, principal, report, items)
    _touch(report, principal)
    await session.flush()
    reloaded = await repository.get(session, report.id, with_values=True)  # values as stored (scale 4)
    assert reloaded is not None  # noqa: S101 (it was just written)
    return reloaded


async def _apply_values(session: AsyncSession, principal: Principal, report: Report, items: Sequence[ValueIn]) -> None:
    """Set or delete the values (all checked first), auditing each real change."""
    indicators = await repository.framework_indicators(session, report.project_id)
    resolved = _resolve(items, {pi.id: pi for pi in indicators}, {pi.indicator.code: pi for pi in indicators})
    written = [(f"body.values[{i}].indicator_code", pi) for i, (pi, item) in enumerate(resolved) if not item.delete]
    period = period_rules.period_of(report)
    wrong = period_rules.frequency_errors(period, written)
    if wrong:
        raise ValidationFailed(f"{len(wrong)} values are not of this period's type; nothing was saved", errors=wrong)
    await period_rules.refuse_overlaps(session, report, written)
    existing = {(v.project_indicator_id, v.disaggregation_key): v for v in report.values}
    for pi, item in resolved:
        key = disaggregation_key(item.disaggregation)
        current = existing.get((pi.id, key))
        before = snapshot(current) if current is not None else None
        if item.delete:
            if current is not None:
                report.values.remove(current)
                del existing[(pi.id, key)]
                session.add(_audit(report, pi.id, key, "delete", before, None, principal))
            continue
        if current is None:
            current = ReportValue(
                project_indicator_id=pi.id, disaggregation=dict(item.disaggregation), disaggregation_key=key
            )
            report.values.append(current)
            existing[(pi.id, key)] = current
        for attr in ("value", "numerator", "denominator", "text_value", "comment", "incomplete"):
            setattr(current, attr, getattr(item, attr))
        current.updated_by = principal.subject
        after = snapshot(current)
        if after != before:
            session.add(_audit(report, pi.id, key, "create" if before is None else "update", before, after, principal))


def _audit(
    report: Report,
    pi_id: uuid.UUID,
    key: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    principal: Principal,
) -> ValueAudit:
    return ValueAudit(
        report_id=report.id,
        project_indicator_id=pi_id,
        disaggregation_key=key,
        action=action,
        before=before,
        after=after,
        actor=principal.subject,
        actor_name=principal.name,
        via="api",
    )


async def submit(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    report_id: uuid.UUID,
    if_match: str | None,
    changes: SubmitIn | None = None,
) -> Report:
    """Submit for approval, with the last changes (narrative, values) in the same transaction: a refused submission
    writes nothing, so its values are never left behind as a draft nobody asked to save."""
    report = await _editable(session, projects, principal, report_id, if_match)
    if changes is not None:
        if "narrative" in changes.model_fields_set:
            report.narrative = changes.narrative
        if changes.values:
            await _apply_values(session, principal, report, changes.values)
            await session.flush()
            reloaded = await repository.get(session, report.id, with_values=True)
            assert reloaded is not None  # noqa: S101 (it was just written)
            report = reloaded
    indicators = {pi.id: pi for pi in await repository.framework_indicators(session, report.project_id)}
    if not report.values and not report.narrative:
        raise invalid("body", "an empty report cannot be submitted: add values or a narrative", "empty")
    history = await repository.history_totals(session, indicators, report.id)
    errors, warnings = check_report(report.values, indicators, history)
    used = {v.project_indicator_id: indicators[v.project_indicator_id] for v in report.values}
    written = [(f"values[{pi.indicator.code}]", pi) for pi in used.values()]
    period = period_rules.period_of(report)
    errors += period_rules.frequency_errors(period, written)
    await period_rules.refuse_overlaps(session, report, written)
    dates = await period_rules.date_warnings(session, report.project_id, period)
    if dates and any(pi.indicator.level != "context" for pi in used.values()):
        errors += [
            field_error("period", f"{d.message}: only context indicators may be reported for it", d.code) for d in dates
        ]
    else:
        warnings += dates
    if errors:
        raise ValidationFailed(f"{len(errors)} problems stop the submission; nothing was changed", errors=errors)
    session.add(event(report, principal, "submit", "submitted"))
    session.add(
        ReportSubmission(
            report_id=report.id,
            submitted_by=principal.subject,
            narrative=report.narrative,
            values=[
                {
                    "project_indicator_id": str(v.project_indicator_id),
                    "disaggregation_key": v.disaggregation_key,
                    **snapshot(v),
                }
                for v in report.values
            ],
        )
    )
    report.status, report.warnings = "submitted", [w.model_dump() for w in warnings]
    report.submitted_at, report.submitted_by = datetime.now(UTC), principal.subject
    report.comment = None
    await session.flush()
    await notify.report_event(session, "report_submitted", report, principal)
    return report


async def decide(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    report_id: uuid.UUID,
    approve: bool,
    comment: str | None,
    if_match: str | None,
    *,
    segregation: bool = True,
) -> Report:
    report = await repository.get(session, report_id, with_values=True)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    await require_write(projects, principal, report.project_id, "approve")
    check_if_match(if_match, report.id, report.version)
    if report.status != "submitted":
        raise Conflict(f"The report is {report.status}; only submitted reports can be approved or returned.")
    if approve and segregation and report.submitted_by == principal.subject:
        # Segregation of duties (settings.segregation_of_duties): returning one's own submission is withdrawing it.
        raise Forbidden(
            "You submitted this report: another manager of the project approves it (segregation of duties)."
        )
    if not approve and not comment:
        raise invalid("body.comment", "say why the report is returned", "required")
    to = "approved" if approve else "returned"
    session.add(event(report, principal, "approve" if approve else "return", to, comment))
    report.status, report.comment = to, (None if approve else comment)
    report.decided_at, report.decided_by = datetime.now(UTC), principal.subject
    await session.flush()
    await notify.report_event(session, f"report_{to}", report, principal, comment)
    return report


async def reopen(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID, reason: str, if_match: str | None
) -> Report:
    principal.require_admin()
    report = await repository.get(session, report_id, with_values=True)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    check_if_match(if_match, report.id, report.version)
    if report.status != "approved":
        raise Conflict(f"The report is {report.status}; only approved reports are reopened.")
    session.add(event(report, principal, "reopen", "draft", reason))
    report.status = "draft"
    await session.flush()
    return report


async def delete(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, report_id: uuid.UUID, if_match: str | None
) -> None:
    report = await _editable(session, projects, principal, report_id, if_match)
    if report.status != "draft" or report.submitted_at is not None:
        raise Conflict("Only a draft that was never submitted can be deleted.")
    await session.delete(report)
    await session.flush()
