"""Reports: values with disaggregations, submit checks, approval, locking, reopening, audit history."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.reports.models import ReportValue
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness, ProjectSpec

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


async def _setup(session: AsyncSession, fake: ProjectsHarness, **kw: Any) -> tuple[ProjectSpec, str]:
    indicator = await create_indicator(session, **kw)
    project = await create_project(session, fake)
    await create_framework(session, project.id, indicator)
    return project, indicator.code


async def _draft(
    client: httpx.AsyncClient, project: ProjectSpec, headers: dict[str, str], period: str = "2010Q2"
) -> httpx.Response:
    response = await client.post(f"{API}/projects/{project.id}/reports", json={"period": period}, headers=headers)
    assert response.status_code == 201, response.text
    return response


def _with(headers: dict[str, str], response: httpx.Response) -> dict[str, str]:
    return {**headers, "If-Match": response.headers["etag"]}


async def test_the_whole_workflow(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code = await _setup(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter, country="BA")
    manager = projects_api_server.role(Role.manager, country="BA")
    draft = await _draft(client, project, reporter, "2010-Q2")
    assert draft.json()["period"] == "2010Q2"
    rid = draft.json()["id"]
    values = [
        {"indicator_code": code, "value": "25"},
        {"indicator_code": code, "disaggregation": {"sex": "f"}, "value": "12"},
        {"indicator_code": code, "disaggregation": {"sex": "m"}, "value": "13"},
    ]
    put = await client.put(f"{API}/reports/{rid}/values", json={"values": values}, headers=_with(reporter, draft))
    assert put.status_code == 200, put.text
    assert [v["value"] for v in put.json()["values"]] == ["25.0000", "12.0000", "13.0000"]
    assert (await client.get(f"{API}/reports/{rid}")).status_code == 404  # drafts are not public
    submitted = await client.post(f"{API}/reports/{rid}/submit", headers=_with(reporter, put))
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    returned = await client.post(f"{API}/reports/{rid}/return", json={}, headers=_with(manager, submitted))
    assert returned.status_code == 422  # a return needs a comment
    returned = await client.post(
        f"{API}/reports/{rid}/return", json={"comment": "Check the count"}, headers=_with(manager, submitted)
    )
    assert returned.json()["status"] == "returned"
    fixed = await client.put(
        f"{API}/reports/{rid}/values",
        json={
            "values": [
                {"indicator_code": code, "disaggregation": {"sex": "m"}, "value": "14"},
                {"indicator_code": code, "value": "26"},
            ]
        },
        headers=_with(reporter, returned),
    )
    assert fixed.json()["status"] == "draft"
    resubmitted = await client.post(f"{API}/reports/{rid}/submit", headers=_with(reporter, fixed))
    approved = await client.post(f"{API}/reports/{rid}/approve", json={}, headers=_with(manager, resubmitted))
    assert approved.json()["status"] == "approved"
    public = await client.get(f"{API}/reports/{rid}")
    assert public.status_code == 200
    locked = await client.put(f"{API}/reports/{rid}/values", json={"values": values}, headers=_with(reporter, approved))
    assert locked.status_code == 409
    not_admin = await client.post(
        f"{API}/reports/{rid}/reopen", json={"reason": "wrong count"}, headers=_with(manager, approved)
    )
    assert not_admin.status_code == 403
    reopened = await client.post(
        f"{API}/reports/{rid}/reopen",
        json={"reason": "wrong count"},
        headers=_with(projects_api_server.admin(), approved),
    )
    assert reopened.json()["status"] == "draft"
    history = (await client.get(f"{API}/reports/{rid}/history", headers=manager)).json()
    assert [e["action"] for e in history["events"]] == ["create", "submit", "return", "submit", "approve", "reopen"]
    assert history["events"][-1]["comment"] == "wrong count"
    changes = [(c["action"], c["disaggregation_key"]) for c in history["value_changes"]]
    assert changes == [("create", ""), ("create", "sex=f"), ("create", "sex=m"), ("update", "sex=m"), ("update", "")]
    assert history["value_changes"][3]["before"]["value"] == "13"  # as the audit writes numbers: no trailing zeros


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        (
            [
                {"value": "25"},
                {"disaggregation": {"sex": "f"}, "value": "12"},
                {"disaggregation": {"sex": "m"}, "value": "10"},
            ],
            ".sex",
            "sum",
        ),
        ([{"value": "25"}, {"disaggregation": {"sex": "f"}, "value": "12"}], ".sex", "incomplete"),
        ([{"value": "5"}, {"disaggregation": {"sex": "f"}, "value": "12"}], ".sex", "sum"),
        ([{"disaggregation": {"sex": "f"}, "value": "12"}], ".sex", "total_missing"),
    ],
)
async def test_disaggregations_must_add_up_on_submit(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    values: list[dict[str, Any]],
    field: str,
    code: str,
) -> None:
    project, ind = await _setup(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    draft = await _draft(client, project, reporter)
    rid = draft.json()["id"]
    put = await client.put(
        f"{API}/reports/{rid}/values",
        json={"values": [{"indicator_code": ind, **v} for v in values]},
        headers=_with(reporter, draft),
    )
    refused = await client.post(f"{API}/reports/{rid}/submit", headers=_with(reporter, put))
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["field"].endswith(field)
    assert error["code"] == code
    assert (await client.get(f"{API}/reports/{rid}", headers=reporter)).json()["status"] == "draft"


async def test_incomplete_breakdown_is_a_warning_when_the_reporter_says_so(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, ind = await _setup(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    draft = await _draft(client, project, reporter)
    values = [
        {"indicator_code": ind, "value": "25", "incomplete": True},
        {"indicator_code": ind, "disaggregation": {"sex": "f"}, "value": "12"},
    ]
    put = await client.put(
        f"{API}/reports/{draft.json()['id']}/values", json={"values": values}, headers=_with(reporter, draft)
    )
    submitted = await client.post(f"{API}/reports/{draft.json()['id']}/submit", headers=_with(reporter, put))
    assert submitted.status_code == 200
    assert submitted.json()["warnings"][0]["code"] == "incomplete"


async def test_outliers_warn_the_approver(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session, dimensions=())
    project = await create_project(session, projects_api_server)
    pi = await create_framework(session, project.id, indicator)
    for period, value in (("2009Q1", "10"), ("2009Q2", "12"), ("2009Q3", "11")):
        await create_report(session, project.id, period, status="approved", values=((pi.id, {}, value),))
    reporter = projects_api_server.role(Role.reporter)
    draft = await _draft(client, project, reporter)
    put = await client.put(
        f"{API}/reports/{draft.json()['id']}/values",
        json={"values": [{"indicator_code": indicator.code, "value": "400"}]},
        headers=_with(reporter, draft),
    )
    submitted = await client.post(f"{API}/reports/{draft.json()['id']}/submit", headers=_with(reporter, put))
    assert submitted.status_code == 200
    assert submitted.json()["warnings"][0]["code"] == "outlier"


@pytest.mark.parametrize(
    ("measure", "value", "field"),
    [
        ("percent", {"value": "101"}, "body.values[0].value"),
        ("number", {"value": "-1"}, "body.values[0].value"),
        ("number", {"text_value": "many"}, "body.values[0].text_value"),
        ("qualitative", {"value": "3"}, "body.values[0].value"),
        ("ratio", {"numerator": "1", "denominator": "0"}, "body.values[0].denominator"),
        ("number", {"value": "1", "disaggregation": {"sex": "x"}}, "body.values[0].disaggregation.sex"),
    ],
)
async def test_bad_values_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    measure: str,
    value: dict[str, Any],
    field: str,
) -> None:
    project, code = await _setup(session, projects_api_server, measure=measure)
    reporter = projects_api_server.role(Role.reporter)
    draft = await _draft(client, project, reporter)
    rid = draft.json()["id"]
    good = (
        {"indicator_code": code, "disaggregation": {"sex": "f"}, "value": "1"}
        if measure in ("number", "percent")
        else None
    )
    body = {"values": [{"indicator_code": code, **value}, *([good] if good else [])]}
    response = await client.put(f"{API}/reports/{rid}/values", json=body, headers=_with(reporter, draft))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    count = await session.scalar(
        select(func.count()).select_from(ReportValue).where(ReportValue.report_id == uuid.UUID(rid))
    )
    assert count == 0


async def test_unknown_indicator_and_bad_period(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, _ = await _setup(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    bad = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010Q5"}, headers=reporter)
    assert bad.json()["errors"][0]["field"] == "body.period"
    draft = await _draft(client, project, reporter)
    again = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010Q2"}, headers=reporter)
    assert again.status_code == 409
    unknown = await client.put(
        f"{API}/reports/{draft.json()['id']}/values",
        json={"values": [{"indicator_code": "nope", "value": "1"}]},
        headers=_with(reporter, draft),
    )
    assert unknown.json()["errors"][0]["field"] == "body.values[0].indicator_code"
    no_etag = await client.put(
        f"{API}/reports/{draft.json()['id']}/values",
        json={"values": [{"indicator_code": "x", "value": "1"}]},
        headers=reporter,
    )
    assert no_etag.status_code == 428


async def test_attachments(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, _ = await _setup(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    rid = (await _draft(client, project, reporter)).json()["id"]
    url = f"{API}/reports/{rid}/attachments"
    pdf = await client.post(
        url, files={"file": ("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")}, headers=reporter
    )
    assert pdf.status_code == 201, pdf.text
    assert pdf.json()["media_type"] == "application/pdf"
    fake = await client.post(url, files={"file": ("virus.pdf", b"MZ\x90\x00", "application/pdf")}, headers=reporter)
    assert fake.status_code == 415
    big = await client.post(
        url, files={"file": ("big.txt", b"a" * (5 * 1024 * 1024 + 1), "text/plain")}, headers=reporter
    )
    assert big.status_code == 413
    got = await client.get(f"{url}/{pdf.json()['id']}", headers=reporter)
    assert got.content == b"%PDF-1.4 minutes"
    assert (await client.post(url, files={"file": ("a.txt", b"x", "text/plain")})).status_code == 401
    assert (await client.delete(f"{url}/{pdf.json()['id']}", headers=reporter)).status_code == 204


async def test_a_long_attachment_name_keeps_its_extension_and_a_wrong_one_is_named_in_the_415(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """A 300-character name used to be cut to 255 characters with its extension, and the PDF was then refused as
    'not a PDF' (a misleading 415)."""
    project, _ = await _setup(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    url = f"{API}/reports/{(await _draft(client, project, reporter)).json()['id']}/attachments"
    long_name = "Minutes of the study visit to the asylum reception centre " * 5 + ".pdf"
    assert len(long_name) > 255

    kept = await client.post(url, files={"file": (long_name, b"%PDF-1.4 minutes", "application/pdf")}, headers=reporter)

    assert kept.status_code == 201, kept.text
    assert kept.json()["filename"].endswith(".pdf") and len(kept.json()["filename"]) == 255
    assert kept.json()["media_type"] == "application/pdf"
    for name, detail in [
        ("photo.png", "photo.png is named .png but its content is PDF."),
        ("minutes", "minutes has PDF content but no extension for it (name it .pdf)."),
    ]:
        refused = await client.post(url, files={"file": (name, b"%PDF-1.4", "application/pdf")}, headers=reporter)
        assert refused.status_code == 415
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == detail


async def test_authorization(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, _ = await _setup(session, projects_api_server)
    url = f"{API}/projects/{project.id}/reports"
    assert (await client.post(url, json={"period": "2010"})).status_code == 401
    assert (
        await client.post(url, json={"period": "2010"}, headers=projects_api_server.role(Role.viewer))
    ).status_code == 403
    assert (
        await client.post(url, json={"period": "2010"}, headers=projects_api_server.role(Role.reporter, country="GE"))
    ).status_code == 403
    reporter = projects_api_server.role(Role.reporter)
    draft = await _draft(client, project, reporter)
    rid = draft.json()["id"]
    put = await client.put(
        f"{API}/reports/{rid}/values",
        json={
            "values": [
                {
                    "indicator_code": (await client.get(f"{API}/projects/{project.id}/framework")).json()["results"][0][
                        "indicators"
                    ][0]["indicator"]["code"],
                    "value": "1",
                }
            ]
        },
        headers=_with(reporter, draft),
    )
    submitted = await client.post(f"{API}/reports/{rid}/submit", headers=_with(reporter, put))
    for headers, code in ((None, 401), (reporter, 403), (projects_api_server.role(Role.manager, country="GE"), 403)):
        response = await client.post(f"{API}/reports/{rid}/approve", json={}, headers=_with(headers or {}, submitted))
        assert response.status_code == code
    listed = await client.get(url)
    assert listed.json()["total"] == 0  # anonymous readers see approved reports only
    assert (await client.get(url, headers=reporter)).json()["total"] == 1


async def test_list_filters_by_status(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, _ = await _setup(session, projects_api_server)
    await create_report(session, project.id, "2009", status="approved")
    await create_report(session, project.id, "2010", status="submitted")
    reporter = projects_api_server.role(Role.reporter)
    url = f"{API}/projects/{project.id}/reports"
    assert [
        r["period"] for r in (await client.get(url, params={"status": "submitted"}, headers=reporter)).json()["items"]
    ] == ["2010"]
    assert (await client.get(url, params={"status": "submitted"})).json()["total"] == 0
    assert (await client.get(url, params={"status": "nope"})).status_code == 422


async def test_approvers_queue_and_reports_across_projects(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    bosnia, _ = await _setup(session, projects_api_server)
    georgia = await create_project(session, projects_api_server, countries=("GE",), is_public=False)
    await create_report(session, bosnia.id, "2009", status="approved")
    waiting = await create_report(session, bosnia.id, "2010", status="submitted")
    await create_report(session, georgia.id, "2010", status="submitted")
    await create_report(session, georgia.id, "2008", status="approved")
    url = f"{API}/reports"
    queue = (
        await client.get(
            url, params={"awaiting_my_approval": True}, headers=projects_api_server.role(Role.manager, country="BA")
        )
    ).json()
    assert [r["id"] for r in queue["items"]] == [str(waiting.id)]
    reporter_queue = await client.get(
        url, params={"awaiting_my_approval": True}, headers=projects_api_server.role(Role.reporter, country="BA")
    )
    assert reporter_queue.json()["total"] == 0  # reporters do not approve
    seen = (await client.get(url, headers=projects_api_server.role(Role.viewer, country="XK"))).json()["items"]
    ids = {(r["project_id"], r["period"]) for r in seen}
    assert (str(bosnia.id), "2009") in ids  # approved report of a public project
    assert (str(bosnia.id), "2010") not in ids  # submitted: only for those who report on it
    assert (str(georgia.id), "2008") not in ids  # approved, but of a private project outside the grants
    assert (await client.get(url)).status_code == 401
