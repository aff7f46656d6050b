"""The shell every service runs in (registry_kit.app): readiness on its own connection while the request pool is
exhausted, the drain after SIGTERM, and the metrics of the process and of every pool. A real PostgreSQL server."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text

from registry_kit.app import build_app, close_database, open_database
from registry_kit.db_config import DatabaseConfig
from registry_kit.dependencies import SessionDep
from registry_kit.lifecycle import drain
from registry_kit.readiness import Readiness
from registry_kit.settings import Environment, ServiceSettings
from registry_testing import create_test_database, drop_test_database

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def url() -> AsyncIterator[str]:
    url = await create_test_database(f"kit_shell_{uuid.uuid4().hex[:6]}")
    yield url
    await drop_test_database(url)


@pytest_asyncio.fixture(loop_scope="session")
async def app(url: str) -> AsyncIterator[FastAPI]:
    # One request connection and no overflow: a single held connection exhausts the pool.
    settings = ServiceSettings(
        environment=Environment.test,
        database_url=SecretStr(url),
        db_pool_size=1,
        db_max_overflow=0,
        db_pool_timeout_seconds=0.5,
        db_ready_timeout_seconds=2.0,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await open_database(app, settings, raw_reads=True)
        try:
            yield
        finally:
            await close_database(app)

    app = build_app(slug="shell", title="shell", description="", settings=settings, lifespan=lifespan)

    @app.get("/api/shell/v1/now")
    async def now(session: SessionDep) -> dict[str, str]:
        return {"now": str(await session.scalar(text("SELECT now()")))}

    async with LifespanManager(app):
        yield app
    drain.reset()


@pytest_asyncio.fixture(loop_scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://test"
    ) as client:
        yield client


async def test_readiness_answers_while_the_request_pool_is_exhausted(app: FastAPI, client: httpx.AsyncClient) -> None:
    async with app.state.engine.connect() as held:
        await held.execute(text("SELECT 1"))
        busy = await client.get("/api/shell/v1/now")
        assert busy.status_code != 200  # the only request connection is taken: requests wait, then fail
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
    assert (await client.get("/api/shell/v1/now")).status_code == 200


async def test_readiness_fails_within_its_timeout_when_the_database_does_not_answer() -> None:
    """A server that accepts connections and never answers (a database stuck, or a half-open network path)."""
    silent = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        # The driver alone would wait an hour for the server's first byte; the probe gives up after its own timeout.
        config = DatabaseConfig.from_url(
            f"postgresql://probe:x@127.0.0.1:{port}/probe", sslmode="disable", connect_timeout=3600
        )
        readiness = Readiness(config, timeout=0.5)
        assert await asyncio.wait_for(readiness.check(), timeout=120) is False
        await readiness.close()
    finally:
        silent.close()


async def test_drain_fails_readiness_and_closes_every_connection(client: httpx.AsyncClient) -> None:
    assert "connection" not in (await client.get("/healthz")).headers
    drain.begin()
    try:
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.headers["retry-after"] == "1"
        served = await client.get("/api/shell/v1/now")
        assert served.status_code == 200  # still serving everything sent to it
        assert served.headers["connection"] == "close"
    finally:
        drain.reset()
    assert (await client.get("/readyz")).status_code == 200


async def test_metrics_cover_the_process_and_every_pool(client: httpx.AsyncClient) -> None:
    await client.get("/readyz")
    body = (await client.get("/metrics")).text
    for name in (
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        "python_gc_objects_collected_total",
    ):
        assert f"\n{name}" in body, name
    for pool in ("requests", "reads", "readiness"):
        assert f'db_pool_max{{pool="{pool}",service="shell"}}' in body, pool
    assert 'db_pool_max{pool="requests",service="shell"} 1.0' in body
    assert 'db_pool_max{pool="readiness",service="shell"} 1.0' in body


async def test_requests_keep_working_after_a_slow_probe(client: httpx.AsyncClient) -> None:
    results = await asyncio.gather(*(client.get("/readyz") for _ in range(5)))
    assert {r.status_code for r in results} == {200}
