"""The independent floor for reporting-api's dashboard reads: hand-written SQL (not the product's), one statement per
request, for the answer a viewer who sees everything gets. Part of the harness, never of the product.

A project's values are few (a dozen quarters of two indicators), so no read model wins here: each answer is one
statement over the project's own rows, driven by the indexes on report (project_id) and report_value (report_id,
...). The rules that turn the numbers into percentages (elapsed time, % achieved) are the product's Python
functions, shared with the replay floor (bench/reporting_floor.py): they are arithmetic, not SQL.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.floor_kit import floor_app, json_response
from bench.reporting_floor import PREFIX, progress_item

_PROGRESS = """
SELECT pi.id, i.code, i.name, i.direction, i.aggregation, i.cumulative, pi.baseline_value,
       (SELECT t.value FROM target t WHERE t.project_indicator_id = pi.id AND t.period_code = ''
          AND t.disaggregation_key = '' LIMIT 1),
       a.total, a.average, a.maximum, a.latest, p.start_date, p.end_date
FROM project_copy p
LEFT JOIN (project_indicator pi JOIN indicator i ON i.id = pi.indicator_id) ON pi.project_id = p.id
LEFT JOIN LATERAL (
    SELECT sum(v.value) AS total, avg(v.value) AS average, max(v.value) AS maximum,
           (array_agg(v.value ORDER BY r.period_end DESC))[1] AS latest
    FROM report r JOIN report_value v ON v.report_id = r.id
    WHERE r.project_id = p.id AND r.status = 'approved' AND v.project_indicator_id = pi.id
      AND v.disaggregation_key = '' AND v.value IS NOT NULL
) a ON true
WHERE p.id = $1
ORDER BY pi.position, i.code
"""

_BUCKETS = {"year": "YYYY", "quarter": 'YYYY"Q"Q', "month": "YYYY-MM"}

# One project's series of one indicator: its approved totals per period bucket, combined over time by the
# indicator's rule (a running total or `latest` takes the last period), then across projects by its measure.
_SERIES = """
WITH ind AS (
    SELECT id, measure, CASE WHEN cumulative THEN 'latest' ELSE aggregation END AS rule FROM indicator WHERE code = $2
),
vals AS (
    SELECT r.project_id, to_char(r.period_start, $3) AS bucket, v.value, r.period_end
    FROM ind JOIN project_indicator pi ON pi.indicator_id = ind.id AND pi.project_id = $1
    JOIN report_value v ON v.project_indicator_id = pi.id AND v.disaggregation_key = '' AND v.value IS NOT NULL
    JOIN report r ON r.id = v.report_id AND r.status = 'approved'
    WHERE to_char(r.period_end, $3) = to_char(r.period_start, $3)
),
per AS (
    SELECT project_id, bucket, CASE (SELECT rule FROM ind)
        WHEN 'sum' THEN sum(value) WHEN 'average' THEN avg(value) WHEN 'maximum' THEN max(value)
        ELSE (array_agg(value ORDER BY period_end DESC))[1] END AS value
    FROM vals GROUP BY project_id, bucket
)
SELECT bucket, CAST(CASE WHEN (SELECT measure FROM ind) IN ('number', 'currency') THEN sum(value) ELSE avg(value) END
                    AS numeric(20, 4)),
       count(DISTINCT project_id)
FROM per GROUP BY bucket ORDER BY bucket
"""


async def progress(request: Request) -> Response:
    project_id = uuid.UUID(request.path_params["project_id"])
    async with request.app.state.pool.acquire() as conn:
        rows: list[asyncpg.Record] = await conn.fetch(_PROGRESS, project_id)
    today = datetime.now(UTC).date()
    items = [progress_item(r, today) for r in rows if r[0] is not None]
    return json_response({"project_id": project_id, "indicators": items})


async def time_series(request: Request) -> Response:
    code = request.query_params["indicator"]
    project_id = uuid.UUID(request.query_params["project_id"])
    period_type = request.query_params.get("period_type", "year")
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(_SERIES, project_id, code, _BUCKETS[period_type])
    points = [{"period": r[0], "value": r[1], "projects": r[2]} for r in rows if r[1] is not None]
    return json_response({"indicator": code, "period_type": period_type, "points": points})


def create_app() -> Starlette:
    routes = [
        Route(f"{PREFIX}/aggregations/progress/{{project_id}}", progress),
        Route(f"{PREFIX}/aggregations/time-series", time_series),
    ]
    return floor_app(routes)
