"""What both floors share: JSON bodies, the replay of the product's captured statements, and a Starlette app with
the asyncpg pool, the captured SQL and /readyz. The floors themselves only shape rows (bench/floor.py,
bench/reporting_floor.py). Part of the harness, never of the product."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import anyio
import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.sqlcapture import decode_param, decode_params


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal | uuid.UUID):
        return str(obj)  # asyncpg's UUID type is not the one orjson knows
    raise TypeError(type(obj).__name__)


def json_response(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body, default=_default), status_code=status, media_type="application/json")


def _swap(param: Any, values: dict[Any, Any]) -> Any:
    """The request's value where the captured request had its own (inside arrays too: a list of one country)."""
    if isinstance(param, list):
        return [_swap(p, values) for p in param]
    return values.get(param, param) if isinstance(param, Hashable) else param


def replay(app: Starlette, name: str, values: dict[Any, Any]) -> list[tuple[str, list[Any]]]:
    """The product's captured statements for `name`, with the captured request's values swapped for this one's."""
    return [
        (statement["sql"], [_swap(p, values) for p in decode_params(statement["params"])])
        for statement in app.state.captured.get(name, [])
    ]


async def _readyz(request: Request) -> Response:
    async with request.app.state.pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    return json_response({"status": "ready"})


def floor_app(routes: list[Route], warm: Callable[[], object] | None = None) -> Starlette:
    """BENCH_FLOOR_DSN names the database; BENCH_FLOOR_SQL (JSON) holds the product's statements (`captured`) and
    the values its sample requests used (`samples`, by read)."""
    dsn = os.environ["BENCH_FLOOR_DSN"]
    captured_path = os.environ.get("BENCH_FLOOR_SQL")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=20)
        saved = json.loads(await anyio.Path(captured_path).read_text()) if captured_path else {}
        app.state.captured = saved.get("statements", {})
        app.state.samples = {
            name: {k: decode_param(v) for k, v in values.items()} for name, values in saved.get("values", {}).items()
        }
        if warm is not None:
            warm()
        try:
            yield
        finally:
            await app.state.pool.close()

    return Starlette(routes=[*routes, Route("/readyz", _readyz)], lifespan=lifespan)
