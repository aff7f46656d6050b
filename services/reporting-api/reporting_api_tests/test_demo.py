"""The demo dataset: every SEED-FACTS figure of this service with its source, loaded twice without change."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_api.demo import data
from reporting_api.demo.loader import load_demo
from reporting_api_tests.projects_harness import ProjectsHarness, ProjectSpec

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


async def test_demo_loads_idempotently_with_every_fact(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    first = await load_demo(session)
    second = await load_demo(session)
    assert first.indicators and first.series and first.results and first.reports
    assert (second.indicators, second.series, second.results, second.reports) == (0, 0, 0, 0)
    share = (await client.get(f"{API}/context/series/md-share-working-abroad")).json()["values"][0]
    assert (share["period"], share["value"]) == ("2009Q3", "9.08")
    abroad = (await client.get(f"{API}/context/series/md-nationals-working-abroad")).json()["values"][0]
    assert abroad["value"] == "317900.0000"
    assert "National Statistical Bureau" in abroad["source"]
    idps = (await client.get(f"{API}/context/series/ge-idps")).json()["values"][0]
    assert (idps["low"], idps["high"]) == ("220000.0000", "250000.0000")
    assert "IOM Tbilisi" in idps["source"]
    iom = (await client.get(f"{API}/context/series/world-iom-member-states")).json()["values"][0]
    assert (iom["period"], iom["value"]) == ("2018", "169.0000")
    funding = (await client.get(f"{API}/context/series/ba-czech-funding-migration-asylum")).json()["values"][0]
    assert (funding["period"], funding["value"], funding["period_end"]) == ("2004/..", "250000.0000", None)


async def test_demo_framework_is_readable_and_illustrative(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    await load_demo(session)
    bih = data.project_id("XM-DAC-47066-CZ-BA-2008")
    projects_api_server.add(ProjectSpec(bih, countries=("BA",)))
    framework = (await client.get(f"{API}/projects/{bih}/framework")).json()
    assert all(r["is_illustrative"] for r in framework["results"])
    reports = (await client.get(f"{API}/projects/{bih}/reports")).json()
    assert [r["period"] for r in reports["items"]] == ["2009S1", "2008S2"]  # approved ones only, anonymously
    progress = (await client.get(f"{API}/aggregations/progress/{bih}")).json()["indicators"]
    trained = next(p for p in progress if p["indicator"] == "officials-trained")
    assert trained["actual"] == "29.0000"
