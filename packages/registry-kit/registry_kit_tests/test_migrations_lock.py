"""Migrations under the advisory lock: concurrent runs apply a history once and all succeed; a migration that waits
for a lock gives up after lock_timeout; `migrate --to` goes down and up. On a real PostgreSQL server, with separate
processes, as pods of a rollout would run them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry_kit.db_config import DatabaseConfig
from registry_kit.migrations import LockPolicy, current_revision, migrate_to, upgrade
from registry_testing import create_test_database, drop_test_database

ENV = """
from alembic import context
from sqlalchemy import MetaData

from registry_kit.migrations import run_env

run_env(MetaData(), context.config, context.is_offline_mode())
"""

FIRST = """
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.execute("SELECT pg_sleep(1)")  # long enough for the other runs to start meanwhile
    op.create_table("counted", sa.Column("run", sa.Integer, primary_key=True))
    op.execute("INSERT INTO counted VALUES (1)")


def downgrade():
    op.drop_table("counted")
"""

SECOND = """
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.add_column("counted", sa.Column("note", sa.Text))


def downgrade():
    op.drop_column("counted", "note")
"""


@pytest.fixture
def history(tmp_path: Path) -> Path:
    (tmp_path / "versions").mkdir()
    (tmp_path / "env.py").write_text(ENV)
    (tmp_path / "versions" / "0001_first.py").write_text(FIRST)
    (tmp_path / "versions" / "0002_second.py").write_text(SECOND)
    return tmp_path


@pytest.fixture
def url() -> Iterator[str]:
    url = asyncio.run(create_test_database(f"kit_migrate_{uuid.uuid4().hex[:6]}"))
    yield url
    asyncio.run(drop_test_database(url))


async def _fetch(url: str, sql: str) -> list[tuple[object, ...]]:
    conn = await DatabaseConfig.from_url(url).connect()
    try:
        return [tuple(r) for r in await conn.fetch(sql)]
    finally:
        await conn.close()


def test_three_concurrent_runs_all_succeed_and_apply_once(history: Path, url: str) -> None:
    code = "import sys; from pathlib import Path; from registry_kit.migrations import upgrade; upgrade(Path(sys.argv[1]), sys.argv[2])"
    runs = [
        subprocess.Popen(  # noqa: S603 (our interpreter, our module)
            [sys.executable, "-c", code, str(history), url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], "\n".join(outputs)
    assert asyncio.run(_fetch(url, "SELECT run FROM counted")) == [(1,)]
    assert asyncio.run(_fetch(url, "SELECT version_num FROM alembic_version")) == [("0002",)]


def test_a_migration_waiting_for_a_lock_gives_up(history: Path, url: str) -> None:
    upgrade(history, url, "0001")

    async def hold_and_migrate() -> BaseException | None:
        holder = await DatabaseConfig.from_url(url).connect()
        try:
            async with holder.transaction():
                await holder.execute("LOCK TABLE counted IN ACCESS SHARE MODE")  # a long read, say
                try:
                    policy = LockPolicy(lock_timeout_seconds=0.3, attempts=2)
                    await asyncio.to_thread(upgrade, history, url, "0002", policy)
                except Exception as exc:  # noqa: BLE001 (the failure is what the test looks at)
                    return exc
                return None
        finally:
            await holder.close()

    failure = asyncio.run(hold_and_migrate())
    assert failure is not None and "lock timeout" in str(failure)
    assert current_revision(url) == "0001"  # nothing half-applied
    upgrade(history, url)  # the lock is gone: it goes through
    assert current_revision(url) == "0002"


def test_migrate_to_goes_down_and_up(history: Path, url: str) -> None:
    assert migrate_to(history, url, "head") == "upgraded to head"
    assert migrate_to(history, url, "0001") == "downgraded from 0002 to 0001"
    assert asyncio.run(_fetch(url, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'")) == [
        (0,)
    ]
    assert migrate_to(history, url, "0001") == "already at 0001"
    assert migrate_to(history, url, "0002") == "upgraded from 0001 to 0002"
    with pytest.raises(Exception, match="0009"):
        migrate_to(history, url, "0009")
