"""The independent floor for projects-api's reads: the fastest honest way the harness knows to answer the bench's
requests with the same JSON from the same data, written without the product's SQL. Part of the harness, never of
the product.

It reads the read models of bench/floor_models.py (kept by the database under every write, like the product's
funding cube): a page of a country's list is one index range of JSON items and a kept count, a detail one row of
JSON text, the funding summary the kept sums of its groups. Starlette + asyncpg, no ORM, no validation, no auth,
served like the product (uvicorn, uvloop, httptools, one worker). It answers what a viewer who sees everything
is answered, for the requests the bench sends (the harness checks each answer equals the product's first).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.floor_kit import floor_app, json_response
from bench.floor_models import NO_FUNDER
from projects_api.reference.lookups import country_names

PREFIX = "/api/projects/v1"
CENT = Decimal("0.01")
ZERO = Decimal(0)

_PAGE = """
SELECT (SELECT everyone FROM floor_list_count WHERE country_code = $1),
       (SELECT string_agg(item, ',' ORDER BY code, project_id) FROM (
            SELECT code, project_id, item FROM floor_list_entry WHERE country_code = $1
            ORDER BY code, project_id OFFSET $2 LIMIT $3) page)
"""


async def list_projects(request: Request) -> Response:
    """A country's page: the kept count and the page's items, one statement, the items' JSON passed through."""
    country = request.query_params["country"]
    page = int(request.query_params.get("page", 1))
    size = int(request.query_params.get("page_size", 50))
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        total, items = await conn.fetchrow(_PAGE, country, (page - 1) * size, size)
    body = b'{"items":[%s],"total":%d,"page":%d,"page_size":%d}' % ((items or "").encode(), total or 0, page, size)
    return Response(body, media_type="application/json")


async def get_project(request: Request) -> Response:
    """The kept detail, passed through."""
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        body = await conn.fetchval(
            "SELECT body FROM floor_detail WHERE project_id = $1", uuid.UUID(request.path_params["project_id"])
        )
    if body is None:
        return json_response({"status": 404}, 404)
    return Response(body.encode(), media_type="application/json")


_GROUPS = """
SELECT nullif(funder, $2::uuid), country_code, nullif(year, 0), eur, n, unconverted::text FROM floor_funding_group
WHERE transaction_type = ANY($1::text[])
"""
_BLANK = dict.fromkeys(
    ("funder", "country", "region", "year", "theme", "status", "project", "transaction_type", "eur_amount",
     "not_converted", "transactions")
)  # fmt: skip


def _not_converted(amounts: dict[str, Decimal]) -> list[dict[str, Any]]:
    return [{"currency": c, "amount": a.quantize(CENT)} for c, a in sorted(amounts.items()) if a]


def _amount(row: dict[str, Any]) -> Decimal:
    amount: Decimal = row["eur_amount"]
    return amount


async def funding_summary(request: Request) -> Response:
    """Funder × country × year: the kept group sums (computed again on every request: no answer is kept), named."""
    if request.query_params.getlist("group_by") != ["funder", "country", "year"]:
        return json_response({"status": 400, "detail": "the floor answers funder × country × year only"}, 400)
    types = request.query_params.getlist("transaction_type") or ["disbursement"]
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        groups = await conn.fetch(_GROUPS, types, NO_FUNDER)
        funders = {g[0] for g in groups if g[0] is not None}
        orgs = await conn.fetch("SELECT id, name, acronym FROM organisation WHERE id = ANY($1::uuid[])", funders)
    named = {o[0]: {"id": o[0], "name": o[1], "acronym": o[2]} for o in orgs}
    names = country_names()
    sums: dict[tuple[Any, ...], list[Any]] = {}
    for funder, country, year, eur, n, unconverted in groups:
        key = (funder, country, year)
        kept = sums.get(key)
        if kept is None:
            kept = sums[key] = [ZERO, 0, {}]
        kept[0] += eur
        kept[1] += n
        if unconverted != "{}":
            for currency, amount in orjson.loads(unconverted).items():
                kept[2][currency] = kept[2].get(currency, ZERO) + Decimal(str(amount))
    rows: list[dict[str, Any]] = []
    total_eur, total_n, total_missing = ZERO, 0, dict[str, Decimal]()
    for (funder, country, year), (eur, n, missing) in sums.items():
        total_eur += eur
        total_n += n
        for currency, amount in missing.items():
            total_missing[currency] = total_missing.get(currency, ZERO) + amount
        row = _BLANK.copy()
        row["funder"] = named.get(funder) if funder is not None else None
        row["country"] = {"code": country, "name": names.get(country, country)}
        row["year"] = year
        row["eur_amount"] = eur.quantize(CENT)
        row["not_converted"] = _not_converted(missing)
        row["transactions"] = n
        rows.append(row)
    rows.sort(key=_amount, reverse=True)
    total = _BLANK | {"eur_amount": total_eur.quantize(CENT), "not_converted": _not_converted(total_missing),
                      "transactions": total_n}  # fmt: skip
    return json_response(
        {"group_by": ["funder", "country", "year"], "transaction_types": types, "rows": rows, "total": total}
    )


def create_app() -> Starlette:
    routes = [
        Route(f"{PREFIX}/projects", list_projects),
        Route(f"{PREFIX}/projects/{{project_id}}", get_project),
        Route(f"{PREFIX}/funding/summary", funding_summary),
    ]
    return floor_app(routes, warm=country_names)
