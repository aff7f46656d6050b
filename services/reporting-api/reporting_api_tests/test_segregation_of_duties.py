"""Segregation of duties: a manager who submitted a report cannot approve it too (another manager does); they may
return (withdraw) it; their approval queue leaves it out; a setting turns the rule off."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Grant, Role
from reporting_api_tests.factories import create_framework, create_indicator, create_project
from reporting_api_tests.projects_harness import ProjectsHarness, ProjectSpec

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


async def _submitted(
    client: httpx.AsyncClient, session: AsyncSession, fake: ProjectsHarness, submitter: dict[str, str]
) -> tuple[ProjectSpec, httpx.Response]:
    indicator = await create_indicator(session)
    project = await create_project(session, fake)
    await create_framework(session, project.id, indicator)
    draft = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010Q1"}, headers=submitter)
    assert draft.status_code == 201, draft.text
    values = {"values": [{"indicator_code": indicator.code, "value": "3"}]}
    put = await client.put(
        f"{API}/reports/{draft.json()['id']}/values",
        json=values,
        headers={**submitter, "If-Match": draft.headers["etag"]},
    )
    assert put.status_code == 200, put.text
    submitted = await client.post(
        f"{API}/reports/{draft.json()['id']}/submit", headers={**submitter, "If-Match": put.headers["etag"]}
    )
    assert submitted.status_code == 200, submitted.text
    return project, submitted


async def test_the_submitter_cannot_approve_their_own_report_another_manager_can(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    ana = projects_api_server.headers(Grant(Role.manager, country="BA"), subject="user:ana")
    ben = projects_api_server.headers(Grant(Role.manager, country="BA"), subject="user:ben")
    _, submitted = await _submitted(client, session, projects_api_server, ana)
    rid, tag = submitted.json()["id"], submitted.headers["etag"]

    own = await client.post(f"{API}/reports/{rid}/approve", json={}, headers={**ana, "If-Match": tag})
    assert own.status_code == 403, own.text
    assert "segregation of duties" in own.json()["detail"]
    queue = await client.get(f"{API}/reports", params={"awaiting_my_approval": "true"}, headers=ana)
    assert rid not in [r["id"] for r in queue.json()["items"]]

    theirs = await client.get(f"{API}/reports", params={"awaiting_my_approval": "true"}, headers=ben)
    assert rid in [r["id"] for r in theirs.json()["items"]]
    approved = await client.post(f"{API}/reports/{rid}/approve", json={}, headers={**ben, "If-Match": tag})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"


async def test_the_submitter_may_withdraw_their_report(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    ana = projects_api_server.headers(Grant(Role.manager, country="BA"), subject="user:ana")
    _, submitted = await _submitted(client, session, projects_api_server, ana)
    back = await client.post(
        f"{API}/reports/{submitted.json()['id']}/return",
        json={"comment": "one more value"},
        headers={**ana, "If-Match": submitted.headers["etag"]},
    )
    assert back.status_code == 200, back.text


async def test_the_rule_can_be_turned_off(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    settings = client._transport.app.state.settings  # type: ignore[attr-defined]
    ana = projects_api_server.headers(Grant(Role.manager, country="BA"), subject="user:ana")
    _, submitted = await _submitted(client, session, projects_api_server, ana)
    settings.segregation_of_duties = False
    try:
        queue = await client.get(f"{API}/reports", params={"awaiting_my_approval": "true"}, headers=ana)
        assert submitted.json()["id"] in [r["id"] for r in queue.json()["items"]]
        own = await client.post(
            f"{API}/reports/{submitted.json()['id']}/approve",
            json={},
            headers={**ana, "If-Match": submitted.headers["etag"]},
        )
        assert own.status_code == 200, own.text
    finally:
        settings.segregation_of_duties = True
