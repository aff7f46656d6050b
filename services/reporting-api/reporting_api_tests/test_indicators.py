"""The indicator catalogue: public reads, writes by managers with a global grant, bad input named by field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api_tests.factories import create_framework, create_indicator, create_project
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
URL = "/api/reporting/v1/indicators"


def body(**over: Any) -> dict[str, Any]:
    return {
        "code": "officials-trained",
        "name": "Officials trained",
        "level": "output",
        "measure": "number",
        "aggregation": "sum",
        "direction": "increase",
        "frequency": "quarter",
        "dimensions": [
            {"code": "sex", "name": "Sex", "values": [{"code": "f", "name": "Female"}, {"code": "m", "name": "Male"}]}
        ],
        **over,
    }


async def test_create_read_update_delete(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    manager = projects_api_server.role(Role.manager)
    created = await client.post(URL, json=body(), headers=manager)
    assert created.status_code == 201, created.text
    one = await client.get(created.headers["location"])
    assert one.json()["dimensions"][0]["values"][1]["code"] == "m"
    listed = await client.get(URL, params={"q": "officials"})
    assert listed.json()["total"] == 1
    changed = await client.patch(
        created.headers["location"],
        json={"name": "Officials trained (all)"},
        headers={**manager, "If-Match": one.headers["etag"]},
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    stale = await client.patch(
        created.headers["location"], json={"name": "x"}, headers={**manager, "If-Match": one.headers["etag"]}
    )
    assert stale.status_code == 412
    gone = await client.delete(created.headers["location"], headers={**manager, "If-Match": changed.headers["etag"]})
    assert gone.status_code == 204


async def test_duplicate_code_conflicts(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    admin = projects_api_server.admin()
    assert (await client.post(URL, json=body(), headers=admin)).status_code == 201
    again = await client.post(URL, json=body(), headers=admin)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"measure": "volume"}, "body.measure"),
        ({"code": "Has Spaces"}, "body.code"),
        ({"measure": "currency"}, "body"),
        ({"dimensions": [{"code": "sex", "name": "Sex", "values": []}]}, "body.dimensions[0].values"),
        ({"aggregation": "median"}, "body.aggregation"),
        ({"unknown": 1}, "body.unknown"),
    ],
)
async def test_bad_input_names_the_field(
    client: httpx.AsyncClient, projects_api_server: ProjectsHarness, over: dict[str, Any], field: str
) -> None:
    response = await client.post(URL, json=body(**over), headers=projects_api_server.admin())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


async def test_authorization(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    assert (await client.post(URL, json=body())).status_code == 401
    assert (await client.post(URL, json=body(), headers=projects_api_server.role(Role.reporter))).status_code == 403
    scoped = projects_api_server.role(Role.manager, country="BA")
    response = await client.post(URL, json=body(), headers=scoped)
    assert response.status_code == 403
    assert "not limited" in response.json()["detail"]


async def test_indicator_in_use_cannot_be_deleted_nor_lose_values(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    project = await create_project(session, projects_api_server)
    await create_framework(session, project.id, indicator)
    admin = projects_api_server.admin()
    etag = (await client.get(f"{URL}/{indicator.id}")).headers["etag"]
    refused = await client.delete(f"{URL}/{indicator.id}", headers={**admin, "If-Match": etag})
    assert refused.status_code == 409
    shrunk = await client.patch(
        f"{URL}/{indicator.id}",
        json={"dimensions": [{"code": "sex", "name": "Sex", "values": [{"code": "f", "name": "Female"}]}]},
        headers={**admin, "If-Match": etag},
    )
    assert shrunk.status_code == 422
    assert "sex=m" in shrunk.json()["errors"][0]["message"]
