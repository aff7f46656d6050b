"""The product's SQL, captured: the product app runs in-process against the bench database, one request per read,
and every statement it sends (with its parameters) is recorded, so the floor can replay the very same SQL and the
report can show how many statements each request costs."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import event

from registry_kit.raw_reads import Reads

TYPES: dict[str, Any] = {
    "uuid": uuid.UUID,
    "decimal": Decimal,
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
}


def encode_param(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return {"t": "uuid", "v": str(value)}
    if isinstance(value, Decimal):
        return {"t": "decimal", "v": str(value)}
    if isinstance(value, dt.datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, list | tuple):
        return [encode_param(v) for v in value]
    return value


def decode_param(value: Any) -> Any:
    if isinstance(value, dict):
        return TYPES[value["t"]](value["v"])
    if isinstance(value, list):
        return [decode_param(v) for v in value]
    return value


def decode_params(values: list[Any]) -> list[Any]:
    return [decode_param(v) for v in values]


class _RecordingConnection:
    """An asyncpg connection whose reads are recorded before they run."""

    def __init__(self, conn: Any, record: Callable[[str, Any], None]) -> None:
        self._conn, self._record = conn, record

    async def fetch(self, sql: str, *args: Any) -> Any:
        self._record(sql, args)
        return await self._conn.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> Any:
        self._record(sql, args)
        return await self._conn.fetchrow(sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        self._record(sql, args)
        return await self._conn.fetchval(sql, *args)


class _RecordingReads(Reads):
    """The product's hot-read pool (registry_kit.raw_reads), recording what runs on it."""

    def __init__(self, inner: Reads, record: Callable[[str, Any], None]) -> None:
        super().__init__()
        self._inner, self._record = inner, record

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        async with self._inner.connection() as conn:
            yield _RecordingConnection(conn, self._record)


def _answers(sql: str) -> bool:
    """A statement of the answer itself: not a transaction's bracket, nor the token check's refresh of the revoked
    subjects (a cache read once per few seconds per process, whichever request comes first)."""
    return sql.strip().upper() not in {"BEGIN", "COMMIT"} and "FROM token_revocation" not in sql


async def capture(app: Any, token: str, requests: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """{name: [{"sql", "params"}]} for one GET of each path, as the product sent them (through its SQLAlchemy engine
    or its asyncpg pool of hot reads)."""
    captured: dict[str, list[dict[str, Any]]] = {}
    current: list[dict[str, Any]] = []
    # The app runs inside this task (ASGITransport awaits it); its background work (the due-report scan, the
    # notification fan-out, the feed) runs in tasks of its own, on their own timers: those statements are not the
    # answer's.
    request_task = asyncio.current_task()

    def record_sql(statement: str, parameters: Any) -> None:
        if asyncio.current_task() is not request_task:
            return
        params = list(parameters) if isinstance(parameters, list | tuple) else []
        current.append({"sql": statement, "params": [encode_param(p) for p in params]})

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        record_sql(statement, parameters)

    async with LifespanManager(app, startup_timeout=60):  # start-up under a loaded machine takes more than 5 s
        engine = app.state.engine
        event.listen(engine.sync_engine, "before_cursor_execute", record)
        if getattr(app.state, "reads", None) is not None:
            app.state.reads = _RecordingReads(app.state.reads, record_sql)
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:
            for name, path in requests.items():
                current.clear()
                response = await client.get(path)
                response.raise_for_status()
                captured[name] = [s for s in current if _answers(s["sql"])]
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    return captured
