"""Results frameworks: results with indicators, baselines, targets per period and per disaggregation value."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.frameworks.models import Result
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")


def url(project_id: uuid.UUID, rest: str = "") -> str:
    return f"/api/reporting/v1/projects/{project_id}{rest}"


def result_body(code: str, **over: Any) -> dict[str, Any]:
    return {
        "kind": "output",
        "title": "Officials trained",
        "indicators": [
            {
                "indicator_code": code,
                "baseline_value": "0",
                "baseline_date": "2009-12-31",
                "targets": [
                    {"value": "120"},
                    {"period": "2010", "value": "60"},
                    {"period": "2010", "disaggregation": {"sex": "f"}, "value": "30"},
                ],
            }
        ],
        **over,
    }


async def test_manager_builds_a_framework_anyone_reads_it_when_public(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    project = await create_project(session, projects_api_server)
    manager = projects_api_server.role(Role.manager, country="BA")
    created = await client.post(url(project.id, "/results"), json=result_body(indicator.code), headers=manager)
    assert created.status_code == 201, created.text
    framework = (await client.get(url(project.id, "/framework"))).json()
    [result] = framework["results"]
    [pi] = result["indicators"]
    assert pi["indicator"]["code"] == indicator.code
    assert [(t["period"], t["disaggregation"], t["value"]) for t in pi["targets"]] == [
        (None, {}, "120.0000"),
        ("2010", {}, "60.0000"),
        ("2010", {"sex": "f"}, "30.0000"),
    ]
    assert pi["targets"][1]["period_end"] == "2010-12-31"

    updated = await client.put(
        url(project.id, f"/indicators/{pi['id']}"),
        json={"baseline_value": "5", "targets": [{"value": "150"}]},
        headers=manager,
    )
    assert updated.status_code == 200, updated.text
    assert [t["value"] for t in updated.json()["targets"]] == ["150.0000"]

    renamed = await client.patch(
        url(project.id, f"/results/{result['id']}"),
        json={"title": "Trained"},
        headers={**manager, "If-Match": f'"{result["id"]}.{result["version"]}"'},
    )
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Trained"


async def test_bad_targets_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    percent = await create_indicator(session, measure="percent", dimensions=())
    project = await create_project(session, projects_api_server)
    admin = projects_api_server.admin()
    cases = [
        ({"period": "2010Q9", "value": "1"}, "body.indicators[0].targets[0].period"),
        ({"disaggregation": {"sex": "x"}, "value": "1"}, "body.indicators[0].targets[0].disaggregation.sex"),
        ({"disaggregation": {"age": "0-17"}, "value": "1"}, "body.indicators[0].targets[0].disaggregation.age"),
        ({"value": "-3"}, "body.indicators[0].targets[0].value"),
    ]
    for target, field in cases:
        body = result_body(indicator.code)
        body["indicators"][0]["targets"] = [target]
        response = await client.post(url(project.id, "/results"), json=body, headers=admin)
        assert response.status_code == 422, target
        assert response.json()["errors"][0]["field"] == field
    body = result_body(percent.code)
    body["indicators"][0]["targets"] = [{"value": "140"}]
    assert (await client.post(url(project.id, "/results"), json=body, headers=admin)).status_code == 422
    unknown = await client.post(url(project.id, "/results"), json=result_body("no-such"), headers=admin)
    assert unknown.json()["errors"][0]["field"] == "body.indicators[0].indicator_code"
    count = await session.scalar(select(func.count()).select_from(Result).where(Result.project_id == project.id))
    assert count == 0


async def test_same_indicator_twice_conflicts(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    project = await create_project(session, projects_api_server)
    admin = projects_api_server.admin()
    assert (
        await client.post(url(project.id, "/results"), json=result_body(indicator.code), headers=admin)
    ).status_code == 201
    assert (
        await client.post(url(project.id, "/results"), json=result_body(indicator.code), headers=admin)
    ).status_code == 409


async def test_indicator_with_values_cannot_be_removed(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    project = await create_project(session, projects_api_server)
    pi = await create_framework(session, project.id, indicator)
    await create_report(session, project.id, values=((pi.id, {}, "4"),))
    response = await client.delete(url(project.id, f"/indicators/{pi.id}"), headers=projects_api_server.admin())
    assert response.status_code == 409


async def test_authorization(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    project = await create_project(session, projects_api_server)
    private = await create_project(session, projects_api_server, is_public=False, countries=("GE",))
    body = result_body(indicator.code)
    assert (await client.post(url(project.id, "/results"), json=body)).status_code == 401
    assert (
        await client.post(url(project.id, "/results"), json=body, headers=projects_api_server.role(Role.reporter))
    ).status_code == 403
    wrong_scope = projects_api_server.role(Role.manager, country="GE")
    assert (await client.post(url(project.id, "/results"), json=body, headers=wrong_scope)).status_code == 403
    assert (await client.get(url(private.id, "/framework"))).status_code == 404
    assert (
        await client.get(url(private.id, "/framework"), headers=projects_api_server.role(Role.viewer, country="GE"))
    ).status_code == 200
    assert (await client.get(url(uuid.uuid4(), "/framework"))).status_code == 404
