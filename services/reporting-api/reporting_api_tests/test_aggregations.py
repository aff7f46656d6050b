"""Dashboards: progress against target, time series rolling quarters into years by each indicator's rule,
roll-ups by country, region and theme that add up, context series with ranges."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.projects.models import ProjectCopy
from reporting_api.projects.repository import replace_regions
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1/aggregations"


async def test_progress_against_target(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    summed = await create_indicator(session, "agg-sum", dimensions=())
    running = await create_indicator(session, "agg-cumulative", cumulative=True, dimensions=())
    project = await create_project(session, projects_api_server)
    from datetime import date

    await session.execute(
        update(ProjectCopy)
        .where(ProjectCopy.id == project.id)
        .values(start_date=date(2010, 1, 1), end_date=date(2011, 12, 31))
    )
    a = await create_framework(session, project.id, summed, targets=(("", "100"),))
    b = await create_framework(session, project.id, running, targets=(("", "100"),), baseline="20")
    for period, x, y in (("2010Q1", "10", "30"), ("2010Q2", "15", "45"), ("2010Q3", "20", "60")):
        await create_report(session, project.id, period, status="approved", values=((a.id, {}, x), (b.id, {}, y)))
    await create_report(session, project.id, "2010Q4", values=((a.id, {}, "999"),))  # a draft does not count
    response = await client.get(f"{API}/progress/{project.id}", params={"today": "2011-01-01"})
    assert response.status_code == 200, response.text
    rows = {r["indicator"]: r for r in response.json()["indicators"]}
    assert (rows["agg-sum"]["actual"], rows["agg-sum"]["percent_achieved"]) == ("45.0000", "45.0")
    assert (rows["agg-cumulative"]["actual"], rows["agg-cumulative"]["percent_achieved"]) == ("60.0000", "50.0")
    assert rows["agg-sum"]["expected_percent"] == "50.1"
    assert rows["agg-sum"]["on_track"] is True
    assert rows["agg-cumulative"]["aggregation"] == "latest"


async def test_time_series_rolls_quarters_into_years_by_rule(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    summed = await create_indicator(session, "ts-sum", dimensions=())
    running = await create_indicator(session, "ts-cumulative", cumulative=True, dimensions=())
    for _ in range(2):
        project = await create_project(session, projects_api_server)
        a = await create_framework(session, project.id, summed)
        b = await create_framework(session, project.id, running)
        for period, value in (("2010Q1", "10"), ("2010Q2", "20"), ("2010Q3", "30"), ("2011Q1", "5")):
            await create_report(
                session, project.id, period, status="approved", values=((a.id, {}, value), (b.id, {}, value))
            )
    years = (await client.get(f"{API}/time-series", params={"indicator": "ts-sum"})).json()["points"]
    assert [(p["period"], p["value"], p["projects"]) for p in years] == [
        ("2010", "120.0000", 2),
        ("2011", "10.0000", 2),
    ]
    cumulative = (await client.get(f"{API}/time-series", params={"indicator": "ts-cumulative"})).json()["points"]
    assert [(p["period"], p["value"]) for p in cumulative] == [("2010", "60.0000"), ("2011", "10.0000")]
    quarters = (await client.get(f"{API}/time-series", params={"indicator": "ts-sum", "period_type": "quarter"})).json()
    assert [p["period"] for p in quarters["points"]] == ["2010Q1", "2010Q2", "2010Q3", "2011Q1"]
    unknown = await client.get(f"{API}/time-series", params={"indicator": "nope"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "query.indicator"


async def test_rollups_add_up(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session, "roll", dimensions=())
    await replace_regions(
        session,
        [
            {"code": "south-caucasus", "name": "South Caucasus", "countries": ["GE", "AM"]},
            {"code": "western-balkans", "name": "Western Balkans", "countries": ["BA"]},
        ],
    )
    shared = await create_project(
        session, projects_api_server, countries=("GE", "AM"), themes=("border-protection", "visa-policy")
    )
    single = await create_project(session, projects_api_server, countries=("BA",), themes=("visa-policy",))
    hidden = await create_project(session, projects_api_server, countries=("BA",), is_public=False)
    for project, value in ((shared, "100"), (single, "40"), (hidden, "1000")):
        pi = await create_framework(session, project.id, indicator)
        await create_report(session, project.id, "2010", status="approved", values=((pi.id, {}, value),))
    countries = (await client.get(f"{API}/rollup", params={"indicator": "roll"})).json()["groups"]
    assert {g["key"]: Decimal(g["value"]) for g in countries} == {"AM": 50, "BA": 40, "GE": 50}
    regions = (await client.get(f"{API}/rollup", params={"indicator": "roll", "by": "region"})).json()["groups"]
    assert {g["key"]: (Decimal(g["value"]), g["name"]) for g in regions} == {
        "south-caucasus": (100, "South Caucasus"),
        "western-balkans": (40, "Western Balkans"),
    }
    themes = (await client.get(f"{API}/rollup", params={"indicator": "roll", "by": "theme"})).json()["groups"]
    assert {g["key"]: Decimal(g["value"]) for g in themes} == {"border-protection": 100, "visa-policy": 140}
    admin = (
        await client.get(f"{API}/rollup", params={"indicator": "roll"}, headers=projects_api_server.role(Role.viewer))
    ).json()
    assert {g["key"]: Decimal(g["value"]) for g in admin["groups"]}["BA"] == 1040


async def test_context_latest_with_ranges(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    admin = projects_api_server.admin()
    await client.post(
        "/api/reporting/v1/context/series",
        json={"code": "agg-idps", "name": "IDPs", "country_code": "GE"},
        headers=admin,
    )
    await client.put(
        "/api/reporting/v1/context/series/agg-idps/values/2008",
        json={"low": "220000", "high": "250000", "source": "IOM Tbilisi"},
        headers=admin,
    )
    rows = (await client.get(f"{API}/context", params={"country": "GE"})).json()
    row = next(r for r in rows if r["code"] == "agg-idps")
    assert (row["latest"]["low"], row["latest"]["high"]) == ("220000.0000", "250000.0000")


async def test_private_progress_needs_scope(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    private = await create_project(session, projects_api_server, is_public=False, countries=("GE",))
    assert (await client.get(f"{API}/progress/{private.id}")).status_code == 404
    assert (
        await client.get(f"{API}/progress/{private.id}", headers=projects_api_server.role(Role.viewer, country="BA"))
    ).status_code == 404
    assert (
        await client.get(f"{API}/progress/{private.id}", headers=projects_api_server.role(Role.viewer, country="GE"))
    ).status_code == 200
    assert (
        await client.get(f"{API}/progress/{private.id}", headers={"Authorization": "Bearer junk"})
    ).status_code == 401


async def test_a_viewer_everywhere_reads_progress_without_asking_projects_api(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """A viewer grant without limits reads every project (projects-api's rule): a project the local copy knows is
    answered without a question; one it does not know yet is asked about."""
    known = await create_project(session, projects_api_server, is_public=False)
    unknown = await create_project(session, projects_api_server, is_public=False, copy=False)
    everywhere = projects_api_server.role(Role.viewer)
    projects_api_server.calls.clear()
    assert (await client.get(f"{API}/progress/{known.id}", headers=everywhere)).status_code == 200
    assert not [c for c in projects_api_server.calls if "/access" in c]
    assert (await client.get(f"{API}/progress/{unknown.id}", headers=everywhere)).status_code == 200
    assert [c for c in projects_api_server.calls if "/access" in c] == [
        f"GET /api/projects/v1/projects/{unknown.id}/access"
    ]
    projects_api_server.down = True
    assert (await client.get(f"{API}/progress/{known.id}", headers=everywhere)).status_code == 200


async def test_time_series_reads_agree_with_the_session_path_for_every_reach(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """Public and everywhere-readers take the compiled asyncpg reads, limited grants the session path: same rows."""
    indicator = await create_indicator(session, "ts-reach", dimensions=())
    public = await create_project(session, projects_api_server, countries=("BA",))
    private = await create_project(session, projects_api_server, is_public=False, countries=("BA",))
    for project, value in ((public, "10"), (private, "7")):
        pi = await create_framework(session, project.id, indicator)
        for period in ("2010Q1", "2010Q4", "2012Q2"):
            await create_report(session, project.id, period, status="approved", values=((pi.id, {}, value),))

    async def series(headers: dict[str, str], **params: str) -> list[tuple[str, str, int]]:
        response = await client.get(f"{API}/time-series", params={"indicator": "ts-reach", **params}, headers=headers)
        assert response.status_code == 200, response.text
        return [(p["period"], p["value"], p["projects"]) for p in response.json()["points"]]

    everywhere, in_ba = projects_api_server.role(Role.viewer), projects_api_server.role(Role.viewer, country="BA")
    assert await series({}) == [("2010", "20.0000", 1), ("2012", "10.0000", 1)]
    assert await series(everywhere) == [("2010", "34.0000", 2), ("2012", "17.0000", 2)]
    assert await series(in_ba) == await series(everywhere)
    filtered = {"project_id": str(private.id), "start": "2010-04-01", "end": "2012-12-31", "period_type": "quarter"}
    assert await series(everywhere, **filtered) == [("2010Q4", "7.0000", 1), ("2012Q2", "7.0000", 1)]
    assert await series(in_ba, **filtered) == await series(everywhere, **filtered)
    assert await series({}, **filtered) == []
