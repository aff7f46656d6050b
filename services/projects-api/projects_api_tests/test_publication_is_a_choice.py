"""A project is public only when someone says so: `is_public` left out of a new project means not public (it used
to mean public), so anonymous callers and the public funding totals never see it by accident."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import World
from registry_kit.auth import Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


async def test_a_new_project_without_is_public_is_not_public(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    manager = tokens.role(Role.manager, org=world.prague.id)
    body = {
        "code": "XM-TEST-PUB-1",
        "title": "Reception conditions in Moldova",
        "countries": [{"country_code": "MD", "percentage": 100}],
        "participants": [{"organisation_id": str(world.prague.id), "role": "implementing"}],
    }

    quiet = await client.post(f"{API}/projects", json=body, headers=manager)
    chosen = await client.post(
        f"{API}/projects", json={**body, "code": "XM-TEST-PUB-2", "is_public": True}, headers=manager
    )

    assert quiet.status_code == 201 and chosen.status_code == 201, (quiet.text, chosen.text)
    assert quiet.json()["is_public"] is False
    assert (await client.get(f"{API}/projects/{quiet.json()['id']}")).status_code == 404
    assert (await client.get(f"{API}/projects/{quiet.json()['id']}", headers=manager)).status_code == 200
    assert (await client.get(f"{API}/projects/{chosen.json()['id']}")).json()["is_public"] is True
    listed = {p["code"] for p in (await client.get(f"{API}/projects", params={"q": "reception"})).json()["items"]}
    assert listed == {"XM-TEST-PUB-2"}


async def test_the_openapi_document_says_the_default(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/projects/openapi.json")).json()["components"]["schemas"]["ProjectCreate"]
    assert schema["properties"]["is_public"]["default"] is False
