"""Fixtures: a migrated database per run, each test inside a transaction that is rolled back,
an ASGI client whose requests join that transaction, and tokens for each kind of caller."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from projects_api.funding.summary_cache import SummaryCache
from projects_api.identity.tokens import issue_access_token
from projects_api.main import create_app
from projects_api.migrate import migrate
from projects_api.settings import Settings
from projects_api_tests import factories
from registry_kit.auth import Grant, Role
from registry_kit.settings import Environment
from registry_testing import app_client, migrated_database
from registry_testing.fixtures import engine  # noqa: F401 (the suite's own engine: registry_testing/fixtures.py)


@pytest_asyncio.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    async with migrated_database("projects", migrate) as url:
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        environment=Environment.test,
        database_url=SecretStr(database_url),
        dev_key_path=tmp_path_factory.mktemp("keys") / "dev-key.pem",
        log_json=True,
        iati_import_poll_seconds=0,  # the test runs the IATI import queue itself (the loop would share its connection)
        notification_clients="notifier-test",
        # Read once per run (and again after a revocation this app writes): no test sees an extra statement.
        auth_revocation_cache_seconds=3600,
    )


@pytest_asyncio.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with LifespanManager(app):
        yield app


@pytest_asyncio.fixture
async def client(app: FastAPI, connection: AsyncConnection, session: AsyncSession) -> AsyncIterator[httpx.AsyncClient]:
    # The app's requests read the test's own transaction, which is rolled back at the end: a funding summary kept by
    # one test would have seen writes that never happened for the next (in service, reads see committed data only).
    app.state.summary_cache = SummaryCache()
    async with app_client(app, connection) as client:
        await session.flush()
        yield client


class Tokens:
    """Bearer headers for callers with the given grants, signed by the app's own key."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def headers(self, *grants: Grant, org: uuid.UUID | None = None, name: str = "Test User") -> dict[str, str]:
        token, _ = issue_access_token(
            self.app.state.signing_key,
            self.settings,
            subject=f"user:{uuid.uuid4()}",
            name=name,
            organisation_id=org,
            grants=list(grants),
        )
        return {"Authorization": f"Bearer {token}"}

    def admin(self) -> dict[str, str]:
        return self.headers(Grant(Role.admin), name="Test Admin")

    def role(self, role: Role, *, org: uuid.UUID | None = None, country: str | None = None) -> dict[str, str]:
        return self.headers(Grant(role, org, country), org=org)


@pytest.fixture
def tokens(app: FastAPI, settings: Settings) -> Tokens:
    return Tokens(app, settings)


@pytest.fixture
def world() -> type[factories.World]:
    return factories.World


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]
