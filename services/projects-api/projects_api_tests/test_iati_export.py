"""The IATI export of the demo data, read by what the code under test did not write: the official 2.03 schemas
(lxml) and the IATI rules the schema cannot check (tests/iati_rules.py), with both services on real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
import pytest_asyncio
from lxml import etree

from projects_api.demo.data import PROJECTS, demo_id
from projects_api.iati import activity_xml, results_client
from projects_api.iati.activity_xml import why_not_publishable
from projects_api.iati.export_repository import activity_batches
from projects_api.iati.standard import XML_LANG, schema
from projects_api_tests.iati_rules import activity_problems
from projects_api_tests.iati_stack import Stack, stack
from registry_kit.auth import Grant, Role

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def demo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    async with stack("iati_export", tmp_path_factory.mktemp("iati"), demo=True) as running:
        yield running


def _valid(body: bytes, kind: str = "activities") -> etree._ElementTree:
    tree = etree.ElementTree(etree.fromstring(body))
    checker = schema("2.03", kind)
    assert checker.validate(tree), [f"{e.line}: {e.message}" for e in checker.error_log]
    return tree


async def test_the_demo_export_is_valid_and_keeps_the_rules_the_schema_cannot(demo: Stack) -> None:
    response = await demo.http.get(f"{demo.api}/iati/activities.xml", headers=demo.admin())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    tree = _valid(response.content)
    activities = tree.getroot().findall("iati-activity")
    assert sorted(a.findtext("iati-identifier") for a in activities) == sorted(p.code for p in PROJECTS)
    for activity in activities:
        assert activity_problems(activity, date.today()) == []
        assert activity.get("last-updated-datetime")  # from the audit trail


async def test_titles_in_every_language_results_and_actuals_per_period(demo: Stack) -> None:
    ge = demo_id("project:XM-DAC-47066-GE-MMCB")
    response = await demo.http.get(f"{demo.api}/projects/{ge}/iati.xml")
    activity = _valid(response.content).getroot().find("iati-activity")
    assert activity is not None
    titles = {n.get(XML_LANG, "en"): n.text for n in activity.findall("title/narrative")}
    assert titles["ru"] == "Развитие потенциала управления миграцией в Грузии"
    assert set(titles) == {"en", "ru", "cs"}
    indicator = activity.find("result/indicator")
    assert indicator is not None
    assert indicator.find("reference").get("code") == "officials-trained"  # type: ignore[union-attr]
    periods = {
        (p.find("period-start").get("iso-date"), p.find("period-end").get("iso-date")): p  # type: ignore[union-attr]
        for p in indicator.findall("period")
    }
    second_half_2009 = periods[("2009-07-01", "2009-12-31")]  # the approved report of 2009S2, with its sex breakdown
    actuals = {
        tuple((d.get("name"), d.get("value")) for d in a.findall("dimension")): a.get("value")
        for a in second_half_2009.findall("actual")
    }
    assert actuals == {(): "32", (("sex", "f"),): "12", (("sex", "m"),): "20"}
    assert ("2010-01-01", "2010-06-30") not in periods  # the 2010S1 report is a draft: not published


async def test_budgets_longer_than_a_year_are_split_and_add_up(demo: Stack) -> None:
    bih = demo_id("project:XM-DAC-47066-CZ-BA-2004")
    activity = _valid((await demo.http.get(f"{demo.api}/projects/{bih}/iati.xml")).content).getroot()[0]
    budgets = activity.findall("budget")
    assert len(budgets) == 2  # 2004-03-01..2005-12-31
    assert sum(float(b.findtext("value") or 0) for b in budgets) == 100000.0


async def test_anonymous_callers_get_public_projects_only_and_filters_apply(demo: Stack) -> None:
    private = demo_id("project:XM-DAC-47066-SC-IDP")
    patch = await demo.http.get(f"{demo.api}/projects/{private}", headers=demo.admin())
    made_private = await demo.http.patch(
        f"{demo.api}/projects/{private}",
        json={"is_public": False},
        headers={**demo.admin(), "If-Match": patch.headers["etag"]},
    )
    assert made_private.status_code == 200, made_private.text
    anonymous = _valid((await demo.http.get(f"{demo.api}/iati/activities.xml")).content).getroot()
    codes = {a.findtext("iati-identifier") for a in anonymous}
    assert "XM-DAC-47066-SC-IDP" not in codes and len(codes) == len(PROJECTS) - 1
    assert (await demo.http.get(f"{demo.api}/projects/{private}/iati.xml")).status_code == 404
    scoped = demo.headers(Grant(Role.viewer, country="MD"))
    filtered = await demo.http.get(f"{demo.api}/iati/activities.xml", params={"country": "MD"}, headers=scoped)
    assert [a.findtext("iati-identifier") for a in _valid(filtered.content).getroot()] == ["XM-DAC-47066-MD-LMR"]
    bad = await demo.http.get(f"{demo.api}/iati/activities.xml", params={"region": "atlantis"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


async def test_the_organisation_file_is_valid_with_budgets_by_year_and_country(demo: Stack) -> None:
    response = await demo.http.get(f"{demo.api}/iati/organisations.xml", headers=demo.admin())
    assert response.status_code == 200, response.text
    root = _valid(response.content, "organisations").getroot()
    iom = root.find("iati-organisation")
    assert iom is not None and iom.findtext("organisation-identifier") == "XM-DAC-47066"
    years = [b.find("period-start").get("iso-date")[:4] for b in iom.findall("total-budget")]  # type: ignore[index,union-attr]
    assert years == sorted(set(years)) and "2004" in years
    assert {c.find("recipient-country").get("code") for c in iom.findall("recipient-country-budget")} >= {"BA", "IQ"}  # type: ignore[union-attr]
    assert iom.findall("total-expenditure")
    assert any("GEL" in str(c) for c in iom.iter(etree.Comment))  # no EUR rate: counted apart, not as zero
    one = await demo.http.get(f"{demo.api}/iati/organisations.xml", params={"organisation": str(demo_id("org:iom"))})
    assert one.status_code == 200
    no_id = await demo.http.get(
        f"{demo.api}/iati/organisations.xml", params={"organisation": str(demo_id("org:ba-mos"))}
    )
    assert no_id.status_code == 422 and "IATI identifier" in no_id.json()["detail"]


async def test_reporting_api_down_is_a_503_problem(demo: Stack, tmp_path: Path) -> None:
    await demo.reporting.stop()
    try:
        response = await demo.http.get(f"{demo.api}/iati/activities.xml")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
    finally:
        await demo.reporting.start()


async def test_the_streamed_document_is_what_lxml_writes_for_the_same_activities(demo: Stack) -> None:
    """The export writes activities as text (activity_text.py); the reference is lxml's serialisation of
    activity_xml's element for the same rows and results, batch by batch, and the document must be those bytes."""
    headers = demo.admin()
    body = (await demo.http.get(f"{demo.api}/iati/activities.xml", headers=headers)).content
    app, token = demo.projects.app, headers["Authorization"].removeprefix("Bearer ")
    expected = b""
    async for rows in activity_batches(app.state.sessionmaker, [], 100):
        ids = [p["id"] for p in rows if why_not_publishable(p) is None]
        results = await results_client.read_results(app.state.reporting, ids, token)
        for p in rows:
            element = activity_xml.activity(p, results.get(str(p["id"]), []))
            expected += etree.tostring(element, encoding="UTF-8", pretty_print=True, xml_declaration=False)
    assert expected.count(b"<result ") > 0  # the demo has results: the deepest part is compared too
    assert body.split(b"\n", 2)[2] == expected + b"</iati-activities>\n"


def _comparable(body: bytes) -> bytes:
    """The document without what is generated on each export: the time it was made and the last-updated times
    (a new database has its own audit trail)."""
    root = etree.fromstring(body)
    root.attrib.pop("generated-datetime", None)
    for activity in root:
        activity.attrib.pop("last-updated-datetime", None)
    return bytes(etree.tostring(root, encoding="UTF-8"))


async def test_round_trip_export_import_into_an_empty_database_export_again(
    demo: Stack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = await demo.http.get(f"{demo.api}/iati/activities.xml", headers=demo.admin())
    assert first.status_code == 200
    async with stack("iati_round_trip", tmp_path_factory.mktemp("rt"), demo=False) as empty:
        imported = await empty.http.post(
            f"{empty.api}/iati/imports",
            files={"file": ("demo.xml", first.content, "application/xml")},
            headers=empty.admin(),
        )
        assert imported.status_code == 200, imported.text
        summary = imported.json()
        assert summary["created"] == summary["activities"] == len(PROJECTS), summary
        assert all(not item["errors"] for item in summary["items"]), summary["items"]
        second = await empty.http.get(f"{empty.api}/iati/activities.xml", headers=empty.admin())
        assert second.status_code == 200
    if _comparable(second.content) != _comparable(first.content):  # keep both for a look at the difference
        (tmp_path_factory.getbasetemp() / "first.xml").write_bytes(_comparable(first.content))
        (tmp_path_factory.getbasetemp() / "second.xml").write_bytes(_comparable(second.content))
    assert _comparable(second.content) == _comparable(first.content)
