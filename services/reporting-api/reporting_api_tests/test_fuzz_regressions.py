"""Input that broke reporting-api or could have (issue 11), through HTTP: the text rule on bodies and queries, text
the database cannot store inside an uploaded file, and search texts with LIKE's wildcards."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.reports.models import Report
from reporting_api_tests.factories import create_framework, create_indicator, create_project
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


async def test_a_nul_in_a_report_narrative_or_a_search_is_422_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project = await create_project(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    made = await client.post(
        f"{API}/projects/{project.id}/reports", json={"period": "2010", "narrative": "a\x00b"}, headers=reporter
    )
    assert made.status_code == 422, made.text
    assert made.json()["errors"][0]["field"] == "body.narrative"
    searched = await client.get(f"{API}/indicators", params={"q": "\x00"})
    assert searched.status_code == 422
    assert searched.json()["errors"][0]["field"] == "query.q"
    assert await session.scalar(select(func.count()).select_from(Report).where(Report.project_id == project.id)) == 0


async def test_a_nul_inside_an_imported_file_is_422_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    project = await create_project(session, projects_api_server)
    await create_framework(session, project.id, indicator)
    content = f"project,indicator,period,disaggregation,value,comment\n{project.code},{indicator.code},2010,,1,a\x00b\n"

    answer = await client.post(
        f"{API}/imports", files={"file": ("v.csv", content.encode())}, headers=projects_api_server.role(Role.reporter)
    )

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["code"] == "control_character"
    assert await session.scalar(select(func.count()).select_from(Report).where(Report.project_id == project.id)) == 0


@pytest.mark.parametrize("q", ["%", "_", "\\", "%%"])
async def test_search_texts_are_literal_in_indicator_and_series_lists(
    client: httpx.AsyncClient, session: AsyncSession, q: str
) -> None:
    await create_indicator(session)
    for path in ("indicators", "context/series"):
        answer = await client.get(f"{API}/{path}", params={"q": q})
        assert answer.status_code == 200, answer.text
        assert answer.json()["total"] == 0  # no code or name holds these characters
