"""Notifications: events written where things happen (same transaction), and their fan-out to people."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import make_msgid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from registry_kit.errors import NotFound
from registry_kit.pagination import Page, PageParams
from reporting_api.notifications import messages, repository
from reporting_api.notifications.models import KINDS, NotificationEvent
from reporting_api.notifications.schemas import NotificationOut, Preferences, PreferencesIn, UnreadCount
from reporting_api.projects import repository as copies
from reporting_api.projects.client import ProjectsClient
from reporting_api.reports.models import Report
from reporting_api.settings import Settings

logger = logging.getLogger(__name__)

# Whom each report event concerns: the project's approvers, or the reporter who submitted it.
_REPORT_AUDIENCE = {"report_submitted": "manager", "report_due": "reporter"}


async def _project_names(session: AsyncSession, project_id: uuid.UUID) -> dict[str, Any]:
    copy = await copies.get_copy(session, project_id)
    return {"project_code": copy.code if copy else None, "project_title": copy.title if copy else None}


async def report_event(
    session: AsyncSession, kind: str, report: Report, principal: Principal, comment: str | None = None
) -> None:
    """A report was submitted, returned or approved: tell its approvers, or the reporter who submitted it."""
    role = _REPORT_AUDIENCE.get(kind)
    audience: dict[str, Any]
    if role:
        audience = {"role": role}
    elif report.submitted_by:
        audience = {"subjects": [report.submitted_by]}
    else:
        audience = {"role": "reporter"}
    data = {
        "report_id": str(report.id),
        "project_id": str(report.project_id),
        "period": report.period_code,
        "actor_name": principal.name,
        "comment": comment,
        **await _project_names(session, report.project_id),
    }
    await repository.add_event(
        session,
        {"kind": kind, "project_id": report.project_id, "actor": principal.subject, "audience": audience, "data": data},
    )


async def report_due(session: AsyncSession, project_id: uuid.UUID, period: str, report_id: uuid.UUID | None) -> None:
    """A period ended without a report: tell the project's reporters, once per project and period."""
    data = {
        "report_id": str(report_id) if report_id else None,
        "project_id": str(project_id),
        "period": period,
        **await _project_names(session, project_id),
    }
    await repository.add_event(
        session,
        {
            "kind": "report_due",
            "project_id": project_id,
            "actor": None,
            "audience": {"role": "reporter"},
            "data": data,
            "dedupe_key": f"due:{project_id}:{period}",
        },
    )


async def import_finished(
    session: AsyncSession, job_id: uuid.UUID, uploader: str, summary: dict[str, Any] | None, error: str | None
) -> None:
    """A background import ended (done or failed): tell the person who uploaded it."""
    status = "failed" if error else str((summary or {}).get("status") or "done")
    if status == "success":
        status = "done"
    data = {
        "import_id": str(job_id),
        "status": status,
        "rows": int((summary or {}).get("rows") or 0),
        "dry_run": bool((summary or {}).get("dry_run")),
        "error": error,
    }
    await repository.add_event(
        session, {"kind": "import_finished", "actor": uploader, "audience": {"subjects": [uploader]}, "data": data}
    )


async def _recipients(projects: ProjectsClient, event: NotificationEvent) -> list[dict[str, Any]]:
    subjects: list[str] = list(event.audience.get("subjects") or [])
    if subjects:
        known = {r["subject"]: r for r in await projects.recipients(subjects=subjects)}
        # People projects-api does not know (API clients, an external identity provider's users) are told in the
        # app, where they sign in; only known people have an address.
        return [known.get(s, {"subject": s, "email": None, "language": None}) for s in subjects]
    if event.project_id is None:
        return []
    return await projects.recipients(project_id=event.project_id, role=str(event.audience.get("role")))


async def fan_out(session: AsyncSession, projects: ProjectsClient, settings: Settings, event: NotificationEvent) -> int:
    """One event to its people: a notification each (as they prefer) and e-mails to send. How many were told."""
    people = await _recipients(projects, event)
    if event.kind != "import_finished" and event.actor:
        people = [p for p in people if p["subject"] != event.actor]  # nobody is told of what they did themselves
    prefs = await repository.preferences(session, (p["subject"] for p in people))
    told = 0
    for person in people:
        pref = prefs.get((person["subject"], event.kind))
        in_app, email = (pref.in_app, pref.email) if pref else (True, True)
        if in_app:
            await repository.add_notification(session, event, person["subject"])
        if email and settings.smtp_host and person.get("email"):
            language = person.get("language") or "en"
            subject, body = messages.render(event.kind, event.data, language, settings.app_url)
            await repository.add_email(
                session,
                {
                    "event_id": event.id,
                    "recipient": person["subject"],
                    "to_address": person["email"],
                    "language": language,
                    "subject": subject,
                    "body": body,
                    "message_id": make_msgid(idstring=f"{event.id}.{uuid.uuid4().hex[:8]}", domain="mcb-registry"),
                },
            )
        told += in_app or bool(email and person.get("email"))
    event.processed_at = datetime.now(UTC)
    return told


def retry_at(attempts: int, settings: Settings) -> datetime | None:
    """When to try again after `attempts` failed tries (None: give up)."""
    if attempts >= settings.notify_max_attempts:
        return None
    delay = min(settings.notify_backoff_seconds * 2 ** max(attempts - 1, 0), 3600.0)
    return datetime.now(UTC) + timedelta(seconds=delay)


def default_preferences(stored: dict[str, tuple[bool, bool]]) -> list[dict[str, Any]]:
    return [
        {"kind": k, "in_app": stored.get(k, (True, True))[0], "email": stored.get(k, (True, True))[1]} for k in KINDS
    ]


# --- the caller's own notifications (the bell) and what they choose to receive --------------------------------------


async def page_for(session: AsyncSession, subject: str, unread: bool, page: PageParams) -> Page[NotificationOut]:
    rows, total = await repository.page_for(session, subject, unread, page.offset, page.page_size)
    return Page.of([NotificationOut.model_validate(r) for r in rows], total, page)


async def unread_count(session: AsyncSession, subject: str) -> UnreadCount:
    return UnreadCount(unread=await repository.unread_count(session, subject))


async def mark_read(session: AsyncSession, subject: str, notification_id: uuid.UUID | None) -> None:
    """One of the caller's notifications read (someone else's is not found), or all of them (None)."""
    if notification_id is not None and not await repository.exists_for(session, subject, notification_id):
        raise NotFound(f"No notification {notification_id}.")
    await repository.mark_read(session, subject, notification_id)


async def preferences(session: AsyncSession, subject: str, email_available: bool) -> Preferences:
    stored = await repository.preferences(session, [subject])
    items = default_preferences({kind: (p.in_app, p.email) for (_, kind), p in stored.items()})
    return Preferences.model_validate({"email_available": email_available, "items": items})


async def save_preferences(
    session: AsyncSession, subject: str, data: PreferencesIn, email_available: bool
) -> Preferences:
    await repository.save_preferences(session, subject, [i.model_dump() for i in data.items])
    await session.flush()
    return await preferences(session, subject, email_available)
