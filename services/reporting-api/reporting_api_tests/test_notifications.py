"""Notifications: a submission tells the approvers, a decision tells the reporter, in the app and by e-mail (to a
real SMTP server, in each person's language); what each person chooses; a failed send retried, never lost or sent
twice; each person's notifications their own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.notifications.models import EmailOutbox, Notification, NotificationEvent
from reporting_api.notifications.worker import NotificationWorker
from reporting_api.settings import Settings
from reporting_api_tests.factories import create_framework, create_indicator, create_project
from reporting_api_tests.projects_harness import ProjectsHarness, ProjectSpec
from reporting_api_tests.smtp_server import Inbox, smtp_server

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def mail(smtp: tuple[Inbox, int]) -> Inbox:
    inbox, _ = smtp
    inbox.messages.clear()
    inbox.refuse_next = 0
    return inbox


@pytest.fixture
def worker(app: FastAPI, settings: Settings, smtp: tuple[Inbox, int]) -> NotificationWorker:
    """The app's worker with e-mail through the test SMTP server (its rounds run in the test's transaction)."""
    _, port = smtp
    with_mail = settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_security": "none",
            "app_url": "https://mcb.test",
            "notify_backoff_seconds": 60.0,
            "notify_max_attempts": 3,
            "due_scan_seconds": 0,
        }
    )
    return NotificationWorker(app, with_mail)


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


async def _submitted_report(
    client: httpx.AsyncClient, session: AsyncSession, fake: ProjectsHarness, reporter: dict[str, str]
) -> tuple[ProjectSpec, str, str]:
    indicator = await create_indicator(session)
    project = await create_project(session, fake)
    await create_framework(session, project.id, indicator)
    draft = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010Q2"}, headers=reporter)
    assert draft.status_code == 201, draft.text
    submitted = await client.post(
        f"{API}/reports/{draft.json()['id']}/submit",
        json={"values": [{"indicator_code": indicator.code, "value": "25"}]},
        headers={**reporter, "If-Match": draft.headers["etag"]},
    )
    assert submitted.status_code == 200, submitted.text
    return project, submitted.json()["id"], submitted.headers["etag"]


async def _submitted_in_bosnia(
    client: httpx.AsyncClient, session: AsyncSession, fake: ProjectsHarness, manager: str, reporter: str
) -> tuple[dict[str, str], dict[str, str]]:
    """A manager for Bosnia and Herzegovina and a report a reporter there submitted: both people's headers."""
    _, manager_headers = fake.contact(manager, Role.manager, country="BA")
    _, reporter_headers = fake.contact(reporter, Role.reporter, country="BA")
    await _submitted_report(client, session, fake, reporter_headers)
    return manager_headers, reporter_headers


async def _outbox_row(session: AsyncSession, to: str) -> EmailOutbox:
    """The e-mail to `to`, as the worker left it in the outbox."""
    row = await session.scalar(select(EmailOutbox).where(EmailOutbox.to_address == to))
    assert row is not None
    await session.refresh(row)
    return row


async def test_a_submission_tells_the_approvers_and_a_return_tells_the_reporter(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    worker: NotificationWorker,
    mail: Inbox,
) -> None:
    manager, manager_headers = projects_api_server.contact(
        "manager@iom.test", Role.manager, country="BA", language="cs"
    )
    _, other_manager = projects_api_server.contact("ge-manager@iom.test", Role.manager, country="GE")
    reporter, reporter_headers = projects_api_server.contact("reporter@iom.test", Role.reporter, country="BA")
    _, report_id, etag = await _submitted_report(client, session, projects_api_server, reporter_headers)

    await worker.run_once()
    count = await client.get(f"{API}/notifications/unread-count", headers=manager_headers)
    assert count.json() == {"unread": 1}
    listed = (await client.get(f"{API}/notifications", headers=manager_headers)).json()
    assert [(n["kind"], n["data"]["report_id"], n["data"]["period"]) for n in listed["items"]] == [
        ("report_submitted", report_id, "2010Q2")
    ]
    # The e-mail went to the manager, in Czech (their language), with the link to the report.
    [message] = mail.to("manager@iom.test")
    assert _subject(message).startswith("Zpráva za 2010Q2 projektu")
    assert f"https://mcb.test/reports/{report_id}" in _body(message)
    assert message["Content-Language"] == "cs"
    # Not the reporter (it was their own step), nor a manager of another country.
    assert mail.to("reporter@iom.test") == [] and mail.to("ge-manager@iom.test") == []
    assert (await client.get(f"{API}/notifications/unread-count", headers=other_manager)).json() == {"unread": 0}

    returned = await client.post(
        f"{API}/reports/{report_id}/return",
        json={"comment": "Please split by sex."},
        headers={**manager_headers, "If-Match": etag},
    )
    assert returned.status_code == 200, returned.text
    await worker.run_once()
    [back] = (await client.get(f"{API}/notifications", headers=reporter_headers)).json()["items"]
    assert back["kind"] == "report_returned"
    assert back["data"]["comment"] == "Please split by sex."
    [email] = mail.to("reporter@iom.test")
    assert _subject(email).startswith("Report 2010Q2 of")  # no language chosen: English
    assert "Please split by sex." in _body(email)
    assert (
        await session.scalar(select(func.count()).select_from(Notification).where(Notification.recipient == reporter))
    ) == 1
    assert manager  # (the approver was told once: the return was their own step)


async def test_each_person_chooses_what_they_receive(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    worker: NotificationWorker,
    mail: Inbox,
) -> None:
    _, quiet = projects_api_server.contact("quiet@iom.test", Role.manager, country="BA")
    _, app_only = projects_api_server.contact("app-only@iom.test", Role.manager, country="BA")
    _, reporter = projects_api_server.contact("r@iom.test", Role.reporter, country="BA")
    default = (await client.get(f"{API}/notifications/preferences", headers=quiet)).json()
    assert default["email_available"] is False  # the app's own settings have no SMTP server
    assert {"kind": "report_submitted", "in_app": True, "email": True} in default["items"]
    off = [{"kind": "report_submitted", "in_app": False, "email": False}]
    assert (await client.put(f"{API}/notifications/preferences", json={"items": off}, headers=quiet)).status_code == 200
    no_mail = [{"kind": "report_submitted", "in_app": True, "email": False}]
    saved = await client.put(f"{API}/notifications/preferences", json={"items": no_mail}, headers=app_only)
    assert {"kind": "report_submitted", "in_app": True, "email": False} in saved.json()["items"]

    await _submitted_report(client, session, projects_api_server, reporter)
    await worker.run_once()
    assert (await client.get(f"{API}/notifications/unread-count", headers=quiet)).json() == {"unread": 0}
    assert (await client.get(f"{API}/notifications/unread-count", headers=app_only)).json() == {"unread": 1}
    assert mail.to("quiet@iom.test") == [] and mail.to("app-only@iom.test") == []


async def test_a_refused_send_is_retried_and_sent_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    worker: NotificationWorker,
    mail: Inbox,
) -> None:
    await _submitted_in_bosnia(client, session, projects_api_server, "m@iom.test", "r2@iom.test")
    mail.refuse_next = 1
    await worker.run_once()
    row = await _outbox_row(session, "m@iom.test")
    assert (row.status, row.attempts) == ("pending", 1)
    assert "451" in (row.last_error or "")
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=30)  # backed off, not retried at once
    assert mail.to("m@iom.test") == []

    await session.execute(update(EmailOutbox).where(EmailOutbox.id == row.id).values(next_attempt_at=func.now()))
    await worker.run_once()
    await worker.run_once()  # nothing left: no second copy
    await session.refresh(row)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(mail.to("m@iom.test")) == 1

    # A sender that died mid-send left a row "sending": after the stale time it is sent, with the same Message-ID.
    await session.execute(
        update(EmailOutbox)
        .where(EmailOutbox.id == row.id)
        .values(status="sending", claimed_at=datetime.now(UTC) - timedelta(hours=1))
    )
    await worker.run_once()
    again = mail.to("m@iom.test")
    assert len(again) == 2 and again[0]["Message-ID"] == again[1]["Message-ID"] == row.message_id


async def test_after_the_last_attempt_an_email_is_kept_as_failed(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    worker: NotificationWorker,
    mail: Inbox,
) -> None:
    await _submitted_in_bosnia(client, session, projects_api_server, "m3@iom.test", "r3@iom.test")
    mail.refuse_next = 10
    for _ in range(3):
        await worker.run_once()
        await session.execute(update(EmailOutbox).values(next_attempt_at=func.now()))
    row = await _outbox_row(session, "m3@iom.test")
    assert (row.status, row.attempts) == ("failed", 3)


async def test_whom_to_tell_waits_for_projects_api(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    worker: NotificationWorker,
    mail: Inbox,
) -> None:
    manager, _ = await _submitted_in_bosnia(client, session, projects_api_server, "m4@iom.test", "r4@iom.test")
    projects_api_server.down = True
    await worker.run_once()
    event = await session.scalar(select(NotificationEvent).order_by(NotificationEvent.id.desc()))
    assert event is not None
    await session.refresh(event)
    assert event.processed_at is None and event.attempts == 1 and event.last_error
    projects_api_server.down = False
    await session.execute(
        update(NotificationEvent).where(NotificationEvent.id == event.id).values(next_attempt_at=func.now())
    )
    await worker.run_once()
    assert (await client.get(f"{API}/notifications/unread-count", headers=manager)).json() == {"unread": 1}
    assert len(mail.to("m4@iom.test")) == 1


async def test_notifications_are_their_recipients_own(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    worker: NotificationWorker,
    mail: Inbox,
) -> None:
    manager, reporter = await _submitted_in_bosnia(client, session, projects_api_server, "m5@iom.test", "r5@iom.test")
    await worker.run_once()
    [mine] = (await client.get(f"{API}/notifications", headers=manager)).json()["items"]
    # Someone else cannot see or mark it; anonymous callers get 401 everywhere.
    assert (await client.post(f"{API}/notifications/{mine['id']}/read", headers=reporter)).status_code == 404
    assert (await client.get(f"{API}/notifications", headers=reporter)).json()["total"] == 0
    for method, path in (
        ("GET", ""),
        ("GET", "/unread-count"),
        ("POST", "/read-all"),
        ("GET", "/preferences"),
        ("POST", f"/{mine['id']}/read"),
    ):
        assert (await client.request(method, f"{API}/notifications{path}")).status_code == 401
    assert (await client.post(f"{API}/notifications/{mine['id']}/read", headers=manager)).status_code == 204
    assert (await client.get(f"{API}/notifications/unread-count", headers=manager)).json() == {"unread": 0}
    unread = (await client.get(f"{API}/notifications", params={"unread": True}, headers=manager)).json()
    assert unread["total"] == 0


async def test_bad_input_names_the_field(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    _, someone = projects_api_server.contact("x@iom.test", Role.viewer)
    cases = [
        ({"items": [{"kind": "everything", "in_app": True, "email": True}]}, "body.items[0].kind"),
        ({"items": []}, "body.items"),
        ({"items": [{"kind": "report_due", "in_app": "sometimes", "email": True}]}, "body.items[0].in_app"),
        ({"items": [{"kind": "report_due", "in_app": True, "email": True, "sms": True}]}, "body.items[0].sms"),
    ]
    for body, field in cases:
        response = await client.put(f"{API}/notifications/preferences", json=body, headers=someone)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]]
    bad_id = await client.post(f"{API}/notifications/not-an-id/read", headers=someone)
    assert bad_id.status_code == 422
    assert (await client.post(f"{API}/notifications/{uuid.uuid4()}/read", headers=someone)).status_code == 404
    assert (await client.get(f"{API}/notifications", params={"page_size": 1000}, headers=someone)).status_code == 422
