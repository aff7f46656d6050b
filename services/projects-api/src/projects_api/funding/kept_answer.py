"""A kept funding summary written again after a change by re-writing only the rows whose figures changed.

Bringing the kept state up to date reads a handful of cube rows (cube.py); writing the whole answer again (every
group rounded, named, then JSON) is what is left of the first answer after a change: 13,810 rows at full size.

Rounding is summary.rounded's step (the largest remainder over every group: one group's change can move another's
cent), kept up to date one change at a time (registry_kit.apportion.KeptApportionment: the EUR of the groups with
converted money, and each currency's unconverted amounts), so it says which groups' cents moved. Only those groups
and the ones whose sums changed are named and written again, through the same `summary.named_rows` the whole answer
uses. When a funder's name changed (the version moves for it too), every row is written again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding import funders
from projects_api.funding.cube import CubeState
from projects_api.funding.summary import CENT, ROW_FIELDS, GroupSums, SummaryQuery, assemble, named_rows
from projects_api.organisations.models import Organisation
from registry_kit.apportion import KeptApportionment


class Rounding:
    """An answer's rounding, kept with its state: EUR and each currency apportioned as summary.rounded does."""

    def __init__(self) -> None:
        self.eur = KeptApportionment(CENT)
        self.currencies: dict[str, KeptApportionment] = {}

    def load(self, groups: dict[tuple[Any, ...], GroupSums]) -> None:
        """Every group's shares at once (the first answer)."""
        self.eur.load({k: g.eur for k, g in groups.items() if g.converted})
        for currency in sorted({c for g in groups.values() for c, a in g.unconverted.items() if a}):
            self.currencies[currency] = KeptApportionment(CENT)
            self.currencies[currency].load(
                {k: g.unconverted[currency] for k, g in groups.items() if g.unconverted.get(currency)}
            )

    def take(self, key: tuple[Any, ...], group: GroupSums | None) -> None:
        """The group's shares as they are now (None: the group is gone)."""
        self.eur.put(key, group.eur if group is not None and group.converted else None)
        amounts = {c: a for c, a in group.unconverted.items() if a} if group is not None else {}
        for currency, amount in amounts.items():
            if currency not in self.currencies:
                self.currencies[currency] = KeptApportionment(CENT)
            self.currencies[currency].put(key, amount)
        for currency, kept in self.currencies.items():
            if currency not in amounts:
                kept.discard(key)

    def changes(self) -> tuple[set[Hashable], dict[str, Any]]:
        """The groups whose rounded figures may have moved, and the total's figures (summary.rounded's total)."""
        changed, total_eur = self.eur.changes()
        missing = []
        for currency in sorted(self.currencies):
            kept = self.currencies[currency]
            moved, amount = kept.changes()
            changed |= moved
            if len(kept):
                missing.append({"currency": currency, "amount": amount})
        eur = total_eur if len(self.eur) or not missing else None
        return changed, {"eur_amount": eur, "not_converted": missing}

    def shown(self, key: tuple[Any, ...]) -> tuple[Decimal | None, list[dict[str, Any]]]:
        """The group's rounded EUR (None: none of its money is converted) and unconverted amounts by currency."""
        eur = self.eur.value(key) if key in self.eur else None
        missing = [
            {"currency": c, "amount": self.currencies[c].value(key)}
            for c in sorted(self.currencies)
            if key in self.currencies[c]
        ]
        return eur, missing


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
    rolled_up = await funders.roll_up(session, q.group_by, groups) if "funder" in q.group_by else None
    if rolled_up is not None and rolled_up[1]:
        # Departments rolled up into their ministry merge the cube's groups, so rows kept by the cube's keys do not
        # apply: the answer is assembled whole from the cube's exact sums (one rounding step, as the exact path).
        state.rounding, state.names, state.touched = None, None, set()
        state.rendered.clear()
        result = await assemble(session, q.group_by, groups, state.total, rolled_up)
        body = {"group_by": q.group_by, "transaction_types": q.transaction_types, **result}
        return orjson.dumps(body, default=default)
    rounding: Rounding
    if state.rounding is None:
        rounding = state.rounding = Rounding()
        rounding.load(groups)
        state.rendered.clear()
    else:
        rounding = state.rounding
        for key in state.touched:
            rounding.take(key, groups.get(key))
    moved, total_figures = rounding.changes()
    # each row kept as (its sort key, its JSON)
    kept: dict[tuple[Any, ...], tuple[tuple[bool, int], bytes]] = state.rendered
    names = await _funder_names(session, q, groups)
    if names != state.names:
        kept.clear()  # a funder renamed (the version moved for it): every row that names one is written again
    state.names = names
    stale_keys: set[Any] = (state.touched | moved) if kept else set(groups)
    state.touched = set()
    for key in stale_keys:
        kept.pop(key, None)
    stale = {key: groups[key] for key in stale_keys if key in groups}
    shown = {key: rounding.shown(key) for key in stale}
    for key, row in zip(stale, await named_rows(session, q.group_by, stale, shown), strict=True):
        eur = row["eur_amount"]
        # rows largest first, as assemble sorts them; cents as integers sort faster than Decimals
        kept[key] = (
            (eur is not None, int(eur.scaleb(2)) if eur is not None else 0),
            orjson.dumps(row, default=default),
        )
    ordered = sorted(kept.values(), key=lambda r: r[0], reverse=True)
    total = dict.fromkeys(ROW_FIELDS) | {"transactions": state.total, **total_figures}
    return b'{"group_by":%s,"transaction_types":%s,"rows":[%s],"total":%s}' % (
        orjson.dumps(q.group_by),
        orjson.dumps(q.transaction_types),
        b",".join(r[1] for r in ordered),
        orjson.dumps(total, default=default),
    )
