"""The benchmark's PostgreSQL: BENCH_DATABASE_URL's server, or an embedded one under var/bench-pg; fresh databases."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from registry_kit.embedded_pg import asyncpg_dsn, embedded_url, ensure_database
from registry_kit.settings import REPO_ROOT

BENCH_PG_DIR = REPO_ROOT / "var" / "bench-pg"


def database_url(name: str) -> str:
    """A SQLAlchemy asyncpg URL for database `name` on the benchmark server (started when embedded)."""
    configured = os.environ.get("BENCH_DATABASE_URL")
    if configured:
        url = make_url(configured).set(drivername="postgresql+asyncpg", database=name)
        return url.render_as_string(hide_password=False)
    return embedded_url(Path(os.environ.get("BENCH_PG_DIR", BENCH_PG_DIR)), name)


async def fresh_database(name: str) -> str:
    """Drop and create the database; returns its SQLAlchemy URL."""
    url = database_url(name)
    await ensure_database(url, recreate=True)
    return url


# reporting-api's API client in projects-api (import jobs check the uploader's rights through it), made by bootstrap.
FEED_CLIENT = ("reporting-api", secrets.token_urlsafe(32))
BENCH_ADMIN = ("bench-admin@bench.invalid", secrets.token_urlsafe(24))


def migrate(module: str, env: dict[str, str], log: Path) -> None:
    """Apply a service's migrations the production way: `python -m <service> migrate`."""
    manage(module, "migrate", env, log)


def manage(module: str, command: str, env: dict[str, str], log: Path) -> None:
    """One of a service's own commands (`python -m <service> <command>`: migrate, bootstrap), as an operator runs it."""
    with log.open("ab") as out:
        subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", module, command],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=out,
            check=True,
            stdin=subprocess.DEVNULL,
        )


def dsn(url: str) -> str:
    return asyncpg_dsn(url)
