"""The independent floor for reporting-api's dashboard reads: hand-written SQL (not the product's), one statement per
request, for the answer a viewer who sees everything gets. Part of the harness, never of the product.

A project's values are few (a dozen quarters of two indicators), so no read model wins here: each answer is one
statement over the project's own rows, driven by the indexes on report (project_id) and report_value (report_id,
...). The rule set that turns the values into answers (over time, across projects, elapsed time, % achieved) is the
product's Python, shared with the replay floor (bench/reporting_floor.py): the floor measures the read, not a second
set of rules.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from bench.floor_kit import json_response
from bench.reporting_floor import progress_item, reporting_floor_app, series_response
from reporting_api.aggregations.repository import as_observations
from reporting_api.aggregations.rules import rule_for

_PROGRESS = """
SELECT pi.id, i.code, i.name, i.direction, i.aggregation, i.cumulative, i.measure, pi.baseline_value,
       (SELECT t.value FROM target t WHERE t.project_indicator_id = pi.id AND t.period_code = ''
          AND t.disaggregation_key = '' LIMIT 1),
       p.start_date, p.end_date, a.starts, a.ends, a.vals, a.nums, a.dens
FROM project_copy p
LEFT JOIN (project_indicator pi JOIN indicator i ON i.id = pi.indicator_id) ON pi.project_id = p.id
LEFT JOIN LATERAL (
    SELECT array_agg(r.period_start ORDER BY r.period_end, r.period_start) AS starts,
           array_agg(r.period_end ORDER BY r.period_end, r.period_start) AS ends,
           array_agg(v.value ORDER BY r.period_end, r.period_start) AS vals,
           array_agg(v.numerator ORDER BY r.period_end, r.period_start) AS nums,
           array_agg(v.denominator ORDER BY r.period_end, r.period_start) AS dens
    FROM report r JOIN report_value v ON v.report_id = r.id
    WHERE r.project_id = p.id AND r.status = 'approved' AND v.project_indicator_id = pi.id
      AND v.disaggregation_key = ''
) a ON true
WHERE p.id = $1
ORDER BY pi.position, i.code
"""

# One project's approved totals of one indicator in period order, with the indicator's rule inputs.
_SERIES = """
SELECT i.measure, i.aggregation, i.cumulative, o.*
FROM indicator i
LEFT JOIN LATERAL (
    SELECT r.project_id, r.period_start, r.period_end, v.value, v.numerator, v.denominator
    FROM project_indicator pi
    JOIN report_value v ON v.project_indicator_id = pi.id AND v.disaggregation_key = ''
    JOIN report r ON r.id = v.report_id AND r.status = 'approved'
    WHERE pi.indicator_id = i.id AND pi.project_id = $1
    ORDER BY r.period_end, r.period_start
) o ON true
WHERE i.code = $2
"""


async def progress(request: Request) -> Response:
    project_id = uuid.UUID(request.path_params["project_id"])
    async with request.app.state.pool.acquire() as conn:
        rows: list[asyncpg.Record] = await conn.fetch(_PROGRESS, project_id)
    today = datetime.now(UTC).date()
    items = [progress_item(r, today, project_id) for r in rows if r[0] is not None]
    return json_response({"project_id": project_id, "indicators": items})


async def time_series(request: Request) -> Response:
    code = request.query_params["indicator"]
    project_id = uuid.UUID(request.query_params["project_id"])
    period_type = request.query_params.get("period_type", "year")
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(_SERIES, project_id, code)
    if not rows:
        return json_response({"status": 404}, 404)
    rule = rule_for(rows[0][0], rows[0][1], rows[0][2])
    return series_response(code, period_type, rule, as_observations(r[3:] for r in rows if r[3] is not None))


def create_app() -> Starlette:
    return reporting_floor_app(progress, time_series)
