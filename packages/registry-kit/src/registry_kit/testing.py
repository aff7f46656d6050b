"""Test support both services use: a real PostgreSQL server and a throw-away database per test run.

The server is the embedded one (under var/test-pg) unless TEST_DATABASE_URL names another
(`postgresql+asyncpg://user:pass@host:5432/postgres`); each run creates its own database, named after the
service and the process, and drops it at the end, so parallel runs never meet.
"""

from __future__ import annotations

import os
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from registry_kit.embedded_pg import asyncpg_dsn, embedded_url, ensure_database
from registry_kit.settings import REPO_ROOT

TEST_PG_DIR = REPO_ROOT / "var" / "test-pg"


def server_url(database: str) -> str:
    """A SQLAlchemy URL for `database` on the test server."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return make_url(configured).set(database=database).render_as_string(hide_password=False)
    return embedded_url(Path(os.environ.get("TEST_PG_DIR", TEST_PG_DIR)), database)


async def create_test_database(service: str) -> str:
    url = server_url(f"{service}_test_{os.getpid()}")
    await ensure_database(url, recreate=True)
    return url


async def drop_test_database(url: str) -> None:
    dsn = asyncpg_dsn(url)
    head, _, tail = dsn.partition("?")
    base, _, name = head.rpartition("/")
    conn = await asyncpg.connect(f"{base}/postgres" + (f"?{tail}" if tail else ""))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
