"""Hot reads straight on asyncpg: SQL compiled once per shape from SQLAlchemy statements, run without an ORM session.

The most-read endpoints (a project list page, a project) spent most of a request's CPU around the query rather than
in it: an ORM session, BEGIN/COMMIT and pre-ping round trips, and cache keys rebuilt for a large statement
(profiles in BENCHMARKS.md). A read here is built and compiled once for its shape (which filters are present, the
sort, the visibility rule); a request only binds its values and runs one statement on a pooled connection, in
autocommit, which is all a single-statement read needs. Writes keep the session and its transaction.

A request must not hold a session's transaction while it waits for a connection of this pool: behind PgBouncer in
transaction mode both pools draw on one server pool, and requests each holding one connection while waiting for a
second can wait for each other until PgBouncer's query_wait_timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Hashable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from registry_kit.db_config import DatabaseConfig

_DIALECT = PGDialect_asyncpg(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class CompiledRead:
    """A statement's SQL with positional placeholders, the bind names in order, and the values fixed at build time."""

    sql: str
    names: tuple[str, ...]
    fixed: Mapping[str, Any]

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        return [values[name] if name in values else self.fixed[name] for name in self.names]


def compile_read(statement: ClauseElement, *, expand_lists: bool = False) -> CompiledRead:
    """Compile for asyncpg. Bind list values as arrays (`col == any_(bindparam(..., type_=ARRAY(...)))`), not IN
    lists, so one compiled form serves any number of values; `expand_lists` compiles IN lists with the values they
    hold, for a statement run once."""
    compiled = statement.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": expand_lists})
    if not isinstance(compiled, SQLCompiler) or compiled.positiontup is None:  # numeric_dollar is positional
        raise TypeError("expected a positional paramstyle")
    if not expand_lists and any(b.expanding for b in compiled.binds.values()):
        # An IN list would be compiled for the first request's values and reused for every later one.
        raise TypeError("bind lists as arrays (= any_(bindparam(..., type_=ARRAY(...)))), not with in_()")
    names = tuple(compiled.positiontup)
    fixed = {name: compiled.params[name] for name in names if compiled.params.get(name) is not None}
    return CompiledRead(str(compiled), names, fixed)


class ReadCache:
    """Compiled reads by shape. Shapes are few (a combination of filters present, a sort, a visibility kind), so the
    cache is bounded by the code, not by the data."""

    def __init__(self) -> None:
        self._compiled: dict[Hashable, CompiledRead] = {}

    def get(self, key: Hashable, build: Callable[[], ClauseElement]) -> CompiledRead:
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = compile_read(build())
        return found


class _QuietConnection(asyncpg.Connection):  # type: ignore[misc]
    """Nothing on these connections sets session state, listens or takes advisory locks, so the pool need not send
    a reset query (one round trip) each time a connection goes back."""

    def get_reset_query(self) -> str:
        return ""


async def _decode_json(conn: asyncpg.Connection) -> None:
    """json and jsonb arrive parsed, as they do on SQLAlchemy's connections (which tests read through)."""
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, schema="pg_catalog", encoder=_dumps, decoder=orjson.loads)


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


class Reads:
    """Where hot reads run: a small asyncpg pool beside SQLAlchemy's, or (in tests) the test's own connection so
    reads see what the test wrote in its rolled-back transaction."""

    def __init__(self, pool: asyncpg.Pool | None = None, connection: asyncpg.Connection | None = None) -> None:
        self._pool = pool
        self._connection = connection
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, database: DatabaseConfig | str, size: int | None = None) -> Reads:
        """The pool, over the same connection model as SQLAlchemy's (TLS, no prepared statements behind PgBouncer)."""
        config = database if isinstance(database, DatabaseConfig) else DatabaseConfig.from_url(database)
        pool = await config.create_pool(
            min_size=1, max_size=size or config.reads_pool_size, connection_class=_QuietConnection, init=_decode_json
        )
        return cls(pool=pool)

    @property
    def pool(self) -> asyncpg.Pool | None:
        return self._pool

    @classmethod
    async def on(cls, connection: AsyncConnection) -> Reads:
        raw = await connection.get_raw_connection()
        return cls(connection=raw.driver_connection)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        if self._pool is not None:
            async with self._pool.acquire() as conn:
                yield conn
        else:
            async with self._lock:
                yield self._connection

    async def fetch(self, read: CompiledRead, values: Mapping[str, Any]) -> list[asyncpg.Record]:
        return list(await self._run("fetch", read, values))

    async def fetchrow(self, read: CompiledRead, values: Mapping[str, Any]) -> asyncpg.Record | None:
        result: asyncpg.Record | None = await self._run("fetchrow", read, values)
        return result

    async def fetchval(self, read: CompiledRead, values: Mapping[str, Any]) -> Any:
        return await self._run("fetchval", read, values)

    async def _run(self, method: str, read: CompiledRead, values: Mapping[str, Any]) -> Any:
        """One statement: on the pool, by the pool's own method (its acquire and release, without a generator
        around them, which the hottest reads feel); otherwise on `connection()`."""
        args = read.args(values)
        if self._pool is not None:
            return await getattr(self._pool, method)(read.sql, *args)
        async with self.connection() as conn:
            return await getattr(conn, method)(read.sql, *args)
