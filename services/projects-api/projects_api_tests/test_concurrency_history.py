"""No lost updates and a full history: ETags on every resource, If-Match on every change (428 without it,
412 when stale), an audit event per change, the project's history newest first, and organisation deletes
refused while a project still refers to them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from projects_api.audit.models import AuditEvent
from projects_api.projects.models import Project
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import (
    World,
    create_activity,
    create_budget,
    create_org,
    create_transaction,
    create_user,
)
from projects_api_tests.test_bad_input import database_digest
from registry_kit.auth import Grant, Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
PROBLEM = "application/problem+json"


@dataclass
class Ids:
    project: uuid.UUID
    organisation: uuid.UUID  # referenced by nothing
    activity: uuid.UUID
    budget: uuid.UUID
    transaction: uuid.UUID
    user: uuid.UUID


@pytest_asyncio.fixture
async def ids(session: AsyncSession) -> Ids:
    world = await World.build(session)
    activity = await create_activity(session, world.project.id, title="Opening workshop")
    budget = await create_budget(session, world.project.id, amount="1000.00")
    tx = await create_transaction(session, world.project.id, amount="100.00")
    org = await create_org(session, "Ministry of Security of BiH", country="BA")
    user = await create_user(session, name="Amra Hadžić")
    return Ids(world.project.id, org.id, activity.id, budget.id, tx.id, user.id)


@dataclass(frozen=True)
class Resource:
    name: str
    entity_type: str
    path: Callable[[Ids], str]
    entity_id: Callable[[Ids], uuid.UUID]
    field: str
    before: Any
    after: Any

    @property
    def change(self) -> dict[str, Any]:
        return {self.field: self.after}

    def audited(self, value: Any) -> Any:
        """How the audit trail writes the value: amounts as plain decimals ("2000.00" is "2000")."""
        return format(Decimal(value).normalize(), "f") if self.field == "amount" else value


RESOURCES = [
    Resource(
        "organisation",
        "organisation",
        lambda i: f"{API}/organisations/{i.organisation}",
        lambda i: i.organisation,
        "name",
        "Ministry of Security of BiH",
        "Ministry of Security of Bosnia and Herzegovina",
    ),
    Resource(
        "project",
        "project",
        lambda i: f"{API}/projects/{i.project}",
        lambda i: i.project,
        "title",
        "Asylum procedure in BiH",
        "Asylum procedure in BiH, phase 2",
    ),
    Resource(
        "activity",
        "activity",
        lambda i: f"{API}/projects/{i.project}/activities/{i.activity}",
        lambda i: i.activity,
        "title",
        "Opening workshop",
        "Closing workshop",
    ),
    Resource(
        "budget",
        "budget",
        lambda i: f"{API}/projects/{i.project}/budgets/{i.budget}",
        lambda i: i.budget,
        "amount",
        "1000.00",
        "2000.00",
    ),
    Resource(
        "transaction",
        "transaction",
        lambda i: f"{API}/projects/{i.project}/transactions/{i.transaction}",
        lambda i: i.transaction,
        "amount",
        "100.00",
        "250.00",
    ),
    Resource(
        "user", "user", lambda i: f"{API}/users/{i.user}", lambda i: i.user, "name", "Amra Hadžić", "Amra Hadžić-Kovač"
    ),
]
PARAMS = [pytest.param(r, id=r.name) for r in RESOURCES]


async def _read(client: httpx.AsyncClient, tokens: Tokens, path: str) -> httpx.Response:
    response = await client.get(path, headers=tokens.admin())
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("resource", PARAMS)
async def test_every_single_resource_has_an_etag_naming_its_version(
    client: httpx.AsyncClient, tokens: Tokens, ids: Ids, resource: Resource
) -> None:
    response = await _read(client, tokens, resource.path(ids))
    body = response.json()
    assert response.headers["etag"] == f'"{body["id"]}.{body["version"]}"'


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("resource", PARAMS)
async def test_a_change_without_if_match_is_428_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, ids: Ids, resource: Resource, method: str
) -> None:
    before = await database_digest(session)
    body = resource.change if method == "PATCH" else None
    response = await client.request(method, resource.path(ids), json=body, headers=tokens.admin())
    assert response.status_code == 428, response.text
    assert response.headers["content-type"] == PROBLEM
    assert await database_digest(session) == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("resource", PARAMS)
async def test_a_change_with_a_stale_etag_is_412_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, ids: Ids, resource: Resource, method: str
) -> None:
    path = resource.path(ids)
    stale = (await _read(client, tokens, path)).headers["etag"]
    bumped = await client.patch(path, json=resource.change, headers={**tokens.admin(), "If-Match": stale})
    assert bumped.status_code == 200, bumped.text
    before = await database_digest(session)
    undo = {resource.field: resource.before} if method == "PATCH" else None
    response = await client.request(method, path, json=undo, headers={**tokens.admin(), "If-Match": stale})
    assert response.status_code == 412, response.text
    assert response.headers["content-type"] == PROBLEM
    assert await database_digest(session) == before
    assert (await _read(client, tokens, path)).json()[resource.field] == resource.after


@pytest.mark.parametrize("resource", PARAMS)
async def test_an_update_with_the_current_etag_succeeds_answers_a_new_etag_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, ids: Ids, resource: Resource
) -> None:
    path = resource.path(ids)
    current = (await _read(client, tokens, path)).headers["etag"]
    response = await client.patch(path, json=resource.change, headers={**tokens.admin(), "If-Match": current})
    assert response.status_code == 200, response.text
    assert response.json()[resource.field] == resource.after
    new = response.headers["etag"]
    assert new != current
    assert (await _read(client, tokens, path)).headers["etag"] == new
    again = await client.patch(
        path, json={resource.field: resource.before}, headers={**tokens.admin(), "If-Match": new}
    )
    assert again.status_code == 200, again.text
    events = (
        await session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_id == resource.entity_id(ids), AuditEvent.action == "update")
            .order_by(AuditEvent.id)
        )
    ).all()
    assert [e.entity_type for e in events] == [resource.entity_type] * 2
    before, after = resource.audited(resource.before), resource.audited(resource.after)
    assert events[0].changes[resource.field] == {"before": before, "after": after}
    assert events[1].changes[resource.field] == {"before": after, "after": before}


@pytest.mark.parametrize("resource", PARAMS)
async def test_a_delete_with_the_current_etag_succeeds_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, ids: Ids, resource: Resource
) -> None:
    path = resource.path(ids)
    current = (await _read(client, tokens, path)).headers["etag"]
    response = await client.delete(path, headers={**tokens.admin(), "If-Match": current})
    assert response.status_code == 204, response.text
    assert (await client.get(path, headers=tokens.admin())).status_code == 404
    event = await session.scalar(
        select(AuditEvent).where(AuditEvent.entity_id == resource.entity_id(ids), AuditEvent.action == "delete")
    )
    assert event is not None
    assert event.changes[resource.field]["before"] == resource.audited(resource.before)


async def test_if_match_star_accepts_any_version(client: httpx.AsyncClient, tokens: Tokens, ids: Ids) -> None:
    response = await client.patch(
        f"{API}/projects/{ids.project}", json={"status": "closed"}, headers={**tokens.admin(), "If-Match": "*"}
    )
    assert response.status_code == 200, response.text


async def test_two_clients_updating_the_same_version_cannot_lose_an_update(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    alice = tokens.role(Role.manager, org=world.prague.id)
    bob = tokens.role(Role.manager, org=world.donor.id)
    path = f"{API}/projects/{world.project.id}"
    alice_read = await client.get(path, headers=alice)
    bob_read = await client.get(path, headers=bob)
    assert alice_read.headers["etag"] == bob_read.headers["etag"]

    first = await client.patch(
        path, json={"title": "Alice's title"}, headers={**alice, "If-Match": alice_read.headers["etag"]}
    )
    assert first.status_code == 200, first.text
    second = await client.patch(
        path, json={"description": "Bob's description"}, headers={**bob, "If-Match": bob_read.headers["etag"]}
    )
    assert second.status_code == 412, second.text

    now = (await client.get(path)).json()
    assert now["title"] == "Alice's title"
    assert now["description"] is None
    # Bob reads again and retries: both changes are kept.
    retry = await client.patch(
        path, json={"description": "Bob's description"}, headers={**bob, "If-Match": first.headers["etag"]}
    )
    assert retry.status_code == 200, retry.text
    assert (retry.json()["title"], retry.json()["description"]) == ("Alice's title", "Bob's description")


async def _events(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(AuditEvent)) or 0


async def test_history_lists_the_projects_and_its_records_changes_newest_first_with_actor_before_and_after(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    alice = tokens.headers(Grant(Role.admin), name="Alice Admin")
    subject = (await client.get(f"{API}/auth/me", headers=alice)).json()["subject"]
    created = await client.post(
        f"{API}/projects",
        json={
            "code": "XM-HIST-1",
            "title": "First title",
            "countries": [{"country_code": "MD", "percentage": 100}],
            "is_public": True,
        },
        headers=alice,
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    base = f"{API}/projects/{pid}"
    renamed = await client.patch(
        base, json={"title": "Second title"}, headers={**alice, "If-Match": created.headers["etag"]}
    )
    assert renamed.status_code == 200, renamed.text
    activity = await client.post(
        f"{base}/activities", json={"kind": "training", "title": "Training", "start_date": "2010-01-10"}, headers=alice
    )
    tx = await client.post(
        f"{base}/transactions",
        json={
            "transaction_type": "disbursement",
            "transaction_date": "2010-02-01",
            "amount": "10.00",
            "currency": "EUR",
        },
        headers=alice,
    )
    budget = await client.post(
        f"{base}/budgets",
        json={"period_start": "2010-01-01", "period_end": "2010-12-31", "amount": "99.00", "currency": "EUR"},
        headers=alice,
    )
    assert (activity.status_code, tx.status_code, budget.status_code) == (201, 201, 201)
    moved = await client.patch(
        f"{base}/transactions/{tx.json()['id']}",
        json={"amount": "12.00"},
        headers={**alice, "If-Match": tx.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    gone = await client.delete(
        f"{base}/activities/{activity.json()['id']}", headers={**alice, "If-Match": activity.headers["etag"]}
    )
    assert gone.status_code == 204, gone.text
    # A change to another project is not in this one's history.
    other = await client.patch(
        f"{API}/projects/{world.project.id}", json={"title": "Elsewhere"}, headers={**alice, "If-Match": "*"}
    )
    assert other.status_code == 200

    history = await client.get(f"{base}/history")
    assert history.status_code == 200, history.text
    page = history.json()
    events = page["items"]
    assert page["total"] == 7
    assert [(e["entity_type"], e["action"]) for e in events] == [
        ("activity", "delete"),
        ("transaction", "update"),
        ("budget", "create"),
        ("transaction", "create"),
        ("activity", "create"),
        ("project", "update"),
        ("project", "create"),
    ]
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    assert {(e["actor"], e["actor_name"]) for e in events} == {(subject, "Alice Admin")}
    assert all(e["project_id"] == pid for e in events)
    assert events[5]["changes"] == {
        "title": {"before": "First title", "after": "Second title"},
        "titles": {"before": {"en": "First title"}, "after": {"en": "Second title"}},
    }
    assert events[1]["changes"]["amount"] == {"before": "10", "after": "12"}
    assert events[1]["changes"]["eur_amount"] == {"before": "10", "after": "12"}
    assert events[0]["changes"]["title"] == {"before": "Training", "after": None}
    assert events[6]["changes"]["code"] == {"before": None, "after": "XM-HIST-1"}
    assert events[0]["occurred_at"] >= events[6]["occurred_at"]
    second_page = (await client.get(f"{base}/history", params={"page": 2, "page_size": 5})).json()
    assert [e["id"] for e in second_page["items"]] == [e["id"] for e in events[5:]]


async def test_a_refused_change_writes_no_audit_event(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, ids: Ids
) -> None:
    before = await _events(session)
    response = await client.patch(
        f"{API}/projects/{ids.project}", json={"title": "x"}, headers={**tokens.admin(), "If-Match": '"stale.0"'}
    )
    assert response.status_code == 412
    assert await _events(session) == before


async def test_an_organisation_cannot_be_deleted_while_a_project_refers_to_it(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    donor_path = f"{API}/organisations/{world.donor.id}"
    etag = (await client.get(donor_path)).headers["etag"]
    refused = await client.delete(donor_path, headers={**tokens.admin(), "If-Match": etag})
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == PROBLEM
    assert "1 projects" in refused.json()["detail"]
    assert (await client.get(donor_path)).status_code == 200

    project_path = f"{API}/projects/{world.project.id}"
    project_etag = (await client.get(project_path)).headers["etag"]
    only_prague = [{"organisation_id": str(world.prague.id), "role": "implementing"}]
    dropped = await client.patch(
        project_path, json={"participants": only_prague}, headers={**tokens.admin(), "If-Match": project_etag}
    )
    assert dropped.status_code == 200, dropped.text

    deleted = await client.delete(donor_path, headers={**tokens.admin(), "If-Match": etag})
    assert deleted.status_code == 204, deleted.text
    assert (await client.get(donor_path)).status_code == 404


async def test_two_changes_racing_on_separate_transactions_give_one_success_and_one_412(
    app: FastAPI, engine: AsyncEngine, tokens: Tokens
) -> None:
    """Truly concurrent requests on their own committed transactions (not the test's rolled-back one): the
    loser may pass the If-Match check before the winner commits, and must still get 412, never a 500."""
    admin = tokens.admin()
    path = f"{API}/projects"
    project_id: str | None = None
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as committed:
        try:
            created = await committed.post(
                path,
                json={
                    "code": f"XM-RACE-{uuid.uuid4().hex[:8]}",
                    "title": "Race",
                    "countries": [{"country_code": "MD", "percentage": 100}],
                    "is_public": True,
                },
                headers=admin,
            )
            assert created.status_code == 201, created.text
            project_id = created.json()["id"]
            tag = created.headers["etag"]
            for _ in range(3):  # several rounds, so the reads land before the first write at least once
                a, b = await asyncio.gather(
                    committed.patch(f"{path}/{project_id}", json={"title": "A"}, headers={**admin, "If-Match": tag}),
                    committed.patch(f"{path}/{project_id}", json={"title": "B"}, headers={**admin, "If-Match": tag}),
                )
                assert sorted([a.status_code, b.status_code]) == [200, 412], (a.text, b.text)
                loser = a if a.status_code == 412 else b
                assert loser.headers["content-type"] == PROBLEM
                winner = a if a.status_code == 200 else b
                assert (await committed.get(f"{path}/{project_id}")).json()["title"] == winner.json()["title"]
                tag = winner.headers["etag"]
            activity = await committed.post(
                f"{path}/{project_id}/activities",
                json={"kind": "workshop", "title": "Raced", "start_date": "2010-01-01"},
                headers=admin,
            )
            target = f"{path}/{project_id}/activities/{activity.json()['id']}"
            deletes = await asyncio.gather(
                *(committed.delete(target, headers={**admin, "If-Match": activity.headers["etag"]}) for _ in range(2))
            )
            # The loser got 412 if it read the activity before the winner's delete committed, 404 if after: never
            # a second success and never a 500.
            codes = sorted(d.status_code for d in deletes)
            assert codes in ([204, 404], [204, 412]), [d.text for d in deletes]
        finally:
            if project_id is not None:
                async with engine.begin() as conn:
                    await conn.execute(delete(AuditEvent).where(AuditEvent.project_id == uuid.UUID(project_id)))
                    await conn.execute(delete(Project).where(Project.id == uuid.UUID(project_id)))
