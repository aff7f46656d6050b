"""Hot reads on asyncpg (registry_kit.raw_reads): compiled once per shape, values bound per call, against a real
PostgreSQL server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import ARRAY, JSON, Column, Integer, MetaData, Select, String, Table, any_, bindparam, func, select
from sqlalchemy.ext.asyncio import create_async_engine

from registry_kit.embedded_pg import asyncpg_dsn
from registry_kit.raw_reads import ReadCache, Reads, compile_read
from registry_testing import create_test_database, drop_test_database

pytestmark = pytest.mark.asyncio(loop_scope="session")

metadata = MetaData()
things = Table(
    "thing", metadata, Column("id", Integer, primary_key=True), Column("kind", String), Column("extra", JSON)
)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def url() -> AsyncIterator[str]:
    url = await create_test_database(f"raw_reads_{uuid.uuid4().hex[:6]}")
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(
            things.insert(),
            [{"id": i, "kind": "ab"[i % 2], "extra": {"n": i, "tags": ["x"] * i}} for i in range(1, 7)],
        )
    await engine.dispose()
    yield url
    await drop_test_database(url)


def _by_kinds() -> Select[Any]:
    kinds = bindparam("kinds", type_=ARRAY(String))
    return select(things.c.id, things.c.extra).where(things.c.kind == any_(kinds), things.c.id > bindparam("above"))


async def test_one_compiled_read_serves_any_values(url: str) -> None:
    reads = await Reads.open(asyncpg_dsn(url), 2)
    try:
        cache = ReadCache()
        read = cache.get("by-kinds", _by_kinds)
        assert cache.get("by-kinds", lambda: pytest.fail("built twice")) is read
        rows = await reads.fetch(read, {"kinds": ["a"], "above": 0})
        assert [r["id"] for r in rows] == [2, 4, 6]
        rows = await reads.fetch(read, {"kinds": ["a", "b"], "above": 4})
        assert sorted(r["id"] for r in rows) == [5, 6]
        row = await reads.fetchrow(read, {"kinds": ["b"], "above": 4})
        assert row is not None and row["extra"] == {"n": 5, "tags": ["x"] * 5}  # json arrives parsed
        count = compile_read(select(func.count()).select_from(things).where(things.c.kind == bindparam("k")))
        assert await reads.fetchval(count, {"k": "b"}) == 3
    finally:
        await reads.close()


async def test_values_fixed_at_build_time_are_kept(url: str) -> None:
    reads = await Reads.open(asyncpg_dsn(url), 1)
    try:
        read = compile_read(select(func.json_build_object("kind", things.c.kind)).where(things.c.id == bindparam("id")))
        assert await reads.fetchval(read, {"id": 3}) == {"kind": "b"}
    finally:
        await reads.close()


async def test_an_in_list_is_refused_because_it_would_be_compiled_for_one_request() -> None:
    with pytest.raises(TypeError, match="arrays"):
        compile_read(select(things.c.id).where(things.c.kind.in_(["a", "b"])))
    assert "IN" in compile_read(select(things.c.id).where(things.c.kind.in_(["a", "b"])), expand_lists=True).sql


async def test_reads_on_a_test_connection_see_its_uncommitted_rows(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            transaction = await conn.begin()
            await conn.execute(things.insert().values(id=99, kind="c", extra={}))
            reads = await Reads.on(conn)
            count = compile_read(select(func.count()).select_from(things).where(things.c.kind == bindparam("k")))
            assert await reads.fetchval(count, {"k": "c"}) == 1
            await transaction.rollback()
    finally:
        await engine.dispose()
