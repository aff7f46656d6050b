"""Whom to notify (the notification sender's read of people, addresses and languages), each person's own language,
and the audit trail without false changes."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.models import AuditEvent
from projects_api.identity.tokens import issue_access_token
from projects_api.settings import Settings
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import World, create_org, create_project, create_user
from registry_kit.auth import Grant, Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
RECIPIENTS = f"{API}/notification-recipients"


def _client_headers(app: FastAPI, settings: Settings, client_id: str) -> dict[str, str]:
    token, _ = issue_access_token(
        app.state.signing_key,
        settings,
        subject=f"client:{client_id}",
        name=client_id,
        organisation_id=None,
        grants=[Grant(Role.viewer)],
    )
    return {"Authorization": f"Bearer {token}"}


async def test_the_people_a_role_reaches_on_a_project_with_address_and_language(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, settings: Settings
) -> None:
    world = await World.build(session)
    # Reached: a manager of IOM (above IOM Prague, a partner), a manager of BA (the project's country), a global one.
    above = await create_user(session, email="above@iom.example", grants=(("manager", world.iom.id, None),))
    above.language = "cs"
    by_country = await create_user(session, email="ba@iom.example", grants=(("manager", None, "BA"),))
    everywhere = await create_user(session, email="all@iom.example", grants=(("manager", None, None),))
    # Not reached: another country, an unrelated organisation, another role, an inactive account.
    await create_user(session, email="ge@iom.example", grants=(("manager", None, "GE"),))
    await create_user(session, email="other@iom.example", grants=(("manager", world.other.id, None),))
    await create_user(session, email="reporter@iom.example", grants=(("reporter", None, "BA"),))
    gone = await create_user(session, email="gone@iom.example", grants=(("manager", None, "BA"),))
    gone.is_active = False
    await session.flush()

    notifier = _client_headers(app, settings, "notifier-test")
    response = await client.get(
        RECIPIENTS, params={"project_id": str(world.project.id), "role": "manager"}, headers=notifier
    )
    assert response.status_code == 200, response.text
    got = {r["email"]: r for r in response.json()}
    assert set(got) == {"above@iom.example", "ba@iom.example", "all@iom.example"}
    assert got["above@iom.example"] == {
        "subject": f"user:{above.id}",
        "name": "A user",
        "email": "above@iom.example",
        "language": "cs",
    }
    assert got["ba@iom.example"]["language"] is None
    assert {by_country.id, everywhere.id} <= {uuid.UUID(r["subject"][5:]) for r in response.json()}

    by_subject = await client.get(
        RECIPIENTS,
        params=[("subject", f"user:{above.id}"), ("subject", f"user:{gone.id}"), ("subject", "client:x")],
        headers=notifier,
    )
    assert [r["email"] for r in by_subject.json()] == ["above@iom.example"]


async def test_contacts_are_only_for_the_notification_sender_and_admins(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, settings: Settings, tokens: Tokens
) -> None:
    project = await create_project(session)
    params = {"project_id": str(project.id), "role": "reporter"}
    assert (await client.get(RECIPIENTS, params=params)).status_code == 401
    # A global viewer client that is not the notification sender, and a manager of everything: not theirs to read.
    for headers in (_client_headers(app, settings, "integrator"), tokens.role(Role.manager)):
        refused = await client.get(RECIPIENTS, params=params, headers=headers)
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    assert (await client.get(RECIPIENTS, params=params, headers=tokens.admin())).status_code == 200


async def test_bad_questions_name_the_field(client: httpx.AsyncClient, app: FastAPI, settings: Settings) -> None:
    notifier = _client_headers(app, settings, "notifier-test")
    cases = [
        ({"role": "manager"}, "query.project_id"),
        ({"project_id": "not-a-uuid", "role": "manager"}, "query.project_id"),
        ({"project_id": str(uuid.uuid4()), "role": "boss"}, "query.role"),
        ({"project_id": str(uuid.uuid4()), "role": "manager", "subject": "user:x"}, "query.subject"),
    ]
    for params, field in cases:
        response = await client.get(RECIPIENTS, params=params, headers=notifier)
        assert response.status_code == 422, response.text
        assert field in [e["field"] for e in response.json()["errors"]]
    many = [("subject", f"user:{uuid.uuid4()}") for _ in range(101)]
    assert (await client.get(RECIPIENTS, params=many, headers=notifier)).status_code == 422


async def test_people_choose_their_language_and_see_it_in_me(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, settings: Settings
) -> None:
    user = await create_user(session, email="lang@iom.example", grants=(("reporter", None, "GE"),))
    token, _ = issue_access_token(
        app.state.signing_key,
        settings,
        subject=f"user:{user.id}",
        name="Lang",
        organisation_id=None,
        grants=[Grant(Role.reporter, None, "GE")],
    )
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.get(f"{API}/auth/me", headers=headers)).json()["language"] is None
    changed = await client.patch(f"{API}/auth/me", json={"language": "ru"}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["language"] == "ru"
    assert (await client.get(f"{API}/auth/me", headers=headers)).json()["language"] == "ru"
    bad = await client.patch(f"{API}/auth/me", json={"language": "de"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.language"
    assert (await client.patch(f"{API}/auth/me", json={"language": "cs"})).status_code == 401
    # An API client has no settings of its own.
    robot = _client_headers(app, settings, "integrator")
    assert (await client.patch(f"{API}/auth/me", json={"language": "cs"}, headers=robot)).status_code == 403


async def test_saving_a_project_unchanged_records_no_change(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    """The stored 100.00 % and the form's 100 are one value: no "100.00 → 100" in the history on every save."""
    org = await create_org(session, "IOM Chisinau")
    admin = tokens.admin()
    created = await client.post(
        f"{API}/projects",
        json={
            "code": f"XM-SAME-{uuid.uuid4().hex[:6]}",
            "title": "Same",
            "countries": [{"country_code": "MD", "percentage": "100.00"}],
            "participants": [{"organisation_id": str(org.id), "role": "implementing"}],
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    saved = await client.patch(
        f"{API}/projects/{pid}",
        json={
            "title": "Same",
            "countries": [{"country_code": "MD", "percentage": 100}],
            "participants": [{"organisation_id": str(org.id), "role": "implementing"}],
        },
        headers={**admin, "If-Match": created.headers["etag"]},
    )
    assert saved.status_code == 200, saved.text
    update = await session.scalar(
        select(AuditEvent).where(AuditEvent.entity_id == uuid.UUID(pid), AuditEvent.action == "update")
    )
    assert update is not None
    assert update.changes == {}
    tx = await client.post(
        f"{API}/projects/{pid}/transactions",
        json={
            "transaction_type": "disbursement",
            "transaction_date": "2024-03-15",
            "amount": "45000",
            "currency": "EUR",
        },
        headers=admin,
    )
    assert tx.status_code == 201, tx.text
    again = await client.patch(
        f"{API}/projects/{pid}/transactions/{tx.json()['id']}",
        json={"amount": "45000.00"},
        headers={**admin, "If-Match": tx.headers["etag"]},
    )
    assert again.status_code == 200, again.text
    tx_update = await session.scalar(
        select(AuditEvent).where(AuditEvent.entity_id == uuid.UUID(tx.json()["id"]), AuditEvent.action == "update")
    )
    assert tx_update is not None
    assert "amount" not in tx_update.changes
