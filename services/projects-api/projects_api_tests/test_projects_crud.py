"""Projects as users work with them: created and read back whole, changed list by list, found with filters
that combine, sorted and paged; and the activity timeline of a project with its participants by sex."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.organisations.models import Organisation
from projects_api.projects.models import ProjectSector
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import World, create_org, create_project

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


def _full_project(world: World) -> dict[str, Any]:
    return {
        "code": "XM-DAC-47066-GE-2009",
        "title": "Border management in Georgia",
        "description": "Training of border guards at Tbilisi International Airport.",
        "status": "implementation",
        "planned_start": "2009-01-01",
        "planned_end": "2010-12-31",
        "actual_start": "2009-03-01",
        "is_public": True,
        "themes": ["border-protection", "document-inspection"],
        "sectors": [{"sector_code": "15190", "percentage": 80}, {"sector_code": "15210", "percentage": 20}],
        "countries": [{"country_code": "GE", "percentage": 70}, {"country_code": "AM", "percentage": 30}],
        "locations": [
            {
                "country_code": "GE",
                "name": "Tbilisi",
                "admin_area": "Tbilisi",
                "latitude": "41.715",
                "longitude": "44.827",
            },
            {"country_code": "GE", "name": "Zugdidi", "description": "The region bordering Abkhazia"},
        ],
        "participants": [
            {"organisation_id": str(world.donor.id), "role": "funding"},
            {"organisation_id": str(world.prague.id), "role": "implementing"},
            {"organisation_id": str(world.other.id), "role": "beneficiary"},
        ],
        "source": "IOM Prague programme page",
    }


def _ref(org: Organisation) -> dict[str, Any]:
    return {"id": str(org.id), "name": org.name, "acronym": org.acronym}


async def test_a_project_is_created_and_read_back_whole_in_one_get(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    created = await client.post(f"{API}/projects", json=_full_project(world), headers=tokens.admin())
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{API}/projects/{created.json()['id']}"
    read = await client.get(created.headers["location"])
    assert read.status_code == 200
    body = read.json()
    assert body == created.json()
    assert read.headers["etag"] == created.headers["etag"]
    assert {k: body[k] for k in ("code", "title", "description", "status", "source", "is_public")} == {
        "code": "XM-DAC-47066-GE-2009",
        "title": "Border management in Georgia",
        "description": "Training of border guards at Tbilisi International Airport.",
        "status": "implementation",
        "source": "IOM Prague programme page",
        "is_public": True,
    }
    assert (body["planned_start"], body["planned_end"], body["actual_start"], body["actual_end"]) == (
        "2009-01-01",
        "2010-12-31",
        "2009-03-01",
        None,
    )
    assert body["themes"] == [
        {"code": "border-protection", "name": "Border protection"},
        {"code": "document-inspection", "name": "Documents inspection"},
    ]
    assert [(s["sector_code"], Decimal(s["percentage"])) for s in body["sectors"]] == [
        ("15190", 80),
        ("15210", 20),
    ]
    assert body["sectors"][0]["name"].startswith("Facilitation of orderly, safe, regular")
    assert [(c["country_code"], c["name"], Decimal(c["percentage"])) for c in body["countries"]] == [
        ("AM", "Armenia", 30),
        ("GE", "Georgia", 70),
    ]
    assert [(loc["name"], loc["description"]) for loc in body["locations"]] == [
        ("Tbilisi", None),
        ("Zugdidi", "The region bordering Abkhazia"),
    ]
    assert Decimal(body["locations"][0]["latitude"]) == Decimal("41.715")
    assert body["participants"] == [
        {"organisation": _ref(world.donor), "role": "funding"},
        {"organisation": _ref(world.prague), "role": "implementing"},
        {"organisation": _ref(world.other), "role": "beneficiary"},
    ]
    assert body["version"] == 1


async def test_patch_replaces_the_lists_sent_and_keeps_everything_else(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    created = await client.post(f"{API}/projects", json=_full_project(world), headers=tokens.admin())
    path = created.headers["location"]
    before = created.json()
    change = {
        "countries": [{"country_code": "GE", "percentage": 100}],
        "participants": [
            {"organisation_id": str(world.iom.id), "role": "accountable"},
            {"organisation_id": str(world.donor.id), "role": "funding"},
        ],
    }
    response = await client.patch(path, json=change, headers={**tokens.admin(), "If-Match": created.headers["etag"]})
    assert response.status_code == 200, response.text
    after = (await client.get(path)).json()
    assert after == response.json()
    assert [(c["country_code"], Decimal(c["percentage"])) for c in after["countries"]] == [("GE", 100)]
    assert after["participants"] == [
        {"organisation": _ref(world.iom), "role": "accountable"},
        {"organisation": _ref(world.donor), "role": "funding"},
    ]
    kept = (
        "code",
        "title",
        "description",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "themes",
        "sectors",
        "locations",
        "source",
        "is_public",
        "created_at",
    )
    assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
    assert after["version"] == before["version"] + 1
    cleared = await client.patch(
        path, json={"themes": [], "description": None}, headers={**tokens.admin(), "If-Match": response.headers["etag"]}
    )
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["themes"], cleared.json()["description"]) == ([], None)
    assert cleared.json()["participants"] == after["participants"]


# --- the list -------------------------------------------------------------------------------------------------


@dataclass
class Registry:
    donor: Organisation
    iom: Organisation
    prague: Organisation
    other: Organisation


@dataclass(frozen=True)
class Listed:
    """A project of the registry below; its participants name the registry's organisations."""

    code: str
    title: str
    countries: tuple[tuple[str, str], ...]
    participants: tuple[tuple[str, str], ...]  # (organisation, role)
    themes: tuple[str, ...]
    status: str
    start: date
    end: date
    description: str | None = None
    sectors: tuple[str, ...] = ()
    actual: date | None = None
    is_public: bool = True


# Distinct countries, organisations, themes and years, so each filter below picks a different set.
LISTED = (
    Listed("XM-GE-BORDER", "Border management in Georgia", (("GE", "100"),),
           (("donor", "funding"), ("prague", "implementing")), ("border-protection",), "implementation",
           date(2008, 1, 1), date(2010, 6, 30), description="Training of border guards", sectors=("15190",)),
    Listed("XM-MD-ASYLUM", "Asylum system in Moldova", (("MD", "100"),),
           (("donor", "funding"), ("other", "implementing")), ("competences",), "closed", date(2004, 1, 1), date(2005, 12, 31), description="Reception conditions",
           sectors=("15130",)),
    Listed("XM-BA-RETURN", "Return policy in the Balkans", (("BA", "60"), ("GE", "40")), (("iom", "funding"),),
           ("return-policy", "border-protection"), "closed", date(2012, 1, 1), date(2014, 12, 31),
           description="Readmission and reintegration", sectors=("15190", "15240")),
    Listed("XM-KZ-DATA", "Migration data in Kazakhstan", (("KZ", "100"),), (("prague", "accountable"),),
           ("data-collection",), "pipeline", date(2015, 1, 1), date(2016, 12, 31), actual=date(2016, 3, 1)),
    Listed("XM-GE-PRIVATE", "Border talks in Georgia", (("GE", "100"),), (("other", "implementing"),),
           ("border-protection",), "implementation", date(2010, 1, 1), date(2011, 12, 31), is_public=False),
)  # fmt: skip


async def _add(session: AsyncSession, listed: Listed, orgs: dict[str, Organisation]) -> None:
    project = await create_project(
        session,
        code=listed.code,
        title=listed.title,
        description=listed.description,
        countries=listed.countries,
        participants=tuple((orgs[org].id, role) for org, role in listed.participants),
        themes=listed.themes,
        status=listed.status,
        start=listed.start,
        end=listed.end,
        is_public=listed.is_public,
    )
    for sector in listed.sectors:
        share = Decimal(100) / len(listed.sectors)
        session.add(ProjectSector(project_id=project.id, sector_code=sector, percentage=share))
    if listed.actual is not None:
        project.actual_start = listed.actual
    await session.flush()


@pytest_asyncio.fixture
async def registry(session: AsyncSession) -> Registry:
    """Four public projects and a private one (LISTED)."""
    donor = await create_org(session, "Czech Ministry of the Interior", country="CZ")
    iom = await create_org(session, "International Organization for Migration", org_type="40")
    prague = await create_org(session, "IOM Prague", org_type="40", country="CZ", parent_id=iom.id)
    other = await create_org(session, "Unrelated Agency", country="GE")
    for listed in LISTED:
        await _add(session, listed, {"donor": donor, "iom": iom, "prague": prague, "other": other})
    return Registry(donor, iom, prague, other)


async def _list(client: httpx.AsyncClient, params: Any, headers: dict[str, str] | None = None) -> list[str]:
    response = await client.get(f"{API}/projects", params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == len(page["items"])
    return [p["code"] for p in page["items"]]


FILTERS: list[tuple[str, Any, list[str]]] = [
    ("country", {"country": "GE"}, ["XM-BA-RETURN", "XM-GE-BORDER"]),
    ("countries-any-of", [("country", "GE"), ("country", "MD")], ["XM-BA-RETURN", "XM-GE-BORDER", "XM-MD-ASYLUM"]),
    ("region", {"region": "south-caucasus"}, ["XM-BA-RETURN", "XM-GE-BORDER"]),
    ("region-central-asia", {"region": "central-asia"}, ["XM-KZ-DATA"]),
    ("region-or-country", [("region", "central-asia"), ("country", "MD")], ["XM-KZ-DATA", "XM-MD-ASYLUM"]),
    ("theme", {"theme": "border-protection"}, ["XM-BA-RETURN", "XM-GE-BORDER"]),
    ("sector", {"sector": "15240"}, ["XM-BA-RETURN"]),
    ("sector-any-of", [("sector", "15190"), ("sector", "15130")], ["XM-BA-RETURN", "XM-GE-BORDER", "XM-MD-ASYLUM"]),
    ("status", {"status": "closed"}, ["XM-BA-RETURN", "XM-MD-ASYLUM"]),
    ("statuses-any-of", [("status", "closed"), ("status", "pipeline")], ["XM-BA-RETURN", "XM-KZ-DATA", "XM-MD-ASYLUM"]),
    ("years-overlap", {"year_from": 2010, "year_to": 2012}, ["XM-BA-RETURN", "XM-GE-BORDER"]),
    ("year-from-only", {"year_from": 2015}, ["XM-KZ-DATA"]),
    ("year-to-only", {"year_to": 2005}, ["XM-MD-ASYLUM"]),
    ("year-uses-actual-start", {"year_from": 2015, "year_to": 2015}, []),
    ("q-title-word", {"q": "border"}, ["XM-GE-BORDER"]),
    ("q-prefix", {"q": "bord"}, ["XM-GE-BORDER"]),
    ("q-all-words", {"q": "asylum moldova"}, ["XM-MD-ASYLUM"]),
    ("q-words-not-together", {"q": "asylum georgia"}, []),
    ("q-description", {"q": "readmis"}, ["XM-BA-RETURN"]),
    ("q-code", {"q": "XM-KZ"}, ["XM-KZ-DATA"]),
    (
        "country-and-theme-and-status",
        {"country": "GE", "theme": "border-protection", "status": "closed"},
        ["XM-BA-RETURN"],
    ),
    ("country-and-q", {"country": "GE", "q": "return"}, ["XM-BA-RETURN"]),
    ("theme-and-years", {"theme": "border-protection", "year_to": 2011}, ["XM-GE-BORDER"]),
    ("nothing-matches-all", {"country": "MD", "theme": "border-protection"}, []),
]


@pytest.mark.parametrize(("label", "params", "expected"), FILTERS, ids=[f[0] for f in FILTERS])
async def test_list_filters_combine(
    client: httpx.AsyncClient, registry: Registry, label: str, params: Any, expected: list[str]
) -> None:
    assert await _list(client, params) == expected


ORG_FILTERS: list[tuple[str, str, str | None, list[str]]] = [
    ("parent-covers-children", "iom", None, ["XM-BA-RETURN", "XM-GE-BORDER", "XM-KZ-DATA"]),
    ("parent-in-a-role", "iom", "implementing", ["XM-GE-BORDER"]),
    ("child-alone", "prague", None, ["XM-GE-BORDER", "XM-KZ-DATA"]),
    ("donor-as-funder", "donor", "funding", ["XM-GE-BORDER", "XM-MD-ASYLUM"]),
    ("donor-in-a-role-it-does-not-have", "donor", "implementing", []),
    ("private-project-hidden", "other", None, ["XM-MD-ASYLUM"]),
]


@pytest.mark.parametrize(("label", "org", "role", "expected"), ORG_FILTERS, ids=[f[0] for f in ORG_FILTERS])
async def test_list_by_organisation_with_and_without_its_role(
    client: httpx.AsyncClient, registry: Registry, label: str, org: str, role: str | None, expected: list[str]
) -> None:
    params: dict[str, str] = {"organisation": str(getattr(registry, org).id)}
    if role:
        params["organisation_role"] = role
    assert await _list(client, params) == expected


async def test_filters_apply_to_what_the_caller_may_see(
    client: httpx.AsyncClient, registry: Registry, tokens: Tokens
) -> None:
    assert await _list(client, {"country": "GE"}, tokens.admin()) == ["XM-BA-RETURN", "XM-GE-BORDER", "XM-GE-PRIVATE"]
    assert await _list(client, {"country": "GE", "is_public": "false"}, tokens.admin()) == ["XM-GE-PRIVATE"]


async def test_list_sorts_and_pages_with_a_total(client: httpx.AsyncClient, registry: Registry) -> None:
    by_title = await _list(client, {"sort": "title"})
    assert by_title == ["XM-MD-ASYLUM", "XM-GE-BORDER", "XM-KZ-DATA", "XM-BA-RETURN"]
    assert await _list(client, {"sort": "-title"}) == by_title[::-1]
    # Start is the actual start when known, else the planned one.
    assert await _list(client, {"sort": "-start"}) == ["XM-KZ-DATA", "XM-BA-RETURN", "XM-GE-BORDER", "XM-MD-ASYLUM"]
    assert await _list(client, {"sort": "end"}) == ["XM-MD-ASYLUM", "XM-GE-BORDER", "XM-BA-RETURN", "XM-KZ-DATA"]

    seen: list[str] = []
    for page in (1, 2, 3):
        response = await client.get(f"{API}/projects", params={"sort": "code", "page": page, "page_size": 3})
        body = response.json()
        assert (body["total"], body["page"], body["page_size"]) == (4, page, 3)
        seen += [p["code"] for p in body["items"]]
    assert seen == ["XM-BA-RETURN", "XM-GE-BORDER", "XM-KZ-DATA", "XM-MD-ASYLUM"]
    filtered = (await client.get(f"{API}/projects", params={"status": "closed", "page_size": 1, "page": 2})).json()
    assert (filtered["total"], [p["code"] for p in filtered["items"]]) == (2, ["XM-MD-ASYLUM"])


async def test_list_items_summarise_countries_themes_and_funders(client: httpx.AsyncClient, registry: Registry) -> None:
    item = (await client.get(f"{API}/projects", params={"q": "balkans"})).json()["items"][0]
    assert [(c["country_code"], Decimal(c["percentage"])) for c in item["countries"]] == [("BA", 60), ("GE", 40)]
    assert item["themes"] == ["border-protection", "return-policy"]
    assert item["funders"] == [_ref(registry.iom)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "atlantis"}, "query.region[0]"),
        ({"year_from": 2012, "year_to": 2010}, "query.year_to"),
        ({"status": "dormant"}, "query.status[0]"),
        ({"sort": "colour"}, "query.sort"),
        ({"organisation": "not-a-uuid"}, "query.organisation[0]"),
    ],
)
async def test_bad_list_parameters_name_the_parameter(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get(f"{API}/projects", params=params)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


# --- activities -------------------------------------------------------------------------------------------------


async def test_activities_form_a_timeline_with_participants_by_sex_and_totals(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    police = await create_org(session, "Border Police of Georgia", country="GE")
    base = f"{API}/projects/{world.project.id}/activities"
    visits: list[dict[str, Any]] = [
        {
            "kind": "on-site-visit",
            "title": "Visit to the Bělá-Jezová detention facility",
            "facility_type": "detention-facility",
            "facility_name": "Bělá-Jezová",
            "start_date": "2009-05-12",
            "end_date": "2009-05-13",
            "place": "Bělá pod Bezdězem",
            "country_code": "CZ",
            "participants": [
                {"organisation_id": str(police.id), "women": 3, "men": 5},
                {"organisation_id": str(world.other.id), "women": 1, "men": 0, "unspecified": 2},
            ],
        },
        {
            "kind": "workshop",
            "title": "Opening workshop",
            "start_date": "2009-02-01",
            "place": "Tbilisi",
            "participants": [{"organisation_id": str(police.id), "women": 10, "men": 12}],
        },
        {
            "kind": "study-visit",
            "title": "Study visit to Prague airport",
            "start_date": "2009-09-20",
            "participants": [],
        },
    ]
    for visit in visits:
        response = await client.post(base, json=visit, headers=tokens.admin())
        assert response.status_code == 201, response.text

    page = (await client.get(base)).json()
    assert page["total"] == 3
    timeline = page["items"]
    assert [(a["start_date"], a["kind"]) for a in timeline] == [
        ("2009-02-01", "workshop"),
        ("2009-05-12", "on-site-visit"),
        ("2009-09-20", "study-visit"),
    ]
    assert [(a["women"], a["men"], a["total_participants"]) for a in timeline] == [(10, 12, 22), (4, 5, 11), (0, 0, 0)]
    visit = timeline[1]
    assert (visit["facility_type"], visit["facility_name"], visit["end_date"]) == (
        "detention-facility",
        "Bělá-Jezová",
        "2009-05-13",
    )
    assert visit["participants"] == [
        {"organisation": _ref(police), "women": 3, "men": 5, "unspecified": 0, "total": 8},
        {"organisation": _ref(world.other), "women": 1, "men": 0, "unspecified": 2, "total": 3},
    ]
    only_visits = (await client.get(base, params={"kind": "on-site-visit"})).json()
    assert [a["title"] for a in only_visits["items"]] == ["Visit to the Bělá-Jezová detention facility"]
    single = await client.get(f"{base}/{visit['id']}")
    assert single.json() == visit


async def test_replacing_an_activitys_participants_recounts_the_totals(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    base = f"{API}/projects/{world.project.id}/activities"
    created = await client.post(
        base,
        json={
            "kind": "training",
            "title": "Training",
            "start_date": "2010-01-10",
            "participants": [{"organisation_id": str(world.donor.id), "women": 2, "men": 2}],
        },
        headers=tokens.admin(),
    )
    path = f"{base}/{created.json()['id']}"
    changed = await client.patch(
        path,
        json={"participants": [{"organisation_id": str(world.other.id), "women": 7, "men": 1}]},
        headers={**tokens.admin(), "If-Match": created.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    body = (await client.get(path)).json()
    assert [p["organisation"]["id"] for p in body["participants"]] == [str(world.other.id)]
    assert (body["women"], body["men"], body["total_participants"], body["title"]) == (7, 1, 8, "Training")


async def test_a_project_without_dates_matches_no_year_filter(client: httpx.AsyncClient, session: AsyncSession) -> None:
    undated = await create_project(session, title="Undated", start=None, end=None, countries=(("TJ", "100"),))
    ongoing = await create_project(
        session, title="Ongoing", start=date(2009, 1, 1), end=None, countries=(("TJ", "100"),)
    )
    found = (await client.get(f"{API}/projects", params={"country": "TJ", "year_from": 2015, "year_to": 2016})).json()
    ids = {p["id"] for p in found["items"]}
    assert str(ongoing.id) in ids
    assert str(undated.id) not in ids
    unfiltered = (await client.get(f"{API}/projects", params={"country": "TJ"})).json()
    assert str(undated.id) in {p["id"] for p in unfiltered["items"]}
