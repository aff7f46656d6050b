"""The demo dataset holds every projects-api fact of the source page, cites it, and loads idempotently."""

from __future__ import annotations

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.demo.data import PAGE, demo_id
from projects_api.demo.loader import load_demo
from projects_api.organisations.models import Organisation
from projects_api.projects.models import Project
from projects_api_tests.conftest import Tokens

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


@pytest_asyncio.fixture
async def demo(session: AsyncSession) -> AsyncSession:
    await load_demo(session, with_users=True)
    await session.flush()
    return session


async def test_loading_twice_adds_nothing_the_second_time(demo: AsyncSession) -> None:
    before = (
        await demo.scalar(select(func.count()).select_from(Project)),
        await demo.scalar(select(func.count()).select_from(Organisation)),
    )
    report = await load_demo(demo, with_users=True)
    assert (report.organisations, report.projects, report.users) == (0, 0, 0)
    after = (
        await demo.scalar(select(func.count()).select_from(Project)),
        await demo.scalar(select(func.count()).select_from(Organisation)),
    )
    assert before == after


async def test_czech_moi_funding_for_bih_since_2004_is_eur_250000(
    demo: AsyncSession, client: httpx.AsyncClient
) -> None:
    params = {"funder": str(demo_id("org:cz-moi")), "country": "BA", "year_from": 2004}
    for kind in ("commitment", "disbursement"):
        r = await client.get(f"{API}/funding/summary", params={**params, "transaction_type": kind})
        assert r.json()["total"]["eur_amount"] == "250000.00", kind


async def test_the_ministry_is_named_with_its_department_and_found_by_either_name(
    demo: AsyncSession, client: httpx.AsyncClient
) -> None:
    label = "Ministry of the Interior of the Czech Republic (OAMP)"
    rows = (await client.get(f"{API}/funding/summary", params={"group_by": "funder", "country": "BA"})).json()["rows"]
    assert [(r["funder"]["label"], r["eur_amount"]) for r in rows] == [(label, "250000.00")]
    for q in ("czech interior", "OAMP", "asylum migration policies"):
        found = (await client.get(f"{API}/funding/funders", params={"q": q})).json()["items"]
        assert [f["label"] for f in found] == [label], q


async def test_six_iraq_projects_2006_2010_coordinated_by_iom_prague(
    demo: AsyncSession, client: httpx.AsyncClient
) -> None:
    r = await client.get(
        f"{API}/projects",
        params={"country": "IQ", "organisation": str(demo_id("org:iom-prague")), "year_from": 2006, "year_to": 2010},
    )
    items = r.json()["items"]
    assert len(items) == 6
    assert all("2006" <= i["planned_start"][:4] and i["planned_end"][:4] <= "2011" for i in items)
    assert all(i["funders"][0]["name"] == "Government of the Czech Republic" for i in items)


async def test_organisations_and_their_facts(demo: AsyncSession, client: httpx.AsyncClient) -> None:
    iom = (await client.get(f"{API}/organisations/{demo_id('org:iom')}")).json()
    assert iom["org_type"] == "40" and "1951" in iom["description"] and "169 member states" in iom["description"]
    prague = (await client.get(f"{API}/organisations/{demo_id('org:iom-prague')}")).json()
    assert prague["parent_id"] == str(demo_id("org:iom"))
    children = (
        await client.get(f"{API}/organisations", params={"parent_id": str(demo_id("org:iom")), "page_size": 50})
    ).json()
    names = {o["name"] for o in children["items"]}
    assert {
        "IOM Prague",
        "IOM Tbilisi",
        "IOM mission in Moldova",
        "IOM mission in Bosnia and Herzegovina",
        "IOM missions in Central Asia",
        "IOM mission in Iraq",
    } <= names
    damp = (await client.get(f"{API}/organisations/{demo_id('org:cz-moi-damp')}")).json()
    assert damp["name"] == "Department of Asylum and Migration Policies" and damp["org_type"] == "10"
    found = (await client.get(f"{API}/organisations", params={"q": "sector asylum"})).json()["items"]
    assert found[0]["name"].startswith("Sector for Asylum")
    for key in ("ge-government", "md-economy", "md-statistics", "cz-development-cooperation"):
        org = (await client.get(f"{API}/organisations/{demo_id('org:' + key)}")).json()
        assert PAGE in org["source"]


async def test_every_programme_country_has_a_project_and_georgia_has_its_locations(
    demo: AsyncSession, client: httpx.AsyncClient
) -> None:
    for country in ("GE", "MD", "BA", "IQ", "KZ", "KG", "TJ", "TM", "UZ", "AM", "AZ"):
        assert (await client.get(f"{API}/projects", params={"country": country})).json()["total"] >= 1, country
    for region in ("central-asia", "south-caucasus", "western-balkans", "eastern-europe", "middle-east"):
        assert (await client.get(f"{API}/projects", params={"region": region})).json()["total"] >= 1, region
    georgia = (await client.get(f"{API}/projects/{demo_id('project:XM-DAC-47066-GE-MMCB')}")).json()
    assert {loc["name"] for loc in georgia["locations"]} == {"Tbilisi", "Samegrelo-Zemo Svaneti"}
    assert "220,000 to 250,000 IDPs" in georgia["source"]


async def test_on_site_visits_to_each_kind_of_facility(demo: AsyncSession, client: httpx.AsyncClient) -> None:
    project_id = demo_id("project:XM-DAC-47066-CZ-BA-2004")
    visits = (await client.get(f"{API}/projects/{project_id}/activities", params={"kind": "on-site-visit"})).json()[
        "items"
    ]
    assert {v["facility_type"] for v in visits} == {"asylum-facility", "detention-facility", "international-airport"}
    assert all(v["is_illustrative"] for v in visits)
    assert all(v["total_participants"] > 0 for v in visits)


async def test_nine_themes_and_the_dac_code(client: httpx.AsyncClient) -> None:
    themes = (await client.get(f"{API}/reference/themes")).json()
    assert len(themes) == 9
    assert themes[1]["name"] == "Border protection"
    sectors = {s["code"]: s["name"] for s in (await client.get(f"{API}/reference/sectors")).json()}
    assert sectors["15190"].startswith("Facilitation of orderly, safe, regular and responsible migration")


async def test_what_the_page_does_not_say_is_marked_illustrative(demo: AsyncSession, client: httpx.AsyncClient) -> None:
    bih = demo_id("project:XM-DAC-47066-CZ-BA-2004")
    project = (await client.get(f"{API}/projects/{bih}")).json()
    assert project["is_illustrative"] is True and "250 thousand EUR" in project["source"]
    txs = (await client.get(f"{API}/projects/{bih}/transactions")).json()["items"]
    assert txs and all(t["is_illustrative"] and "split illustrative" in t["source"] for t in txs)


async def test_unconverted_programme_currencies_are_shown_apart(demo: AsyncSession, client: httpx.AsyncClient) -> None:
    r = (await client.get(f"{API}/funding/summary", params={"country": ["GE", "MD"], "group_by": "country"})).json()
    missing = {n["currency"] for n in r["total"]["not_converted"]}
    assert missing == {"GEL", "MDL"}


async def test_demo_users_can_sign_in(demo: AsyncSession, client: httpx.AsyncClient, tokens: Tokens) -> None:
    for email, password in (
        ("admin@demo.mcb", "demo-admin-pass"),
        ("manager@demo.mcb", "demo-manager-pass"),
        ("reporter@demo.mcb", "demo-reporter-pass"),
    ):
        r = await client.post(
            f"{API}/auth/token", data={"grant_type": "password", "username": email, "password": password}
        )
        assert r.status_code == 200, email


async def test_public_source_notes_name_no_file_of_ours(demo: AsyncSession, client: httpx.AsyncClient) -> None:
    """Source notes are shown to anyone: they cite the page, never a path in this repository."""
    projects = (await client.get(f"{API}/projects", params={"page_size": 200})).json()["items"]
    notes = [(await client.get(f"{API}/projects/{p['id']}")).json()["source"] for p in projects]
    notes += [
        o["source"] for o in (await client.get(f"{API}/organisations", params={"page_size": 200})).json()["items"]
    ]
    assert notes and all(note is None or (".txt" not in note and "seeds/" not in note) for note in notes)
