"""The floor for reads: Starlette + asyncpg, no ORM, no validation, no auth, answering the product's reads with the
same SQL for the same rows. Part of the harness, never of the product.

Served like the product: `uvicorn bench.floor:create_app --factory --loop uvloop --http httptools`, one worker.
BENCH_FLOOR_DSN names the database; BENCH_FLOOR_SQL (a JSON file) holds SQL captured from the product.
"""

from __future__ import annotations

import uuid
from fractions import Fraction
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.floor_kit import floor_app, json_response, replay
from bench.sqlcapture import decode_params
from projects_api.funding.summary import GroupSums, rounded
from projects_api.reference.data import DAC_SECTORS
from projects_api.reference.data import THEMES as THEME_LIST
from projects_api.reference.lookups import country_names

PREFIX = "/api/projects/v1"
THEME_NAMES = {t.code: t.name for t in THEME_LIST}
SECTOR_NAMES = {s.code: s.name for s in DAC_SECTORS}


def _countries(raw: str) -> list[dict[str, Any]]:
    names = country_names()
    return [{**c, "name": names.get(c["country_code"], c["country_code"])} for c in orjson.loads(raw)]


def _org(p: dict[str, Any]) -> dict[str, Any]:
    return {"id": p["id"], "name": p["name"], "acronym": p["acronym"]}


async def list_projects(request: Request) -> Response:
    """The product's two statements (count, page with its relations as JSON), replayed."""
    country = request.query_params["country"]
    page = int(request.query_params.get("page", 1))
    size = int(request.query_params.get("page_size", 50))
    sample = request.app.state.samples["list"]
    values = {sample["country"]: country, sample["page_size"]: size, sample["offset"]: (page - 1) * size}
    (count_sql, count_params), (page_sql, page_params) = replay(request.app, "list", values)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        total = await conn.fetchval(count_sql, *count_params)
        rows = await conn.fetch(page_sql, *page_params)
    items = []
    for r in rows:
        item = dict(r)
        item["countries"] = _countries(item["countries"])
        item["themes"] = [t["code"] for t in orjson.loads(item["themes"])]
        item["funders"] = [_org(p) for p in orjson.loads(item.pop("participants"))]
        items.append(item)
    return json_response({"items": items, "total": total, "page": page, "page_size": size})


async def get_project(request: Request) -> Response:
    """The product's one statement (the row with every relation as JSON), replayed."""
    project_id = uuid.UUID(request.path_params["project_id"])
    sample = request.app.state.samples["detail"]
    [(sql, params)] = replay(request.app, "detail", {sample["id"]: project_id})
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        row = await conn.fetchrow(sql, *params)
    if row is None:
        return json_response({"status": 404}, 404)
    body = dict(row)
    body["countries"] = _countries(body["countries"])
    body["themes"] = [
        {"code": t["code"], "name": THEME_NAMES.get(t["code"], t["code"])} for t in orjson.loads(body["themes"])
    ]
    body["sectors"] = [
        {**x, "name": SECTOR_NAMES.get(x["sector_code"], x["sector_code"])} for x in orjson.loads(body["sectors"])
    ]
    body["locations"] = orjson.loads(body["locations"])
    body["participants"] = [{"organisation": _org(p), "role": p["role"]} for p in orjson.loads(body["participants"])]
    return json_response(body)


async def funding_summary(request: Request) -> Response:
    """Replays the SQL captured from the product's summary (same statements, same parameters) and shapes the same
    rows: names for funders and countries, unconverted amounts per group, largest first."""
    # The product's SQL without its read of the cube's version (which only decides whether a kept answer is current):
    # the floor computes the answer every time.
    statements = [
        s for s in request.app.state.captured.get("funding_summary", []) if "funding_cube_version" not in s["sql"]
    ]
    group_by = request.query_params.getlist("group_by")
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        results = [await conn.fetch(s["sql"], *decode_params(s["params"])) for s in statements]
    # The cube's statements: grouped EUR and counts, grouped unconverted amounts, the total count; then the funders.
    eur_rows, raw_rows, counted = results[0], results[1], results[2]
    org_rows = results[3] if len(results) > 3 else []
    n = len(group_by)
    orgs = {r[0]: {"id": r[0], "name": r[1], "acronym": r[2]} for r in org_rows}
    names = country_names()
    groups: dict[tuple[Any, ...], GroupSums] = {}
    for r in eur_rows:
        if not r[n + 1]:
            continue
        group = groups.setdefault(tuple(r[:n]), GroupSums())
        group.eur += Fraction(r[n] or 0)
        group.transactions += int(r[n + 1] or 0)
        group.converted += int(r[n + 2] or 0)
    for r in raw_rows:
        groups.setdefault(tuple(r[:n]), GroupSums()).unconverted[r[n]] += Fraction(r[n + 1] or 0)

    def show(dim: str, value: Any) -> Any:
        if value is None:
            return None
        if dim == "funder":
            return orgs.get(value)
        if dim == "country":
            return {"code": value, "name": names.get(value, value)}
        return value

    # The product's rounding step over the exact sums (the rule, not the read, is shared).
    shown, total_eur, extra = rounded(groups)
    rows = []
    for key, group in groups.items():
        row = {dim: show(dim, v) for dim, v in zip(group_by, key, strict=True)}
        row["eur_amount"], row["not_converted"] = shown[key]
        row["transactions"] = group.transactions
        rows.append(row)
    rows.sort(key=lambda x: (x["eur_amount"] is not None, x["eur_amount"] or 0), reverse=True)
    summary = {"eur_amount": total_eur, "transactions": int(counted[0][0] or 0) if counted else 0, **extra}
    return json_response({"group_by": group_by, "rows": rows, "total": summary})


def create_app() -> Starlette:
    routes = [
        Route(f"{PREFIX}/projects", list_projects),
        Route(f"{PREFIX}/projects/{{project_id}}", get_project),
        Route(f"{PREFIX}/funding/summary", funding_summary),
    ]
    return floor_app(routes, warm=country_names)
