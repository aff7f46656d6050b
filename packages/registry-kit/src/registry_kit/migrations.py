"""Running a service's Alembic history programmatically (CLI, tests, the one-process mode).

Every run holds a transaction-level advisory lock for its whole transaction (Alembic applies a service's migrations
in one transaction), so runs started together (several pods of a rollout, a Job and a person) apply them one after
the other: the later ones find the database current and do nothing. A transaction-level lock also holds through
PgBouncer in transaction mode, where a session-level one would not. While it migrates, every lock a statement
waits for is bounded by `lock_timeout`: a migration that needs a table a long query holds gives up (and is tried
again) instead of queueing every request behind it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection

from registry_kit.db_config import DatabaseConfig

logger = logging.getLogger(__name__)

# One key for every service's migrations: each service migrates its own database, and the lock is per database.
LOCK_KEY = zlib.crc32(b"mcb-registry:alembic")
LOCK_NOT_AVAILABLE = "55P03"


@dataclass(frozen=True)
class LockPolicy:
    """How long a run waits for another run to finish, and for any other lock while it migrates."""

    wait_seconds: float = 600.0
    lock_timeout_seconds: float = 5.0
    attempts: int = 3


def alembic_config(script_location: Path, url: str, policy: LockPolicy | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d-%%(hour).2d%%(minute).2d_%%(slug)s")
    config.attributes["lock_policy"] = policy or LockPolicy()
    return config


def _retrying(action: Callable[[], None], policy: LockPolicy) -> None:
    """Run again when a statement gave up waiting for a lock (SQLSTATE 55P03); anything else is raised at once."""
    for attempt in range(1, policy.attempts + 1):
        try:
            action()
            return
        except Exception as exc:
            if _sqlstate(exc) != LOCK_NOT_AVAILABLE or attempt == policy.attempts:
                raise
            logger.warning("migration waited too long for a lock; trying again", extra={"attempt": attempt})
            time.sleep(min(2.0 * attempt, 10.0))


def _sqlstate(exc: BaseException) -> str | None:
    seen: BaseException | None = exc
    while seen is not None:
        state = getattr(seen, "sqlstate", None) or getattr(getattr(seen, "orig", None), "sqlstate", None)
        if state:
            return str(state)
        seen = seen.__cause__ or seen.__context__
    return None


def upgrade(script_location: Path, url: str, revision: str = "head", policy: LockPolicy | None = None) -> None:
    config = alembic_config(script_location, url, policy)
    _retrying(lambda: command.upgrade(config, revision), config.attributes["lock_policy"])


def downgrade(script_location: Path, url: str, revision: str, policy: LockPolicy | None = None) -> None:
    config = alembic_config(script_location, url, policy)
    _retrying(lambda: command.downgrade(config, revision), config.attributes["lock_policy"])


def current_revision(url: str) -> str | None:
    """The revision the database is at (None: never migrated)."""

    async def read() -> str | None:
        engine = DatabaseConfig.from_url(url).create_engine(poolclass=pool.NullPool)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
        finally:
            await engine.dispose()

    return asyncio.run(read())


def migrate_to(script_location: Path, url: str, target: str = "head", policy: LockPolicy | None = None) -> str:
    """Upgrade or downgrade to `target` (a revision id, a unique prefix of one, `head` or `base`), whichever way it
    lies from the database's revision; returns what was done. A downgrade removes what the later revisions added:
    take a backup first (docs/operations.md)."""
    script = ScriptDirectory(str(script_location))
    current = current_revision(url)
    if target in ("head", "heads"):
        upgrade(script_location, url, "head", policy)
        return "upgraded to head"
    if target == "base":
        downgrade(script_location, url, "base", policy)
        return "downgraded to base"
    wanted = script.get_revision(target)
    if wanted is None:
        raise ValueError(f"no revision {target!r} in {script_location}")
    if current == wanted.revision:
        return f"already at {wanted.revision}"
    below_current = current is not None and any(
        r.revision == wanted.revision for r in script.iterate_revisions(current, "base")
    )
    if below_current:
        downgrade(script_location, url, wanted.revision, policy)
        return f"downgraded from {current} to {wanted.revision}"
    upgrade(script_location, url, wanted.revision, policy)
    return f"upgraded from {current or 'an empty database'} to {wanted.revision}"


def run_env(metadata: MetaData, config: Config, offline: bool) -> None:
    """The body of a service's `env.py`: async online migrations under the advisory lock, or SQL output offline."""
    from alembic import context

    url = config.get_main_option("sqlalchemy.url")
    if offline:
        context.configure(url=url, target_metadata=metadata, literal_binds=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    policy: LockPolicy = config.attributes.get("lock_policy") or LockPolicy()

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=metadata, compare_type=True)
        with context.begin_transaction():
            # Wait (up to wait_seconds) for any other run, then read the version table, inside the same transaction.
            connection.execute(text(f"SET LOCAL lock_timeout = '{int(policy.wait_seconds * 1000)}ms'"))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            connection.execute(text(f"SET LOCAL lock_timeout = '{int(policy.lock_timeout_seconds * 1000)}ms'"))
            context.run_migrations()

    assert url is not None  # noqa: S101 (alembic_config always sets it)
    asyncio.run(_run_async(url, do_run))


async def _run_async(url: str, do_run: Callable[[Connection], None]) -> None:
    engine = DatabaseConfig.from_url(url).create_engine(poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
    finally:
        await engine.dispose()
