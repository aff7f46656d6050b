"""The floor for reporting-api's dashboard reads: Starlette + asyncpg, no ORM, no validation, no auth, replaying the
product's own SQL (captured by bench.sqlcapture) with the request's values. Part of the harness, never the product.

Served like the product (uvicorn, uvloop, httptools, one worker). BENCH_FLOOR_DSN names the reporting database;
BENCH_FLOOR_SQL (a JSON file) holds the captured statements and the sample values to swap.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.floor_kit import floor_app, json_response, replay
from reporting_api.aggregations.repository import as_observations
from reporting_api.aggregations.rules import Observation, Rule, rule_for
from reporting_api.aggregations.service import progress_of, rule_out, series_points

PREFIX = "/api/reporting/v1"


def progress_item(row: asyncpg.Record, today: date, project_id: uuid.UUID) -> dict[str, Any]:
    """The product's rule set on the replayed row (the floor measures the read, not a second set of rules)."""
    return progress_of(row, today, project_id).model_dump()


def series_response(code: str, period_type: str, rule: Rule, observations: list[Observation]) -> Response:
    """The time-series body the product sends, from the indicator's rule and its values (the product's rule set)."""
    points, unplaced = series_points(rule, observations, period_type)
    return json_response(
        {
            "indicator": code,
            "period_type": period_type,
            "disaggregation": "",
            "rule": rule_out(rule).model_dump(),
            "points": [p.model_dump() for p in points],
            "unplaced_values": unplaced,
        }
    )


def reporting_floor_app(
    progress: Callable[[Request], Awaitable[Response]], time_series: Callable[[Request], Awaitable[Response]]
) -> Starlette:
    """A floor's two dashboard reads, at the product's paths."""
    routes = [
        Route(f"{PREFIX}/aggregations/progress/{{project_id}}", progress),
        Route(f"{PREFIX}/aggregations/time-series", time_series),
    ]
    return floor_app(routes)


async def progress(request: Request) -> Response:
    """The product's statement for a project's progress (driven by the local copy of the project), replayed."""
    project_id = uuid.UUID(request.path_params["project_id"])
    sample = request.app.state.samples["progress"]
    rows: list[asyncpg.Record] = []
    async with request.app.state.pool.acquire() as conn:
        for sql, params in replay(request.app, "progress", {sample["project_id"]: project_id}):
            rows = await conn.fetch(sql, *params)
    today = datetime.now(UTC).date()
    items = [
        progress_item(r, today, project_id) for r in rows if r[0] is not None
    ]  # a project without a framework: one row
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
    rule = rule_for(indicator[2], indicator[3], indicator[4])
    return series_response(code, period_type, rule, as_observations(rows))


def create_app() -> Starlette:
    return reporting_floor_app(progress, time_series)
