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

import json
import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.floor_kit import floor_app, json_response
from bench.floor_models import NO_FUNDER
from projects_api.funding.summary import ROW_FIELDS, GroupSums, rounded
from projects_api.reference.lookups import country_names

PREFIX = "/api/projects/v1"

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
SELECT nullif(funder, $2::uuid), country_code, nullif(year, 0), eur, n, converted, unconverted::text
FROM floor_funding_group WHERE transaction_type = ANY($1::text[])
"""
# The total counts each transaction once (a transaction split over countries is in several groups).
_COUNTED = "SELECT count(*) FROM transaction WHERE transaction_type = ANY($1::text[])"
_BLANK: dict[str, Any] = dict.fromkeys(ROW_FIELDS)
# A department's money is its ministry's: each provider's first ancestor that is not a department (itself if none).
_ROLL_UP = """
WITH RECURSIVE up AS (
    SELECT id AS start, id, parent_id, is_department FROM organisation WHERE id = ANY($1::uuid[])
    UNION ALL
    SELECT up.start, o.id, o.parent_id, o.is_department FROM up JOIN organisation o ON o.id = up.parent_id
    WHERE up.is_department
)
SELECT start, id FROM up WHERE NOT is_department OR parent_id IS NULL
"""


def _decimals(text: str) -> dict[str, Decimal]:
    """The kept unconverted amounts by currency, every digit (JSON numbers read as Decimals, not floats)."""
    parsed: dict[str, Decimal] = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    return parsed


def _funder(ref: dict[str, Any] | None, departments: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The funder as the API names it: with its departments (by name) and a label naming them in brackets."""
    if ref is None:
        return None
    depts = sorted(departments, key=lambda d: d["name"])
    shown = ", ".join(d["acronym"] or d["name"] for d in depts)
    return {**ref, "departments": depts, "label": f"{ref['name']} ({shown})" if depts else ref["name"]}


async def funding_summary(request: Request) -> Response:
    """Funder × country × year: the kept group sums (computed again on every request: no answer is kept), named,
    rounded by the product's rounding step (the rule, not the read, is shared). The dataset's projects' countries
    total 100 %: the floor has no group for money under no country."""
    if request.query_params.getlist("group_by") != ["funder", "country", "year"]:
        return json_response({"status": 400, "detail": "the floor answers funder × country × year only"}, 400)
    types = request.query_params.getlist("transaction_type") or ["disbursement"]
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        kept = await conn.fetch(_GROUPS, types, NO_FUNDER)
        counted = await conn.fetchval(_COUNTED, types)
        providers = list({g[0] for g in kept if g[0] is not None})
        ministry = {r[0]: r[1] for r in await conn.fetch(_ROLL_UP, providers)}
        orgs = await conn.fetch(
            "SELECT id, name, acronym FROM organisation WHERE id = ANY($1::uuid[])",
            list(set(providers) | set(ministry.values())),
        )
    named = {o[0]: {"id": o[0], "name": o[1], "acronym": o[2]} for o in orgs}
    departments: dict[Any, list[dict[str, Any]]] = {}
    for provider, funder in ministry.items():
        if provider != funder:
            departments.setdefault(funder, []).append(named[provider])
    names = country_names()
    groups: dict[tuple[Any, ...], GroupSums] = {}
    for provider, country, year, eur, n, converted, unconverted in kept:
        funder = ministry.get(provider, provider)
        group = groups.setdefault((funder, country, year), GroupSums(Fraction(0)))
        group.eur = Fraction(group.eur) + Fraction(eur)
        group.transactions += n
        group.converted += converted
        if unconverted != "{}":
            for currency, amount in _decimals(unconverted).items():
                group.unconverted[currency] += Fraction(amount)
    shown, total_eur, extra = rounded(groups)
    rows: list[dict[str, Any]] = []
    for (funder, country, year), group in groups.items():
        row = _BLANK.copy()
        row["funder"] = _funder(named.get(funder), departments.get(funder, [])) if funder is not None else None
        row["country"] = {"code": country, "name": names.get(country, country)}
        row["year"] = year
        row["eur_amount"], row["not_converted"] = shown[(funder, country, year)]
        row["transactions"] = group.transactions
        rows.append(row)
    rows.sort(key=lambda x: (x["eur_amount"] is not None, x["eur_amount"] or 0), reverse=True)
    total = _BLANK | {"eur_amount": total_eur, "transactions": counted, **extra}
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
