"""A kept funding summary written again after a change by re-writing only the rows whose figures changed.

Bringing the kept state up to date reads a handful of cube rows (cube.py); writing the whole answer again (every
group named, then JSON) is what is left of the first answer after a change: 13,810 rows at full size. The rounding
step (summary.rounded, the largest remainder) runs over every group, since one group's change can move another's
cent; then only the rows whose figures differ from the kept ones (or whose group changed) are named and written
again, through the same `summary.named_rows` the whole answer uses, so they are the bytes the whole answer would
hold. When a funder's name changed (the version moves for it too), every row is written again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding.cube import CubeState
from projects_api.funding.summary import ROW_FIELDS, SummaryQuery, named_rows, rounded
from projects_api.organisations.models import Organisation


async def _funder_names(session: AsyncSession, q: SummaryQuery, groups: dict[tuple[Any, ...], Any]) -> Any:
    """The names of the answer's funders as they are now (one indexed read of a few hundred rows at most)."""
    if "funder" not in q.group_by:
        return None
    i = q.group_by.index("funder")
    ids = {key[i] for key in groups if key[i] is not None}
    rows = await session.execute(
        select(Organisation.id, Organisation.name, Organisation.acronym).where(Organisation.id.in_(ids))
    )
    return {str(r[0]): (r[1], r[2]) for r in rows}


async def render(session: AsyncSession, q: SummaryQuery, state: CubeState, default: Callable[[Any], Any]) -> bytes:
    """The answer's JSON, in FundingSummary's shape."""
    groups = state.group_sums()
    shown, total_eur, total_extra = rounded(groups)
    # each row kept as (its figures, its sort key, its JSON)
    kept: dict[tuple[Any, ...], tuple[Any, tuple[bool, Any], bytes]] = state.rendered
    names = await _funder_names(session, q, groups)
    if not state.touched or names != state.names:
        kept.clear()  # a funder renamed (the version moved for it): every row that names one is written again
    state.names = names
    for key in [k for k in kept if k not in groups]:
        del kept[key]
    figures = {key: (shown[key], group.transactions) for key, group in groups.items()}
    stale = {key: groups[key] for key, f in figures.items() if key in state.touched or kept.get(key, (None,))[0] != f}
    state.touched.clear()
    for key, row in zip(stale, await named_rows(session, q.group_by, stale, shown), strict=True):
        eur = row["eur_amount"]
        kept[key] = (figures[key], (eur is not None, eur or 0), orjson.dumps(row, default=default))
    ordered = sorted(kept.values(), key=lambda r: r[1], reverse=True)
    total = dict.fromkeys(ROW_FIELDS) | {"eur_amount": total_eur, "transactions": state.total, **total_extra}
    return b'{"group_by":%s,"transaction_types":%s,"rows":[%s],"total":%s}' % (
        orjson.dumps(q.group_by),
        orjson.dumps(q.transaction_types),
        b",".join(r[2] for r in ordered),
        orjson.dumps(total, default=default),
    )
