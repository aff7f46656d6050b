"""A kept funding summary written again after a change by re-writing only the rows whose figures changed.

Bringing the kept state up to date reads a handful of cube rows (cube.py); what is left of the first answer after a
change is this module's: every step here costs what the change touched, not what the answer holds (13,810 rows at
full size), except the one join of the rows' kept JSON into the body.

Rounding is summary.rounded's step (the largest remainder over every group: one group's change can move another's
cent), kept up to date one change at a time (registry_kit.apportion.KeptApportionment: the EUR of the groups with
converted money, and each currency's unconverted amounts), so it says which groups' cents moved. Only those groups
and the ones whose sums changed are named and written again, through the same `summary.named_rows` the whole answer
uses, and put in their place in the kept order (Rows: a bisection, not a sort of every row). The funders' names are
read again on every change (one compiled read of the answer's few dozen funders, whose ids Rows counts as groups
come and go): when one changed (the version moves for it too), every row is written again. When a funder among
them is a department rolled up into its ministry, the cube's groups merge, and the answer is assembled whole.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import ARRAY, any_, bindparam, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding import funders
from projects_api.funding.cube import CubeState
from projects_api.funding.summary import CENT, ROW_FIELDS, GroupSums, SummaryQuery, assemble, named_rows
from projects_api.organisations.models import Organisation
from registry_kit.apportion import KeptApportionment
from registry_kit.raw_reads import Reads, compile_read


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


Entry = tuple[int, int, int, bytes]  # (no EUR figure, -cents, sequence, JSON): ascending is the answer's order
BLOCK = 128  # rows per block of the kept order


class Blocks:
    """Entries in order, in blocks of about BLOCK, each block's JSON joined once and kept until one of its entries
    changes: putting or taking an entry is a bisection in one block, and the body joins about a hundred blocks' bytes
    (thirteen thousand rows' pieces joined every time were most of a first answer after a change)."""

    def __init__(self, entries: list[Entry]) -> None:
        entries = sorted(entries)
        self._blocks = [entries[i : i + BLOCK] for i in range(0, len(entries), BLOCK)]
        self._last = [block[-1] for block in self._blocks]
        self._joined: list[bytes | None] = [None] * len(self._blocks)

    def add(self, entry: Entry) -> None:
        if not self._blocks:
            self._blocks, self._last, self._joined = [[entry]], [entry], [None]
            return
        b = min(bisect.bisect_left(self._last, entry), len(self._blocks) - 1)
        block = self._blocks[b]
        bisect.insort(block, entry)
        self._last[b], self._joined[b] = block[-1], None
        if len(block) > 2 * BLOCK:
            half = len(block) // 2
            self._blocks[b : b + 1] = [block[:half], block[half:]]
            self._last[b : b + 1] = [block[half - 1], block[-1]]
            self._joined[b : b + 1] = [None, None]

    def remove(self, entry: Entry) -> None:
        b = bisect.bisect_left(self._last, entry)
        block = self._blocks[b]
        del block[bisect.bisect_left(block, entry)]
        if block:
            self._last[b], self._joined[b] = block[-1], None
        else:
            del self._blocks[b], self._last[b], self._joined[b]

    def joined(self, head: bytes, tail: bytes) -> bytes:
        """`head`, every entry's JSON in order separated by commas, `tail`."""
        parts = self._joined
        for b, part in enumerate(parts):
            if part is None:
                parts[b] = b",".join([entry[3] for entry in self._blocks[b]])
        pieces = [part for part in parts if part is not None]
        if not pieces:
            return head + tail
        pieces[0] = head + pieces[0]
        pieces[-1] = pieces[-1] + tail
        return b",".join(pieces)


class Rows:
    """The answer's rows as JSON, kept in the answer's order (largest EUR first, rows without a EUR figure last; ties
    in the order they were written), so that after a change only the changed rows are written and put in their place;
    and how many groups name each funder, so the funders whose names the answer needs are known without a pass over
    every group."""

    def __init__(self, funder_at: int | None) -> None:
        self._funder_at = funder_at  # where the funder is in a group's key (None: not grouped by funder)
        self._members: set[Hashable] = set()  # the answer's groups
        self._funders: Counter[Any] = Counter()  # funder -> groups naming it
        self._order = Blocks([])
        self._placed: dict[Hashable, Entry] = {}
        self._sequence = itertools.count()
        self._bytes = 0

    def track(self, keys: Iterable[tuple[Any, ...]], groups: dict[tuple[Any, ...], GroupSums]) -> None:
        """These keys' membership brought to the groups as they are now."""
        i = self._funder_at
        for key in keys:
            now = key in groups
            if now == (key in self._members):
                continue
            if now:
                self._members.add(key)
            else:
                self._members.discard(key)
            if i is not None:
                funder = key[i]
                self._funders[funder] += 1 if now else -1
                if not self._funders[funder]:
                    del self._funders[funder]

    def funder_ids(self) -> list[Any]:
        return [f for f in self._funders if f is not None]

    def __len__(self) -> int:
        return len(self._placed)

    def forget(self) -> None:
        """Every row's JSON dropped (each is written again); the groups and funders stay."""
        self._order, self._placed, self._bytes = Blocks([]), {}, 0

    def drop(self, keys: Iterable[Hashable]) -> None:
        for key in keys:
            entry = self._placed.pop(key, None)
            if entry is not None:
                self._order.remove(entry)
                self._bytes -= len(entry[3])

    def put(self, rows: list[tuple[Hashable, Decimal | None, bytes]]) -> None:
        """Rows (key, rounded EUR, JSON) put in their place: one at a time when they are few, in one sort if many."""
        entries = []
        for key, eur, piece in rows:
            # cents as integers compare faster than Decimals
            order = (0, -int(eur.scaleb(2))) if eur is not None else (1, 0)
            entry = (*order, next(self._sequence), piece)
            self._placed[key] = entry
            self._bytes += len(piece)
            entries.append(entry)
        if 8 * len(entries) > len(self._placed):
            self._order = Blocks(list(self._placed.values()))
        else:
            for entry in entries:
                self._order.add(entry)

    def joined(self, head: bytes, tail: bytes) -> bytes:
        return self._order.joined(head, tail)

    @property
    def size(self) -> int:
        """What the rows take in memory, in bytes: their JSON twice (each piece, and joined in its block) and about
        260 bytes each around it (entry, places, membership: measured, as CubeState.size)."""
        return 2 * self._bytes + 260 * len(self._placed)


_FUNDERS = compile_read(
    select(Organisation.id, Organisation.name, Organisation.acronym, Organisation.is_department).where(
        Organisation.id == any_(bindparam("ids", type_=ARRAY(PG_UUID(as_uuid=True))))
    )
)


async def _funders_now(reads: Reads, ids: list[Any]) -> dict[Any, tuple[str, str | None, bool]]:
    """The answer's funders as they are now: name, acronym, whether a department (one compiled read, few dozen rows)."""
    return {r[0]: (r[1], r[2], r[3]) for r in await reads.fetch(_FUNDERS, {"ids": ids})}


async def render(
    session: AsyncSession, reads: Reads, q: SummaryQuery, state: CubeState, default: Callable[[Any], Any]
) -> bytes:
    """The answer's JSON, in FundingSummary's shape."""
    groups = state.group_sums()
    at = q.group_by.index("funder") if "funder" in q.group_by else None
    rows: Rows
    if state.rounding is None or state.rendered is None:
        rows = state.rendered = Rows(at)
        rows.track(groups, groups)
    else:
        rows = state.rendered
        rows.track(state.touched, groups)
    names = await _funders_now(reads, rows.funder_ids()) if at is not None else None
    if names and any(department for _, _, department in names.values()):
        rolled_up = await funders.roll_up(session, q.group_by, groups)
        if rolled_up[1]:
            # Departments rolled up into their ministry merge the cube's groups, so rows kept by the cube's keys do
            # not apply: the answer is assembled whole from the cube's exact sums (one rounding step, as the exact
            # path).
            state.rounding, state.rendered, state.names, state.touched = None, None, None, set()
            result = await assemble(session, q.group_by, groups, state.total, rolled_up)
            body = {"group_by": q.group_by, "transaction_types": q.transaction_types, **result}
            return orjson.dumps(body, default=default)
    rounding: Rounding
    if state.rounding is None:
        rounding = state.rounding = Rounding()
        rounding.load(groups)
    else:
        rounding = state.rounding
        for key in state.touched:
            rounding.take(key, groups.get(key))
    moved, total_figures = rounding.changes()
    if names != state.names:
        rows.forget()  # a funder renamed (the version moved for it): every row that names one is written again
    state.names = names
    stale_keys: set[Any] = (state.touched | moved) if len(rows) else set(groups)
    state.touched = set()
    rows.drop(stale_keys)
    stale = {key: groups[key] for key in stale_keys if key in groups}
    shown = {key: rounding.shown(key) for key in stale}
    known = None
    if at is not None and names is not None:
        refs = {i: {"id": i, "name": name, "acronym": acronym} for i, (name, acronym, _) in names.items()}
        known = {"funder": funders.shown_as(refs, {key[at] for key in stale if key[at] is not None}, {})}
    written = await named_rows(session, q.group_by, stale, shown, known=known)
    # Each row's JSON copied to its own length: orjson's bytes keep the 4 KB buffer they were written in (tracemalloc:
    # 13,800 rows took 54 MB, not their 4.7 MB)
    rows.put(
        [
            (key, row["eur_amount"], memoryview(orjson.dumps(row, default=default)).tobytes())
            for key, row in zip(stale, written, strict=True)
        ]
    )
    total = dict.fromkeys(ROW_FIELDS) | {"transactions": state.total, **total_figures}
    head = b'{"group_by":%s,"transaction_types":%s,"rows":[' % (
        orjson.dumps(q.group_by),
        orjson.dumps(q.transaction_types),
    )
    return rows.joined(head, b'],"total":%s}' % orjson.dumps(total, default=default))
