"""Context series: points and ranges with sources, shares computed from two series, never typed."""

from __future__ import annotations

import httpx
import pytest

from registry_kit.auth import Role
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
URL = "/api/reporting/v1/context/series"
SRC = "Ministry of Economy and Trade; National Statistical Bureau"


async def _series(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, country: str = "MD", **extra: object
) -> httpx.Response:
    return await client.post(URL, json={"code": code, "name": code, "country_code": country, **extra}, headers=headers)


async def test_moldova_share_is_computed_from_two_series(
    client: httpx.AsyncClient, projects_api_server: ProjectsHarness
) -> None:
    manager = projects_api_server.role(Role.manager, country="MD")
    assert (await _series(client, manager, "md-abroad")).status_code == 201
    assert (await _series(client, manager, "md-population")).status_code == 201
    share = await _series(
        client, manager, "md-share", unit="percent", share_of={"numerator": "md-abroad", "denominator": "md-population"}
    )
    assert share.status_code == 201, share.text
    put = await client.put(f"{URL}/md-abroad/values/2009-Q3", json={"value": "317900", "source": SRC}, headers=manager)
    assert put.status_code == 201
    await client.put(f"{URL}/md-population/values/2009", json={"value": "3500000", "source": SRC}, headers=manager)
    computed = (await client.get(f"{URL}/md-share")).json()
    [value] = computed["values"]
    assert value["period"] == "2009Q3"
    assert value["value"] == "9.08"
    assert value["computed"] is True
    assert SRC in value["source"]
    typed = await client.put(f"{URL}/md-share/values/2009", json={"value": "9", "source": "x"}, headers=manager)
    assert typed.status_code == 422


async def test_range_value_and_its_share(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    manager = projects_api_server.role(Role.manager)
    await _series(client, manager, "ge-idps", "GE")
    await _series(client, manager, "ge-population", "GE")
    await _series(
        client, manager, "ge-idp-share", "GE", share_of={"numerator": "ge-idps", "denominator": "ge-population"}
    )
    ranged = await client.put(
        f"{URL}/ge-idps/values/2008",
        json={"low": "220000", "high": "250000", "source": "IOM Tbilisi, January 2008"},
        headers=manager,
    )
    assert ranged.json()["values"][0]["low"] == "220000.0000"
    await client.put(f"{URL}/ge-population/values/2008", json={"value": "4400000", "source": "x"}, headers=manager)
    share = (await client.get(f"{URL}/ge-idp-share")).json()["values"][0]
    assert (share["low"], share["high"], share["value"]) == ("5.00", "5.68", None)
    listed = (await client.get(URL, params={"country": "GE"})).json()
    assert listed["total"] == 3


@pytest.mark.parametrize(
    "value",
    [
        {"value": "1", "low": "1", "high": "2", "source": "s"},
        {"low": "3", "high": "2", "source": "s"},
        {"value": "1"},
        {"low": "1", "source": "s"},
    ],
)
async def test_bad_values(
    client: httpx.AsyncClient, projects_api_server: ProjectsHarness, value: dict[str, str]
) -> None:
    admin = projects_api_server.admin()
    await _series(client, admin, "x-series")
    response = await client.put(f"{URL}/x-series/values/2009", json=value, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("body")
    bad_period = await client.put(f"{URL}/x-series/values/2009Q0", json={"value": "1", "source": "s"}, headers=admin)
    assert bad_period.json()["errors"][0]["field"] == "path.period"


async def test_authorization(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    assert (await _series(client, {}, "a")).status_code == 401
    assert (await _series(client, projects_api_server.role(Role.reporter), "a")).status_code == 403
    assert (await _series(client, projects_api_server.role(Role.manager, country="GE"), "a", "MD")).status_code == 403
    assert (await _series(client, projects_api_server.role(Role.manager, country="GE"), "w", None)).status_code == 403
    await _series(client, projects_api_server.admin(), "b")
    assert (await client.put(f"{URL}/b/values/2009", json={"value": "1", "source": "s"})).status_code == 401
    wrong = projects_api_server.role(Role.manager, country="GE")
    assert (
        await client.put(f"{URL}/b/values/2009", json={"value": "1", "source": "s"}, headers=wrong)
    ).status_code == 403
    assert (await client.get(f"{URL}/b")).status_code == 200
    assert (await client.get(f"{URL}/nope")).status_code == 404
