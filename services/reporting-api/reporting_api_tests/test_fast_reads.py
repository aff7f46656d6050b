"""The dashboards' fast routes (aggregations/fast.py) answer exactly what the declared routes answer, for every
caller, and leave everything they do not handle to the declared routes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1/aggregations"


async def test_the_fast_routes_answer_what_the_declared_routes_answer(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    summed = await create_indicator(session, "fast-sum", dimensions=())
    project = await create_project(session, projects_api_server)
    framework = await create_framework(session, project.id, summed, targets=(("", "100"),))
    for period, value in (("2010Q1", "10"), ("2010Q2", "20"), ("2011Q1", "5")):
        await create_report(session, project.id, period, status="approved", values=((framework.id, {}, value),))
    today = datetime.now(UTC).date().isoformat()
    callers = {
        "anonymous": {},
        "viewer": projects_api_server.role(Role.viewer),
        "scoped": projects_api_server.role(Role.viewer, country="BA"),
        "bad token": {"Authorization": "Bearer junk"},
    }
    for name, headers in callers.items():
        # The declared routes answer the same request with a parameter that changes nothing.
        fast = await client.get(f"{API}/progress/{project.id}", headers=headers)
        declared = await client.get(f"{API}/progress/{project.id}", params={"today": today}, headers=headers)
        assert fast.status_code == declared.status_code, (name, fast.text, declared.text)
        assert fast.content == declared.content or fast.json()["title"] == declared.json()["title"], name
        for query in (
            {"indicator": "fast-sum"},
            {"indicator": "fast-sum", "project_id": str(project.id)},
            {"indicator": "fast-sum", "period_type": "quarter"},
        ):
            fast = await client.get(f"{API}/time-series", params=query, headers=headers)
            declared = await client.get(f"{API}/time-series", params={**query, "start": "1900-01-01"}, headers=headers)
            assert fast.status_code == declared.status_code, (name, query, fast.text)
            if fast.status_code == 200:
                assert fast.json()["points"] == declared.json()["points"], (name, query)
                assert fast.json()["points"], (name, query)


async def test_what_the_fast_routes_do_not_handle_goes_to_the_declared_routes(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    everywhere = projects_api_server.role(Role.viewer)
    unknown = await client.get(f"{API}/time-series", params={"indicator": "nope"}, headers=everywhere)
    assert unknown.status_code == 422 and unknown.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"{API}/time-series", params={"indicator": "x", "period_type": "week"})).status_code == 422
    assert (await client.get(f"{API}/time-series", params={"indicator": "x", "project_id": "1"})).status_code == 422
    assert (await client.get(f"{API}/progress/not-an-id", headers=everywhere)).status_code == 422
    # A project the local copy does not know: the declared route asks projects-api (here: it does not exist).
    response = await client.get(f"{API}/progress/{uuid.uuid4()}", headers=everywhere)
    assert response.status_code == 404, response.text
