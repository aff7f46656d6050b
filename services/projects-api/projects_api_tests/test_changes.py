"""The change feed other services follow: every change, in a safe order, with the project's current state."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import World
from registry_kit.auth import Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


async def _drain(
    client: httpx.AsyncClient, headers: dict[str, str], since: str | None
) -> tuple[list[dict[str, object]], str]:
    items: list[dict[str, object]] = []
    while True:
        params = {"limit": 2, **({"since": since} if since else {})}
        page = (await client.get(f"{API}/changes", params=params, headers=headers)).json()
        items += page["items"]
        since = page["next_cursor"]
        if not page["has_more"]:
            return items, str(since)


async def test_feed_reports_creates_updates_and_deletes(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    reader = tokens.role(Role.viewer)
    _, cursor = await _drain(client, reader, None)
    body = {
        "code": "FEED-1",
        "title": "Feed",
        "countries": [{"country_code": "GE", "percentage": 100}],
        "participants": [{"organisation_id": str(world.prague.id), "role": "implementing"}],
        "themes": ["reintegration"],
    }
    created = await client.post(f"{API}/projects", json=body, headers=tokens.admin())
    pid = created.json()["id"]
    await client.patch(
        f"{API}/projects/{pid}",
        json={"themes": ["data-collection"]},
        headers={**tokens.admin(), "If-Match": created.headers["etag"]},
    )
    items, cursor = await _drain(client, reader, cursor)
    assert [i["project_id"] for i in items] == [pid]  # two changes, one entry, current state
    state = items[0]["project"]
    assert isinstance(state, dict) and state["themes"] == ["data-collection"]
    assert state["countries"] == [{"country_code": "GE", "percentage": "100.00"}]
    # IOM Prague participates; a grant on IOM (its parent) reaches the project, so readers get both.
    assert state["scope_organisations"] == sorted([str(world.prague.id), str(world.iom.id)])
    etag = (await client.get(f"{API}/projects/{pid}", headers=tokens.admin())).headers["etag"]
    await client.delete(f"{API}/projects/{pid}", headers={**tokens.admin(), "If-Match": etag})
    items, _ = await _drain(client, reader, cursor)
    assert items == [{"project_id": pid, "deleted": True, "project": None}]


async def test_feed_needs_a_global_grant(client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens) -> None:
    world = await World.build(session)
    assert (await client.get(f"{API}/changes")).status_code == 401
    assert (
        await client.get(f"{API}/changes", headers=tokens.role(Role.manager, org=world.prague.id))
    ).status_code == 403
    assert (await client.get(f"{API}/changes", params={"since": "x"}, headers=tokens.admin())).status_code == 422
