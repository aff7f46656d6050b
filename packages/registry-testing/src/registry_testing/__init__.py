"""Test support both services use: a real PostgreSQL server and a throw-away database per test run.

The server is the embedded one (under var/test-pg) unless TEST_DATABASE_URL names another
(`postgresql+asyncpg://user:pass@host:5432/postgres`); each run creates its own database, named after the
service and the process, and drops it at the end, so parallel runs never meet.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from registry_kit.db_admin import drop_database, ensure_database
from registry_kit.db_config import DatabaseConfig
from registry_kit.raw_reads import Reads
from registry_kit.settings import REPO_ROOT

TEST_PG_DIR = REPO_ROOT / "var" / "test-pg"


def server_url(database: str) -> str:
    """A SQLAlchemy URL for `database` on the test server."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return make_url(configured).set(database=database).render_as_string(hide_password=False)
    from registry_kit.embedded_pg import embedded_url

    return embedded_url(Path(os.environ.get("TEST_PG_DIR", TEST_PG_DIR)), database)


async def create_test_database(service: str) -> str:
    url = server_url(f"{service}_test_{os.getpid()}")
    await ensure_database(url, recreate=True)
    return url


async def drop_test_database(url: str) -> None:
    await drop_database(url)


@asynccontextmanager
async def migrated_database(service: str, migrate: Callable[[str], None]) -> AsyncIterator[str]:
    """A throw-away database for this run, migrated to head (the session fixture of each service's tests)."""
    url = await create_test_database(service)
    await asyncio.to_thread(migrate, url)
    try:
        yield url
    finally:
        await drop_test_database(url)


@asynccontextmanager
async def rolled_back_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection inside a transaction that is rolled back at the end: each test leaves nothing behind."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            yield conn
        finally:
            await transaction.rollback()


def savepoint_sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    """Sessions on the test's connection whose commits become savepoints of its transaction."""
    return async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@asynccontextmanager
async def app_client(app: FastAPI, connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on the app whose requests each get their own session on the test's connection,
    so nothing the test loaded leaks into a request (a missing eager load fails here first)."""
    original = app.state.sessionmaker
    original_reads = getattr(app.state, "reads", None)
    app.state.sessionmaker = savepoint_sessionmaker(connection)
    if original_reads is not None:
        app.state.reads = await Reads.on(connection)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield client
    finally:
        app.state.sessionmaker = original
        if original_reads is not None:
            app.state.reads = original_reads


async def schema_differences(engine: AsyncEngine, metadata: MetaData) -> list[object]:
    """What Alembic's autogenerate sees between the migrated database and the models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    async with engine.connect() as conn:
        return await conn.run_sync(diff)


async def tables_after_downgrade(service: str, script_location: Path) -> list[str]:
    """Upgrade a fresh database to head, downgrade it to base, list what is left, and upgrade again."""
    from registry_kit.migrations import downgrade, upgrade

    url = await create_test_database(f"{service}_migrations")
    try:
        await asyncio.to_thread(upgrade, script_location, url)
        await asyncio.to_thread(downgrade, script_location, url, "base")
        probe = DatabaseConfig.from_url(url).create_engine()
        async with probe.connect() as conn:
            tables: list[str] = await conn.run_sync(lambda c: c.dialect.get_table_names(c))
        await probe.dispose()
        await asyncio.to_thread(upgrade, script_location, url)
        return tables
    finally:
        await drop_test_database(url)


# Real uvicorn servers on loopback ports, started and stopped inside a test's event loop (tests that need real HTTP:
# two services talking, connections dropped mid-response, the authorization matrix, the fault suite).


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, app: FastAPI, port: int) -> None:
        self.app = app
        self.port = port
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
        self.task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.server.should_exit = False
        self.task = asyncio.create_task(self.server.serve())
        for _ in range(200):
            if self.server.started:
                return
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.05)
        raise RuntimeError("the server did not start")

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await asyncio.wait_for(self.task, timeout=20)
        self.task = None
        self.server = uvicorn.Server(self.server.config)


@asynccontextmanager
async def serving(app: FastAPI, port: int) -> AsyncIterator[Served]:
    served = Served(app, port)
    await served.start()
    try:
        yield served
    finally:
        if served.task is not None:
            await served.stop()
