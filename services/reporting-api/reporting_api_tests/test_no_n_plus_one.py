"""The number of SQL statements of a read does not grow with the number of rows it answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from registry_kit.auth import Role
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


@contextmanager
def counting(connection: AsyncConnection) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(connection.sync_connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", record)


async def _project(session: AsyncSession, fake: ProjectsHarness, size: int) -> tuple[Any, Any]:
    project = await create_project(session, fake)
    report = None
    pis = []
    for _ in range(size):
        pis.append(
            await create_framework(
                session, project.id, await create_indicator(session), targets=(("", "10"), ("2010", "5"))
            )
        )
    report = await create_report(
        session, project.id, "2010Q1", status="approved", values=tuple((pi.id, {}, "1") for pi in pis)
    )
    for n in range(size):
        await create_report(session, project.id, f"{2000 + n}", status="approved")
    return project, report


@pytest.mark.parametrize(
    "path",
    [
        "/projects/{project}/framework",
        "/reports/{report}",
        "/projects/{project}/reports",
        "/aggregations/progress/{project}",
        "/exports/values?format=json&project_id={project}",
    ],
)
async def test_statement_count_is_flat(
    client: httpx.AsyncClient,
    session: AsyncSession,
    connection: AsyncConnection,
    projects_api_server: ProjectsHarness,
    path: str,
) -> None:
    counts = []
    headers = projects_api_server.role(Role.viewer)
    for size in (1, 6):
        project, report = await _project(session, projects_api_server, size)
        url = API + path.format(project=project.id, report=report.id)
        await client.get(url, headers=headers)  # warm the JWKS
        with counting(connection) as statements:
            response = await client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


async def test_context_series_list_is_flat(
    client: httpx.AsyncClient, connection: AsyncConnection, projects_api_server: ProjectsHarness
) -> None:
    admin = projects_api_server.admin()
    counts = []
    for batch in ("a", "b"):
        for i in range(1 if batch == "a" else 6):
            code = f"flat-{batch}-{i}"
            await client.post(f"{API}/context/series", json={"code": code, "name": code}, headers=admin)
            await client.put(
                f"{API}/context/series/{code}/values/2009", json={"value": "1", "source": "s"}, headers=admin
            )
        with counting(connection) as statements:
            assert (await client.get(f"{API}/context/series", params={"q": f"flat-{batch}"})).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
