"""Exports: streamed CSV (with HXL), XLSX and JSON; only readable values; formulas neutralised."""

from __future__ import annotations

import csv
import io
import uuid

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.reports.models import ReportValue
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
URL = "/api/reporting/v1/exports/values"


async def _data(session: AsyncSession, fake: ProjectsHarness) -> str:
    indicator = await create_indicator(session)
    public = await create_project(session, fake)
    private = await create_project(session, fake, is_public=False, countries=("GE",))
    for project in (public, private):
        pi = await create_framework(session, project.id, indicator)
        await create_report(
            session, project.id, "2010Q1", status="approved", values=((pi.id, {}, "5"), (pi.id, {"sex": "f"}, "2"))
        )
        await create_report(session, project.id, "2010Q2", values=((pi.id, {}, "7"),))
    report = await create_report(session, public.id, "2010Q3", status="approved")
    pi_id = (
        await create_framework(
            session, public.id, await create_indicator(session, measure="qualitative", dimensions=())
        )
    ).id
    session.add(
        ReportValue(
            report_id=report.id,
            project_indicator_id=pi_id,
            disaggregation={},
            disaggregation_key="",
            text_value='=HYPERLINK("http://evil","click")',
            comment="+1 from the field",
        )
    )
    await session.flush()
    return indicator.code


async def test_csv_with_hxl_only_public_approved_values(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    code = await _data(session, projects_api_server)
    response = await client.get(URL, params={"hxl": "true"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[1][0] == "#activity+code"
    data = rows[2:]
    assert sorted((r[2] == code, r[4], r[7], r[8]) for r in data if r[2] == code) == [
        (True, "2010Q1", "", "5.0000"),
        (True, "2010Q1", "sex=f", "2.0000"),
    ]
    evil = next(r for r in data if r[2] != code)
    assert evil[11].startswith("'=HYPERLINK")
    assert evil[12] == "'+1 from the field"


async def test_scope_and_unapproved(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    code = await _data(session, projects_api_server)
    viewer = projects_api_server.role(Role.viewer, country="GE")
    seen = (await client.get(URL, params={"format": "json", "indicator": code}, headers=viewer)).json()["values"]
    assert len(seen) == 4  # public and GE, approved only
    reporter = projects_api_server.role(Role.reporter, country="GE")
    drafts = (
        await client.get(
            URL, params={"format": "json", "indicator": code, "include_unapproved": "true"}, headers=reporter
        )
    ).json()
    assert sorted(v["status"] for v in drafts["values"]) == ["approved"] * 4 + ["draft"]
    refused = await client.get(URL, params={"include_unapproved": "true"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "query.include_unapproved"


async def test_xlsx(client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness) -> None:
    await _data(session, projects_api_server)
    response = await client.get(URL, params={"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "project_code"
    assert any(isinstance(r[11], str) and r[11].startswith("'=") for r in rows[1:])
    assert (await client.get(URL, params={"format": "pdf"})).status_code == 422


async def test_a_grant_on_a_parent_organisation_reaches_its_childrens_projects_in_exports(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    parent, child = uuid.uuid4(), uuid.uuid4()
    projects_api_server.organisation(child, parent=parent)
    indicator = await create_indicator(session)
    project = await create_project(
        session, projects_api_server, is_public=False, countries=("GE",), orgs=(child,), copy=False
    )
    synced = await client.post("/api/reporting/v1/sync/projects", headers=projects_api_server.admin())
    assert synced.status_code == 200, synced.text  # the local copy comes from projects-api's real feed
    pi = await create_framework(session, project.id, indicator)
    await create_report(session, project.id, "2010Q1", status="approved", values=((pi.id, {}, "5"),))
    via_parent = await client.get(
        "/api/reporting/v1/exports/values", headers=projects_api_server.role(Role.viewer, org=parent)
    )
    assert indicator.code in via_parent.text
    stranger = await client.get(
        "/api/reporting/v1/exports/values", headers=projects_api_server.role(Role.viewer, org=uuid.uuid4())
    )
    assert indicator.code not in stranger.text


async def test_csv_cells_are_those_of_the_python_csv_writer(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """PostgreSQL writes the CSV (COPY): quoting, empty cells, numbers, dates, neutralised formulas and the order
    of rows are what registry_kit.spreadsheet's writer gave."""
    from registry_kit.spreadsheet import safe_cell

    indicator = await create_indicator(session, measure="qualitative", dimensions=())
    project = await create_project(session, projects_api_server)
    pi = await create_framework(session, project.id, indicator)
    texts = ['a, "quoted"\nsecond line', "-minus", "@at", "\uff1dfull-width", "", "plain"]
    for n, text in enumerate(texts):
        report = await create_report(session, project.id, f"201{n}", status="approved")
        session.add(
            ReportValue(
                report_id=report.id,
                project_indicator_id=pi.id,
                disaggregation={},
                disaggregation_key="",
                text_value=text or None,
                comment=text,
            )
        )
    await session.flush()
    response = await client.get(URL, params={"indicator": indicator.code})
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "project_code"
    assert [(r[4], r[5], r[11], r[12]) for r in rows[1:]] == [
        (f"201{n}", f"201{n}-01-01", safe_cell(text), safe_cell(text)) for n, text in enumerate(texts)
    ]
    assert all(r[1] == str(project.id) and r[8] == "" and r[13] == "approved" for r in rows[1:])


async def test_rows_come_in_the_documented_order(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """Project, indicator code, period start, disaggregation: the order a plain sort of the rows gives (the query
    sorts before it joins the project code and indicator name, and must keep that order through the joins)."""
    suffix = uuid.uuid4().hex[:6]
    # Created in the opposite of their sort order, so an order of insertion cannot pass for the sorted one.
    indicators = [await create_indicator(session, f"{first}-{suffix}") for first in ("zz", "mm", "aa")]
    projects = [await create_project(session, projects_api_server) for _ in range(3)]
    for project in projects:
        pis = [(await create_framework(session, project.id, i)).id for i in indicators[project is projects[1] :]]
        for period in ("2011Q3", "2010Q1", "2011Q1"):
            values = tuple((pi, d, n) for pi in pis for d, n in (({"sex": "m"}, "2"), ({}, "5"), ({"sex": "f"}, "3")))
            await create_report(session, project.id, period, status="approved", values=values)
    mine = {str(p.id) for p in projects}
    response = await client.get(URL)
    assert response.status_code == 200
    csv_keys = [
        (r[1], r[2], r[5], r[7]) for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) if r[1] in mine
    ]
    expected = sorted(csv_keys, key=lambda k: (uuid.UUID(k[0]), k[1], k[2], k[3]))
    assert len(csv_keys) == (3 + 2 + 3) * 3 * 3
    assert csv_keys == expected
    body = (await client.get(URL, params={"format": "json"})).json()
    json_keys = [
        (v["project_id"], v["indicator"], v["period_start"], v["disaggregation"] or "")
        for v in body["values"]
        if v["project_id"] in mine
    ]
    assert json_keys == expected
