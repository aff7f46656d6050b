"""The database's failures as a client sees them (registry_kit.database_errors), against real PostgreSQL and a port
nothing listens on: unreachable or dropped → 503 with Retry-After, the connection kept; unstorable text → 422; any
other failure stays a logged 500."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from registry_kit.app import build_app
from registry_kit.embedded_pg import asyncpg_dsn
from registry_kit.settings import ServiceSettings
from registry_testing import create_test_database, drop_test_database, free_port, serving

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def url() -> AsyncIterator[str]:
    url = await create_test_database(f"db_errors_{uuid.uuid4().hex[:6]}")
    yield url
    await drop_test_database(url)


def _app(url: str) -> FastAPI:
    nowhere = f"postgresql+asyncpg://nobody:secret@127.0.0.1:{free_port()}/none"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.good = create_async_engine(url)
        app.state.down = create_async_engine(nowhere, connect_args={"timeout": 2})
        yield
        await app.state.good.dispose()
        await app.state.down.dispose()

    app = build_app(slug="demo", title="t", description="d", settings=ServiceSettings(), lifespan=lifespan)

    @app.get("/api/demo/down")
    async def down(request: Request) -> int:
        async with request.app.state.down.connect() as conn:
            return int(await conn.scalar(text("SELECT 1")))

    @app.get("/api/demo/dropped")
    async def dropped(request: Request) -> int:
        async with request.app.state.good.connect() as conn:  # the server ends this session under the query
            return int(await conn.scalar(text("SELECT pg_terminate_backend(pg_backend_pid())::int")))

    @app.get("/api/demo/nul")
    async def nul(request: Request) -> str:
        async with request.app.state.good.connect() as conn:
            return str(await conn.scalar(text("SELECT CAST(:t AS text)"), {"t": "a\x00b"}))

    @app.get("/api/demo/bug")
    async def bug(request: Request) -> int:
        async with request.app.state.good.connect() as conn:
            return int(await conn.scalar(text("SELECT 1/0")))

    @app.get("/api/demo/file")
    async def file() -> str:
        with open("/nonexistent/registry-test-file") as handle:  # noqa: ASYNC230 (a missing file, on purpose)
            return handle.read()

    @app.get("/api/demo/raw-down")
    async def raw_down() -> int:
        import asyncpg

        conn = await asyncpg.connect(asyncpg_dsn(nowhere), timeout=2)
        return int(await conn.fetchval("SELECT 1"))

    return app


async def test_an_unreachable_or_dropped_database_is_503_with_retry_after_and_the_connection_stays(url: str) -> None:
    async with serving(_app(url), free_port()) as served, httpx.AsyncClient(base_url=served.url) as client:
        for path in ("/api/demo/down", "/api/demo/dropped", "/api/demo/raw-down"):
            answer = await client.get(path)
            assert answer.status_code == 503, (path, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["retry-after"] == "5"
            assert answer.json()["status"] == 503
        # The same keep-alive connection answers the next request: nothing escaped to the server.
        assert (await client.get("/api/demo/healthz")).status_code == 200
        assert served.server.server_state.total_requests == 4
        assert len(served.server.server_state.connections) == 1


async def test_text_the_database_cannot_store_is_422(url: str) -> None:
    async with serving(_app(url), free_port()) as served, httpx.AsyncClient(base_url=served.url) as client:
        answer = await client.get("/api/demo/nul")
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["code"] == "control_character"


async def test_other_failures_stay_500_without_their_internals(url: str) -> None:
    async with serving(_app(url), free_port()) as served, httpx.AsyncClient(base_url=served.url) as client:
        for path in ("/api/demo/bug", "/api/demo/file"):
            answer = await client.get(path)
            assert answer.status_code == 500, (path, answer.text)
            assert "division" not in answer.text and "nonexistent" not in answer.text
