"""The local copy of projects follows projects-api's change feed, page by page, from its cursor."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.projects.models import ProjectCopy, ProjectCountryCopy, RegionCountry
from reporting_api_tests.projects_harness import ProjectsHarness, ProjectSpec

pytestmark = pytest.mark.asyncio(loop_scope="session")
URL = "/api/reporting/v1/sync/projects"


async def test_sync_follows_the_feed_and_applies_deletions(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    import uuid

    a = ProjectSpec(uuid.uuid4(), countries=("GE", "AM"), code="A")
    b = ProjectSpec(uuid.uuid4(), countries=("BA",), code="B", is_public=False)
    projects_api_server.publish(a)
    projects_api_server.publish(b)
    admin = projects_api_server.admin()
    first = await client.post(URL, headers=admin)
    assert first.status_code == 200, first.text
    assert first.json()["updated"] == 2
    projects_api_server.publish(ProjectSpec(a.id, countries=("GE",), code="A2"))
    projects_api_server.publish(b, deleted=True)
    second = await client.post(URL, headers=admin)
    cursor = second.json()["cursor"]  # projects-api's own "<txid>.<event id>": opaque, moves on
    assert second.json() == {"pages": 1, "updated": 1, "deleted": 1, "cursor": cursor}
    assert re.fullmatch(r"\d+\.\d+", cursor)
    assert cursor != first.json()["cursor"]
    copies = (await session.scalars(select(ProjectCopy.code).where(ProjectCopy.id.in_([a.id, b.id])))).all()
    assert copies == ["A2"]
    countries = (
        await session.scalars(select(ProjectCountryCopy.country_code).where(ProjectCountryCopy.project_id == a.id))
    ).all()
    assert countries == ["GE"]
    assert (
        await session.scalar(select(RegionCountry.region_code).where(RegionCountry.country_code == "GE"))
        == "south-caucasus"
    )
    status = (await client.get(URL, headers=admin)).json()
    assert status["cursor"] == cursor
    assert status["last_error"] is None


async def test_sync_is_for_admins(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    assert (await client.post(URL)).status_code == 401
    assert (await client.post(URL, headers=projects_api_server.role(Role.manager))).status_code == 403
    assert (await client.get(URL, headers=projects_api_server.role(Role.viewer))).status_code == 403


async def test_sync_failure_is_recorded_and_answers_503(
    client: httpx.AsyncClient, projects_api_server: ProjectsHarness
) -> None:
    admin = projects_api_server.admin()
    await client.get(URL, headers=admin)
    projects_api_server.down = True
    response = await client.post(URL, headers=admin)
    assert response.status_code == 503


async def test_the_background_loop_follows_the_feed(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio
    import contextlib
    import uuid
    from types import SimpleNamespace

    from reporting_api.projects import sync

    app = client._transport.app  # type: ignore[attr-defined]
    project = ProjectSpec(uuid.uuid4(), code="LOOP")
    projects_api_server.publish(project)
    stand_in = SimpleNamespace(
        state=SimpleNamespace(
            settings=SimpleNamespace(sync_interval_seconds=0.05),
            sessionmaker=app.state.sessionmaker,
            projects=app.state.projects,
        )
    )
    # The loop shares the test's connection, so the test waits (without touching the database) until the loop has
    # finished one sync and gone back to sleep, and stops it there, never in the middle of a statement.
    slept = 0
    went_round = asyncio.Event()
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:
        nonlocal slept
        slept += 1
        if slept >= 2:
            went_round.set()
        await real_sleep(seconds)

    monkeypatch.setattr(sync, "asyncio", SimpleNamespace(sleep=sleep, CancelledError=asyncio.CancelledError))
    task = asyncio.create_task(sync.sync_loop(stand_in))  # type: ignore[arg-type]
    await asyncio.wait_for(went_round.wait(), timeout=30)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert await session.scalar(select(ProjectCopy.code).where(ProjectCopy.id == project.id)) == "LOOP"
