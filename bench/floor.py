"""The floor for reads: Starlette + asyncpg, no ORM, no validation, no auth, answering the product's reads with the
same SQL for the same rows. Part of the harness, never of the product.

Served like the product: `uvicorn bench.floor:create_app --factory --loop uvloop --http httptools`, one worker.
BENCH_FLOOR_DSN names the database; BENCH_FLOOR_SQL (a JSON file) holds SQL captured from the product.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.floor_kit import floor_app, json_response, replay
from bench.sqlcapture import decode_params
from projects_api.funding.summary import ROW_FIELDS, GroupSums, rounded
from projects_api.reference.lookups import country_names

PREFIX = "/api/projects/v1"


async def list_projects(request: Request) -> Response:
    """The product's statements, replayed: one (the kept count and the page's kept items, for one country) or two
    (the count, then the page's kept items)."""
    country = request.query_params["country"]
    page = int(request.query_params.get("page", 1))
    size = int(request.query_params.get("page_size", 50))
    sample = request.app.state.samples["list"]
    values = {sample["country"]: country, sample["page_size"]: size, sample["offset"]: (page - 1) * size}
    statements = replay(request.app, "list", values)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        if len(statements) == 1:
            [(sql, params)] = statements
            total, items = await conn.fetchrow(sql, *params)
        else:
            (count_sql, count_params), (page_sql, page_params) = statements
            total = await conn.fetchval(count_sql, *count_params)
            items = await conn.fetchval(page_sql, *page_params)
    body = b'{"items":[%s],"total":%d,"page":%d,"page_size":%d}' % ((items or "").encode(), total or 0, page, size)
    return Response(body, media_type="application/json")


async def get_project(request: Request) -> Response:
    """The product's one statement (the kept document and the version), replayed."""
    project_id = uuid.UUID(request.path_params["project_id"])
    sample = request.app.state.samples["detail"]
    [(sql, params)] = replay(request.app, "detail", {sample["id"]: project_id})
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        row = await conn.fetchrow(sql, *params)
    if row is None:
        return json_response({"status": 404}, 404)
    return Response(row[0].encode(), media_type="application/json")


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
    cube_rows, org_rows = results[0], results[1] if len(results) > 1 else []
    n = len(group_by)
    orgs = {r[0]: {"id": r[0], "name": r[1], "acronym": r[2]} for r in org_rows}
    names = country_names()
    # The product reads the cube's rows that count (id, the group's values, currency, EUR, amount, count, rows, part
    # in the total's count) and sums them by group, exactly; so does the floor.
    sums: dict[tuple[Any, ...], list[Any]] = {}
    missing: dict[tuple[Any, ...], dict[str, Decimal]] = {}
    counted = 0
    with localcontext(prec=100):
        for r in cube_rows:
            key = tuple(r[1 : 1 + n])
            currency, eur, amount, count = r[1 + n], r[2 + n], r[3 + n], r[4 + n]
            kept = sums.setdefault(key, [Decimal(0), 0, 0])
            kept[0] += eur or Decimal(0)
            kept[1] += count
            counted += r[6 + n]
            if currency is None:
                kept[2] += count
            else:
                by_currency = missing.setdefault(key, {})
                by_currency[currency] = by_currency.get(currency, Decimal(0)) + (amount or Decimal(0))
    groups = {key: GroupSums(Fraction(eur), count, converted) for key, (eur, count, converted) in sums.items() if count}
    for key, by_currency in missing.items():
        for currency, amount in by_currency.items():
            groups.setdefault(key, GroupSums()).unconverted[currency] += Fraction(amount)

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
        row = _BLANK | {dim: show(dim, v) for dim, v in zip(group_by, key, strict=True)}
        row["eur_amount"], row["not_converted"] = shown[key]
        row["transactions"] = group.transactions
        rows.append(row)
    rows.sort(key=lambda x: (x["eur_amount"] is not None, x["eur_amount"] or 0), reverse=True)
    summary = _BLANK | {"eur_amount": total_eur, "transactions": counted, **extra}
    types = request.query_params.getlist("transaction_type") or ["disbursement"]
    return json_response({"group_by": group_by, "transaction_types": types, "rows": rows, "total": summary})


_BLANK: dict[str, Any] = dict.fromkeys(ROW_FIELDS)


def create_app() -> Starlette:
    routes = [
        Route(f"{PREFIX}/projects", list_projects),
        Route(f"{PREFIX}/projects/{{project_id}}", get_project),
        Route(f"{PREFIX}/funding/summary", funding_summary),
    ]
    return floor_app(routes, warm=country_names)
