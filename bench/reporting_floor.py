"""The floor for reporting-api's dashboard reads: Starlette + asyncpg, no ORM, no validation, no auth, replaying the
product's own SQL (captured by bench.sqlcapture) with the request's values. Part of the harness, never the product.

Served like the product (uvicorn, uvloop, httptools, one worker). BENCH_FLOOR_DSN names the reporting database;
BENCH_FLOOR_SQL (a JSON file) holds the captured statements and the sample values to swap.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.sqlcapture import decode_param, decode_params
from reporting_api.aggregations.repository import elapsed_share
from reporting_api.aggregations.service import TOLERANCE, achieved

PREFIX = "/api/reporting/v1"


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal | uuid.UUID):
        return str(obj)
    raise TypeError(type(obj).__name__)


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body, default=_default), media_type="application/json")


def _statements(app: Starlette, name: str, values: dict[Any, Any]) -> list[tuple[str, list[Any]]]:
    out = []
    for statement in app.state.captured[name]:
        params = [values.get(p, p) if isinstance(p, Hashable) else p for p in decode_params(statement["params"])]
        out.append((statement["sql"], params))
    return out


def _progress_item(row: asyncpg.Record, today: date) -> dict[str, Any]:
    (pi_id, code, name, direction, aggregation, cumulative, baseline, target, total, average, maximum, latest,
     start, end) = row  # fmt: skip
    rule = "latest" if cumulative else aggregation
    actual = {"sum": total, "average": average, "maximum": maximum, "latest": latest}.get(rule)
    if actual is not None and rule == "average":
        actual = actual.quantize(Decimal("0.0001"))
    share = elapsed_share(start, end, today)
    expected = None if share is None else Decimal(str(round(share * 100, 1)))
    percent = achieved(direction, baseline, actual, target)
    return {
        "project_indicator_id": pi_id, "indicator": code, "name": name, "direction": direction, "aggregation": rule,
        "baseline": baseline, "target": target, "actual": actual, "percent_achieved": percent,
        "expected_percent": expected,
        "on_track": None if percent is None or expected is None else percent >= expected - TOLERANCE,
    }  # fmt: skip


async def progress(request: Request) -> Response:
    """The product's statement for a project's progress (driven by the local copy of the project), replayed."""
    project_id = uuid.UUID(request.path_params["project_id"])
    sample = request.app.state.samples["progress"]
    rows: list[asyncpg.Record] = []
    async with request.app.state.pool.acquire() as conn:
        for sql, params in _statements(request.app, "progress", {sample["project_id"]: project_id}):
            rows = await conn.fetch(sql, *params)
    today = datetime.now(UTC).date()
    items = [_progress_item(r, today) for r in rows if r[0] is not None]  # a project without a framework: one row
    return _json({"project_id": project_id, "indicators": items})


async def time_series(request: Request) -> Response:
    """The product's two statements (the indicator by code, the grouped series), replayed."""
    code = request.query_params["indicator"]
    project_id = uuid.UUID(request.query_params["project_id"])
    period_type = request.query_params.get("period_type", "year")
    sample = request.app.state.samples["time_series"]
    (find_sql, find_params), (series_sql, series_params) = _statements(
        request.app, "time_series", {sample["indicator"]: code, sample["project_id"]: project_id}
    )
    async with request.app.state.pool.acquire() as conn:
        indicator = await conn.fetchrow(find_sql, *find_params)
        series_params = [indicator[0] if p == sample["indicator_id"] else p for p in series_params]
        rows = await conn.fetch(series_sql, *series_params)
    points = [{"period": r[0], "value": r[1], "projects": r[2]} for r in rows if r[1] is not None]
    return _json({"indicator": code, "period_type": period_type, "points": points})


async def readyz(request: Request) -> Response:
    async with request.app.state.pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    return _json({"status": "ready"})


def create_app() -> Starlette:
    dsn = os.environ["BENCH_FLOOR_DSN"]
    captured_path = os.environ["BENCH_FLOOR_SQL"]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=20)
        saved = json.loads(Path(captured_path).read_text())
        app.state.captured = saved["statements"]
        app.state.samples = {
            name: {k: decode_param(v) for k, v in values.items()} for name, values in saved["values"].items()
        }
        try:
            yield
        finally:
            await app.state.pool.close()

    routes = [
        Route(f"{PREFIX}/aggregations/progress/{{project_id}}", progress),
        Route(f"{PREFIX}/aggregations/time-series", time_series),
        Route("/readyz", readyz),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
