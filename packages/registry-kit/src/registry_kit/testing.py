"""Test support both services use: a real PostgreSQL server and a throw-away database per test run.

The server is the embedded one (under var/test-pg) unless TEST_DATABASE_URL names another
(`postgresql+asyncpg://user:pass@host:5432/postgres`); each run creates its own database, named after the
service and the process, and drops it at the end, so parallel runs never meet.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
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
