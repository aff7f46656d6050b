"""Backup and restore as docs/operations.md tells it: pg_dump of a service database in the custom format,
pg_restore into a fresh database, and the same rows on both sides."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import asyncpg
import pytest

from conftest import Stack
from registry_kit.embedded_pg import ensure_database
from registry_testing import drop_test_database, server_url
from support import libpq_url, pg_program


async def _table_digests(url: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its row count and a digest of its rows' contents."""
    conn = await asyncpg.connect(libpq_url(url))
    try:
        tables = [
            row["tablename"]
            for row in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ]
        digests: dict[str, tuple[int, str]] = {}
        for table in tables:
            row = await conn.fetchrow(
                f"SELECT count(*) AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS digest "  # noqa: S608
                f'FROM public."{table}" AS t'
            )
            assert row is not None
            digests[table] = (int(row["n"]), str(row["digest"]))
        return digests
    finally:
        await conn.close()


def _run(*args: str | Path) -> None:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}\n{result.stderr}"


@pytest.mark.parametrize("service", ["projects-api", "reporting-api"])
def test_dump_and_restore_into_a_fresh_database(stack: Stack, tmp_path: Path, service: str) -> None:
    if service not in stack.databases:
        pytest.skip(f"{service} is not running in this suite yet")
    source = stack.databases[service]
    before = asyncio.run(_table_digests(source))
    assert "alembic_version" in before
    if service == "projects-api":
        assert before["project"][0] > 0, "the demo data should be loaded"
        assert before["transaction"][0] > 0

    dump = tmp_path / f"{service}.pgdump"
    _run(pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", libpq_url(source))
    assert dump.stat().st_size > 0

    target = server_url(f"deploy_restore_{service.replace('-', '_')}_{os.getpid()}")
    asyncio.run(ensure_database(target, recreate=True))
    try:
        _run(
            pg_program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={libpq_url(target)}",
            dump,
        )
        after = asyncio.run(_table_digests(target))
    finally:
        asyncio.run(drop_test_database(target))
    assert after == before
