"""Moving an organisation in the tree changes who reaches its projects: the caller must cover the organisation and
its new parent, and the move is in the audit trail of every project it touches (and in the change feed)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.models import AuditEvent
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import World, create_org, create_project
from registry_kit.auth import Grant, Role
from registry_kit.etag import etag

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


async def _move(client: httpx.AsyncClient, headers: dict[str, str], org: object, parent: object) -> httpx.Response:
    got = await client.get(f"{API}/organisations/{org}")
    body = {"parent_id": None if parent is None else str(parent)}
    return await client.patch(
        f"{API}/organisations/{org}", json=body, headers={**headers, "If-Match": got.headers["ETag"]}
    )


async def test_a_manager_cannot_move_their_organisation_below_one_they_do_not_cover(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    """The reported escalation: IOM Prague's manager moves IOM Prague under the donor's ministry, and the donor's
    viewer grant on the ministry would then read IOM Prague's private projects."""
    world = await World.build(session)
    ministry = await create_org(session, "Ministry of the Interior")
    secret = await create_project(
        session, title="Prague's private work", participants=((world.prague.id, "implementing"),), is_public=False
    )
    donor = tokens.role(Role.viewer, org=ministry.id)

    moved = await _move(client, tokens.role(Role.manager, org=world.prague.id), world.prague.id, ministry.id)

    assert moved.status_code == 403, moved.text
    assert moved.headers["content-type"] == "application/problem+json"
    assert moved.json()["errors"][0]["field"] == "body.parent_id"
    assert (await client.get(f"{API}/organisations/{world.prague.id}")).json()["parent_id"] == str(world.iom.id)
    assert (await client.get(f"{API}/projects/{secret.id}", headers=donor)).status_code == 404


async def test_a_manager_may_not_detach_their_organisation_from_its_overseers(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    """The top level is covered by global grants only: otherwise a move there escapes the parent's managers."""
    world = await World.build(session)
    moved = await _move(client, tokens.role(Role.manager, org=world.prague.id), world.prague.id, None)
    assert moved.status_code == 403, moved.text
    assert (await _move(client, tokens.admin(), world.prague.id, None)).status_code == 200


async def test_a_move_within_the_callers_reach_is_allowed_and_audited_on_each_project(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    tbilisi = await create_org(session, "IOM Tbilisi", org_type="40", parent_id=world.iom.id)
    desk = await create_org(session, "A desk of IOM Prague", org_type="40", parent_id=world.prague.id)
    below = await create_project(session, participants=((desk.id, "implementing"),), is_public=False)
    iom_manager = tokens.headers(Grant(Role.manager, world.iom.id), name="IOM manager")

    moved = await _move(client, iom_manager, world.prague.id, tbilisi.id)

    assert moved.status_code == 200, moved.text
    assert moved.json()["parent_id"] == str(tbilisi.id)
    events = (
        await session.scalars(
            select(AuditEvent).where(AuditEvent.action == "move", AuditEvent.entity_id == world.prague.id)
        )
    ).all()
    # Prague's own project and the one of the desk below it; each names the old and the new parent.
    assert {e.project_id for e in events} == {world.project.id, below.id}
    assert all(e.actor_name == "IOM manager" for e in events)
    assert events[0].changes == {"parent_id": {"before": str(world.iom.id), "after": str(tbilisi.id)}}
    history = await client.get(f"{API}/projects/{below.id}/history", headers=tokens.admin())
    assert "move" in [e["action"] for e in history.json()["items"]]
    # A viewer of Tbilisi now reaches the moved organisation's private project.
    viewer = tokens.role(Role.viewer, org=tbilisi.id)
    assert (await client.get(f"{API}/projects/{below.id}", headers=viewer)).status_code == 200


async def test_a_move_puts_the_projects_it_touches_in_the_change_feed(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    tail = (await client.get(f"{API}/changes", params={"limit": 1000}, headers=tokens.admin())).json()
    while tail["has_more"]:
        tail = (
            await client.get(f"{API}/changes", params={"since": tail["next_cursor"]}, headers=tokens.admin())
        ).json()
    assert (await _move(client, tokens.admin(), world.prague.id, world.donor.id)).status_code == 200

    feed = await client.get(f"{API}/changes", params={"since": tail["next_cursor"]}, headers=tokens.admin())

    items = {i["project_id"]: i for i in feed.json()["items"]}
    assert str(world.project.id) in items
    scope = items[str(world.project.id)]["project"]["scope_organisations"]
    assert str(world.donor.id) in scope and str(world.iom.id) not in scope


async def test_an_unchanged_parent_needs_no_cover_of_it(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    """Sending the current parent back (a form that saves every field) is not a move."""
    world = await World.build(session)
    got = await client.get(f"{API}/organisations/{world.prague.id}")
    answer = await client.patch(
        f"{API}/organisations/{world.prague.id}",
        json={"name": "IOM Prague office", "parent_id": str(world.iom.id)},
        headers={
            **tokens.role(Role.manager, org=world.prague.id),
            "If-Match": etag(world.prague.id, got.json()["version"]),
        },
    )
    assert answer.status_code == 200, answer.text


async def test_grants_given_to_a_new_api_client_are_in_the_audit_trail(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    created = await client.post(
        f"{API}/api-clients",
        json={"name": "Donor system", "grants": [{"role": "viewer", "organisation_id": str(world.donor.id)}]},
        headers=tokens.admin(),
    )
    assert created.status_code == 201, created.text
    event = await session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "api_client", AuditEvent.entity_id == created.json()["id"])
    )
    assert event is not None
    assert event.changes["grants"]["after"] == [f"viewer:{world.donor.id}"]
