"""/iati: the results projects-api publishes and imports. Written by a manager of the project (a wrong role and a
wrong scope are in test_authorization.py), read back by who may read the project only, refused with problems."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.iati.schemas import IatiIndicator, IatiResult, IatiResultsPage
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1/iati"


def body(code: str) -> dict[str, Any]:
    return {
        "results": [
            {
                "kind": "outcome",
                "title": "Officials trained",
                "language": "en",
                "titles": {"en": "Officials trained", "ru": "Обученные сотрудники"},
                "indicators": [
                    {
                        "code": code,
                        "name": "Officials trained",
                        "names": {"en": "Officials trained", "cs": "Vyškolení úředníci"},
                        "baseline": {"value": "4", "date": "2009-01-01"},
                        "targets": [{"value": "100"}, {"start": "2010-01-01", "end": "2010-12-31", "value": "60"}],
                        "actuals": [
                            {"start": "2010-01-01", "end": "2010-06-30", "value": "20"},
                            {"start": "2010-01-01", "end": "2010-06-30", "disaggregation": {"sex": "f"}, "value": "8"},
                        ],
                    }
                ],
            }
        ],
    }


async def test_a_manager_writes_a_framework_and_readers_get_it_back(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project = await create_project(session, projects_api_server, countries=("BA",))
    code = f"iati-{uuid.uuid4().hex[:8]}"
    written = await client.put(
        f"{API}/projects/{project.id}/results",
        json=body(code),
        headers=projects_api_server.role(Role.manager, country="BA"),
    )
    assert written.status_code == 200, written.text
    summary = written.json()
    assert (summary["applied"], summary["results"], summary["indicators"]) == (True, 1, 1)
    assert (summary["indicators_created"], summary["reports_created"], summary["values"]) == ([code], 1, 2)

    read = await client.get(f"{API}/results", params={"project_id": str(project.id)})  # anonymous: a public project
    assert read.status_code == 200, read.text
    IatiResultsPage.model_validate_json(read.text)  # the documented model (the JSON is built by PostgreSQL)
    [projected] = read.json()["projects"]
    [result] = projected["results"]
    assert set(result) == set(IatiResult.model_fields)
    assert set(result["indicators"][0]) == set(IatiIndicator.model_fields)
    assert result["indicators"][0]["baseline"] == {"value": "4.0000", "date": "2009-01-01", "note": None}
    assert [t["period"] for t in result["indicators"][0]["targets"]] == [None, "2010"]  # the overall one first
    assert result["titles"] == {"en": "Officials trained", "ru": "Обученные сотрудники"}
    [indicator] = result["indicators"]
    assert indicator["names"]["cs"] == "Vyškolení úředníci" and indicator["baseline"]["value"] == "4.0000"
    assert sorted((t["period"], t["value"]) for t in indicator["targets"] if t["period"]) == [("2010", "60.0000")]
    actuals = {(a["period"], tuple(a["disaggregation"].items())): a["value"] for a in indicator["actuals"]}
    assert actuals == {("2010S1", ()): "20.0000", ("2010S1", (("sex", "f"),)): "8.0000"}  # approved reports
    framework = (await client.get(f"/api/reporting/v1/projects/{project.id}/framework")).json()
    assert framework["results"][0]["indicators"][0]["frequency"] == "semester"  # the one period type of its actuals


async def test_actuals_of_overlapping_periods_are_not_counted_twice(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project = await create_project(session, projects_api_server, countries=("BA",))
    mixed = body(f"iati-{uuid.uuid4().hex[:8]}")
    mixed["results"][0]["indicators"][0]["actuals"] += [
        {"start": "2010-01-01", "end": "2010-12-31", "value": "50"},  # the year holding 2010S1: left out
        {"start": "2011-01-01", "end": "2011-12-31", "value": "70"},
    ]
    written = await client.put(f"{API}/projects/{project.id}/results", json=mixed, headers=projects_api_server.admin())
    assert written.status_code == 200, written.text
    assert written.json()["values"] == 3
    assert any("2010-01-01..2010-12-31 left out (overlaps another)" in w for w in written.json()["warnings"])
    framework = (await client.get(f"/api/reporting/v1/projects/{project.id}/framework")).json()
    assert framework["results"][0]["indicators"][0]["frequency"] == "once"  # periods of two lengths


async def test_private_projects_are_left_out_for_callers_who_may_not_read_them(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    public = await create_project(session, projects_api_server, countries=("BA",))
    private = await create_project(session, projects_api_server, countries=("MD",), is_public=False)
    for project in (public, private):
        await create_framework(session, project.id, indicator)
    ids = {"project_id": [str(public.id), str(private.id)]}
    seen = {
        who: {
            p["project_id"]
            for p in (await client.get(f"{API}/results", params=ids, headers=headers)).json()["projects"]
        }
        for who, headers in (
            ("anonymous", {}),
            ("other country", projects_api_server.role(Role.viewer, country="BA")),
            ("its country", projects_api_server.role(Role.viewer, country="MD")),
            ("admin", projects_api_server.admin()),
        )
    }
    assert seen["anonymous"] == seen["other country"] == {str(public.id)}
    assert seen["its country"] == seen["admin"] == {str(public.id), str(private.id)}


async def test_a_framework_with_reported_values_is_kept(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    project = await create_project(session, projects_api_server, countries=("BA",))
    pi = await create_framework(session, project.id, indicator)
    await create_report(session, project.id, "2010Q1", values=((pi.id, {}, "5"),))
    written = await client.put(
        f"{API}/projects/{project.id}/results", json=body("iati-kept"), headers=projects_api_server.admin()
    )
    assert written.status_code == 200, written.text
    assert written.json()["applied"] is False and "already hold values" in written.json()["warnings"][0]
    framework = (await client.get(f"/api/reporting/v1/projects/{project.id}/framework")).json()
    assert [i["indicator"]["code"] for r in framework["results"] for i in r["indicators"]] == [indicator.code]


async def test_bad_bodies_are_problems_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project = await create_project(session, projects_api_server, countries=("BA",))
    bad_code = body("Not A Code")
    too_many = {"project_id": [str(uuid.uuid4()) for _ in range(501)]}
    for response, field in (
        (
            await client.put(
                f"{API}/projects/{project.id}/results", json=bad_code, headers=projects_api_server.admin()
            ),
            "body.results[0].indicators[0].code",
        ),
        (
            await client.put(
                f"{API}/projects/{project.id}/results",
                json={"results": [{"kind": "x", "title": "t"}]},
                headers=projects_api_server.admin(),
            ),
            "kind",
        ),
        (await client.get(f"{API}/results", params=too_many), "project_id"),
        (await client.get(f"{API}/results"), "project_id"),
    ):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert any(field in e["field"] for e in response.json()["errors"]), response.json()
    framework = (await client.get(f"/api/reporting/v1/projects/{project.id}/framework")).json()
    assert framework["results"] == []  # nothing half-written
