"""A kept funding summary written again after a change by re-writing only the rows that changed.

Bringing the kept state up to date reads a handful of cube rows (cube.py); writing the whole answer again (every
group through `summary.assemble`, then JSON) was what was left of the first answer after a change: 13,810 rows at
full size. Each row is kept as its JSON text with its amount; after a change only the groups the changed cube rows
belong to go through `assemble` again, the total is made from the state's exact sums, and the rows are put back in
order of amount. Rows are written by the same `assemble`, so they are the bytes the whole answer would hold; a
version that moved without any cube row changing (a funder renamed) writes every row again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal, localcontext
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding.cube import ZERO, CubeState
from projects_api.funding.summary import SummaryQuery, assemble


def _raw(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value  # asyncpg's and the ORM's UUIDs as one key


def _key_of(row: dict[str, Any], group_by: list[str]) -> tuple[Any, ...]:
    """A row's group as the cube names it (a funder's id, a country's or region's code, a year, a type)."""
    out = []
    for dim in group_by:
        shown = row[dim]
        if isinstance(shown, dict):
            shown = shown.get("id", shown.get("code"))
        out.append(_raw(shown))
    return tuple(out)


def _subset(state: CubeState, keys: set[tuple[Any, ...]] | None) -> tuple[list[Any], list[Any]]:
    if keys is None:
        return state.rows()
    eur_rows = [(*key, g[0], g[1]) for key, g in state.groups.items() if key in keys]
    raw_rows = [(*key, currency, m[0]) for (key, currency), m in state.missing.items() if key in keys]
    return eur_rows, raw_rows


def _totals(state: CubeState) -> tuple[list[Any], list[Any]]:
    with localcontext(prec=100):
        eur, count = ZERO, 0
        for group in state.groups.values():
            eur += group[0]
            count += group[1]
        missing: dict[str, Decimal] = {}
        for (_, currency), (amount, _) in state.missing.items():
            missing[currency] = missing.get(currency, ZERO) + amount
    return [(eur, count)], list(missing.items())


async def render(session: AsyncSession, q: SummaryQuery, state: CubeState, default: Callable[[Any], Any]) -> bytes:
    """The answer's JSON, every row written again only when the state has none kept or nothing says which changed."""
    rendered: dict[tuple[Any, ...], tuple[Decimal, bytes]] = state.rendered
    changed = {tuple(_raw(v) for v in key) for key in state.touched}
    keys = None if not rendered or not changed else set(state.touched)
    result = await assemble(session, q.group_by, *_subset(state, keys))
    if keys is None:
        rendered.clear()
    else:
        for key in changed:
            rendered.pop(key, None)
    for row in result["rows"]:
        rendered[_key_of(row, q.group_by)] = (row["eur_amount"], orjson.dumps(row, default=default))
    state.touched.clear()
    total = (await assemble(session, [], *_totals(state)))["total"]
    rows = b",".join(r[1] for r in sorted(rendered.values(), key=itemgetter(0), reverse=True))
    return b'{"group_by":%s,"transaction_types":%s,"rows":[%s],"total":%s}' % (
        orjson.dumps(q.group_by),
        orjson.dumps(q.transaction_types),
        rows,
        orjson.dumps(total, default=default),
    )
