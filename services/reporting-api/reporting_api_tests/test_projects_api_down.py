"""When projects-api cannot answer: reads keep working from the local copy, writes answer 503 and lose nothing."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.reports.models import Report
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


async def test_reads_fall_back_to_the_local_copy(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    public = await create_project(session, projects_api_server)
    private = await create_project(session, projects_api_server, is_public=False, countries=("GE",))
    uncopied = await create_project(session, projects_api_server, copy=False)
    pi = await create_framework(session, public.id, indicator)
    draft = await create_report(session, public.id, values=((pi.id, {}, "3"),))
    reporter = projects_api_server.role(Role.reporter, country="BA")
    await client.get(f"{API}/projects/{public.id}/framework", headers=reporter)  # the JWKS is fetched while up
    projects_api_server.down = True
    assert (await client.get(f"{API}/projects/{public.id}/framework")).status_code == 200
    assert (await client.get(f"{API}/reports/{draft.id}", headers=reporter)).status_code == 200
    assert (await client.get(f"{API}/reports/{draft.id}")).status_code == 404  # drafts stay private
    assert (await client.get(f"{API}/projects/{private.id}/framework")).status_code == 404
    ge_viewer = projects_api_server.role(Role.viewer, country="GE")
    assert (await client.get(f"{API}/projects/{private.id}/framework", headers=ge_viewer)).status_code == 200
    unknown = await client.get(f"{API}/projects/{uncopied.id}/framework")
    assert unknown.status_code == 503
    assert unknown.headers["retry-after"]


async def test_writes_answer_503_with_retry_after_and_write_nothing(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project = await create_project(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    await client.get(f"{API}/projects/{project.id}/framework", headers=reporter)
    projects_api_server.down = True
    response = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010"}, headers=reporter)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert "projects-api" in response.json()["detail"]
    count = await session.scalar(select(func.count()).select_from(Report).where(Report.project_id == project.id))
    assert count == 0
    projects_api_server.down = False
    client_app_projects = client._transport.app.state.projects  # type: ignore[attr-defined]
    client_app_projects.upstream.breaker.success()
    again = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010"}, headers=reporter)
    assert again.status_code == 201


async def test_the_breaker_stops_calling_a_dead_upstream(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project = await create_project(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    await client.get(f"{API}/projects/{project.id}/framework", headers=reporter)
    projects_api_server.down = True
    projects_api_server.calls.clear()
    for _ in range(8):
        response = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010"}, headers=reporter)
        assert response.status_code == 503
    assert len(projects_api_server.calls) == 5  # the breaker opened after 5 failures
    metrics = (await client.get("/metrics")).text
    assert 'outcome="breaker_open"' in metrics
