"""Both services as real uvicorn servers on loopback: tokens from projects-api, access checked over HTTP,
the change feed followed with an API client; then projects-api stops mid-test and comes back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from projects_api.demo.data import demo_id
from projects_api.demo.loader import load_demo as load_projects_demo
from projects_api.main import create_app as create_projects_app
from projects_api.migrate import migrate as migrate_projects
from projects_api.settings import Settings as ProjectsSettings
from registry_kit.database import create_engine, create_sessionmaker
from registry_kit.settings import Environment
from registry_testing import Served, create_test_database, drop_test_database, free_port, serving
from reporting_api.main import create_app
from reporting_api.migrate import migrate
from reporting_api.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="session")
GE = demo_id("project:XM-DAC-47066-GE-MMCB")


@pytest_asyncio.fixture(scope="module")
async def databases() -> AsyncIterator[tuple[str, str]]:
    projects_url = await create_test_database("projects_it")
    reporting_url = await create_test_database("reporting_it")
    await asyncio.to_thread(migrate_projects, projects_url)
    await asyncio.to_thread(migrate, reporting_url)
    yield projects_url, reporting_url
    await drop_test_database(projects_url)
    await drop_test_database(reporting_url)


async def _token(http: httpx.AsyncClient, base: str, user: str) -> dict[str, str]:
    response = await http.post(
        f"{base}/api/projects/v1/auth/token",
        data={"grant_type": "password", "username": f"{user}@demo.mcb", "password": f"demo-{user}-pass"},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_two_services_over_real_http(databases: tuple[str, str], tmp_path: Path) -> None:
    projects_url, reporting_url = databases
    pa, ra = free_port(), free_port()
    projects_settings = ProjectsSettings(
        environment=Environment.test,
        database_url=SecretStr(projects_url),
        dev_key_path=tmp_path / "key.pem",
        auth_issuer=f"http://127.0.0.1:{pa}/api/projects",
        public_url=f"http://127.0.0.1:{pa}",
    )
    engine = create_engine(projects_url, projects_settings)
    async with create_sessionmaker(engine)() as session:
        await load_projects_demo(session, with_users=True)
        await session.commit()
    await engine.dispose()
    projects = Served(create_projects_app(projects_settings), pa)
    await projects.start()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            admin = await _token(http, projects.url, "admin")
            created = await http.post(
                f"{projects.url}/api/projects/v1/api-clients",
                json={"name": "reporting-api (test)", "grants": [{"role": "viewer"}]},
                headers=admin,
            )
            assert created.status_code == 201, created.text
            settings = Settings(
                environment=Environment.test,
                database_url=SecretStr(reporting_url),
                projects_api_url=projects.url,
                auth_issuer=projects_settings.auth_issuer,
                auth_jwks_url=f"{projects.url}/api/projects/v1/auth/jwks",
                projects_retries=1,
                projects_backoff_seconds=0.01,
                projects_breaker_threshold=3,
                projects_breaker_reset_seconds=0.5,
                access_cache_seconds=0,
                projects_client_id=created.json()["client_id"],
                projects_client_secret=SecretStr(created.json()["client_secret"]),
                sync_interval_seconds=0,
            )
            async with serving(create_app(settings), ra) as reporting:
                await _scenario(http, projects, reporting.url, admin)
    finally:
        if projects.task is not None:
            await projects.stop()


async def _scenario(http: httpx.AsyncClient, projects: Served, api: str, admin: dict[str, str]) -> None:
    base = f"{api}/api/reporting/v1"
    synced = await http.post(f"{base}/sync/projects", headers=admin)
    assert synced.status_code == 200, synced.text
    assert synced.json()["updated"] >= 10
    manager = await _token(http, projects.url, "manager")
    reporter = await _token(http, projects.url, "reporter")  # reporter with a GE grant
    indicator = {"code": "it-trained", "name": "Trained", "level": "output", "measure": "number", "dimensions": []}
    assert (await http.post(f"{base}/indicators", json=indicator, headers=admin)).status_code == 201
    result = {"kind": "output", "title": "Border police trained", "indicators": [{"indicator_code": "it-trained"}]}
    made = await http.post(f"{base}/projects/{GE}/results", json=result, headers=manager)
    assert made.status_code == 201, made.text
    wrong = await http.post(
        f"{base}/projects/{demo_id('project:XM-DAC-47066-MD-LMR')}/reports", json={"period": "2009"}, headers=reporter
    )
    assert wrong.status_code == 403  # the GE reporter's scope does not cover Moldova
    draft = await http.post(
        f"{base}/projects/{GE}/reports", json={"period": "2009Q1"}, headers={**reporter, "X-Request-ID": "it-req-1"}
    )
    assert draft.status_code == 201, draft.text
    assert draft.headers["x-request-id"] == "it-req-1"
    rid = draft.json()["id"]

    await projects.stop()  # projects-api goes down mid-test

    framework = await http.get(f"{base}/projects/{GE}/framework")
    assert framework.status_code == 200  # reads keep working
    mine = await http.get(f"{base}/reports/{rid}", headers=reporter)
    assert mine.status_code == 200
    values = {"values": [{"indicator_code": "it-trained", "value": "14"}]}
    refused = await http.put(
        f"{base}/reports/{rid}/values", json=values, headers={**reporter, "If-Match": draft.headers["etag"]}
    )
    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"]
    unchanged = await http.get(f"{base}/reports/{rid}", headers=reporter)
    assert unchanged.json()["values"] == []  # nothing half-written
    assert (await http.post(f"{base}/sync/projects", headers=admin)).status_code == 503

    await projects.start()  # and comes back
    await asyncio.sleep(0.6)  # the breaker's reset time
    accepted = await http.put(
        f"{base}/reports/{rid}/values", json=values, headers={**reporter, "If-Match": draft.headers["etag"]}
    )
    assert accepted.status_code == 200, accepted.text
    metrics = (await http.get(f"{api}/metrics")).text
    assert 'upstream="projects-api"' in metrics
    assert uuid.UUID(rid)
