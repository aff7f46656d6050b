"""The floor for reporting-api's dashboard reads: Starlette + asyncpg, no ORM, no validation, no auth, replaying the
product's own SQL (captured by bench.sqlcapture) with the request's values. Part of the harness, never the product.

Served like the product (uvicorn, uvloop, httptools, one worker). BENCH_FLOOR_DSN names the reporting database;
BENCH_FLOOR_SQL (a JSON file) holds the captured statements and the sample values to swap.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.floor_kit import floor_app, json_response, replay
from reporting_api.aggregations.repository import elapsed_share
from reporting_api.aggregations.service import TOLERANCE, achieved

PREFIX = "/api/reporting/v1"


def progress_item(row: asyncpg.Record, today: date) -> dict[str, Any]:
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
        for sql, params in replay(request.app, "progress", {sample["project_id"]: project_id}):
            rows = await conn.fetch(sql, *params)
    today = datetime.now(UTC).date()
    items = [progress_item(r, today) for r in rows if r[0] is not None]  # a project without a framework: one row
    return json_response({"project_id": project_id, "indicators": items})


async def time_series(request: Request) -> Response:
    """The product's two statements (the indicator by code, the grouped series), replayed."""
    code = request.query_params["indicator"]
    project_id = uuid.UUID(request.query_params["project_id"])
    period_type = request.query_params.get("period_type", "year")
    sample = request.app.state.samples["time_series"]
    (find_sql, find_params), (series_sql, series_params) = replay(
        request.app, "time_series", {sample["indicator"]: code, sample["project_id"]: project_id}
    )
    async with request.app.state.pool.acquire() as conn:
        indicator = await conn.fetchrow(find_sql, *find_params)
        series_params = [indicator[0] if p == sample["indicator_id"] else p for p in series_params]
        rows = await conn.fetch(series_sql, *series_params)
    points = [{"period": r[0], "value": r[1], "projects": r[2]} for r in rows if r[1] is not None]
    return json_response({"indicator": code, "period_type": period_type, "points": points})


def create_app() -> Starlette:
    routes = [
        Route(f"{PREFIX}/aggregations/progress/{{project_id}}", progress),
        Route(f"{PREFIX}/aggregations/time-series", time_series),
    ]
    return floor_app(routes)
