"""Fixtures: a migrated database per run, each test inside a transaction that is rolled back, an ASGI client
whose requests join that transaction, and the real projects-api (tests/projects_harness.py) that issues the
tokens and answers access, reached through a transport that can be taken down."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from registry_kit.settings import Environment
from registry_testing import app_client, migrated_database
from registry_testing.fixtures import engine  # noqa: F401 (the suite's own engine: registry_testing/fixtures.py)
from reporting_api.main import create_app
from reporting_api.migrate import migrate
from reporting_api.settings import Settings
from reporting_api_tests.projects_harness import AUDIENCE, ISSUER, ProjectsHarness


@pytest_asyncio.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    async with migrated_database("reporting", migrate) as url:
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        environment=Environment.test,
        database_url=SecretStr(database_url),
        projects_api_url="http://projects.test",
        auth_issuer=ISSUER,
        auth_audience=AUDIENCE,
        auth_jwks_url="http://projects.test/api/projects/v1/auth/jwks",
        projects_retries=0,
        projects_backoff_seconds=0.0,
        access_cache_seconds=0,
        projects_client_id="reporting-test",
        projects_client_secret=SecretStr("secret"),
        sync_interval_seconds=0,
        import_job_bytes=64 * 1024,
        import_poll_seconds=0,
        notify_poll_seconds=0,
    )


@pytest_asyncio.fixture(scope="session")
async def projects_api_server(settings: Settings) -> AsyncIterator[ProjectsHarness]:
    """projects-api itself, on its own database, with an API client of the id and secret `settings` use."""
    secret = settings.projects_client_secret
    async with ProjectsHarness.running(
        client_id=settings.projects_client_id or "", client_secret=secret.get_secret_value() if secret else ""
    ) as harness:
        yield harness


@pytest_asyncio.fixture(scope="session")
async def app(settings: Settings, projects_api_server: ProjectsHarness) -> AsyncIterator[FastAPI]:
    app = create_app(settings, projects_transport=projects_api_server.transport())
    async with LifespanManager(app):
        yield app


@pytest_asyncio.fixture
async def client(
    app: FastAPI, connection: AsyncConnection, session: AsyncSession, projects_api_server: ProjectsHarness
) -> AsyncIterator[httpx.AsyncClient]:
    """Requests run in their own sessions on the test's connection; projects-api starts empty and reachable."""
    app.state.projects.cache.clear()
    app.state.projects.upstream.breaker.success()
    projects_api_server.reset()
    async with app_client(app, connection) as client:
        await session.flush()
        yield client
    projects_api_server.down = False
