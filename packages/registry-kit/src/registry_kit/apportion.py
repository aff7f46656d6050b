"""Rounding that keeps a total: shares rounded so that they add up to their rounded total exactly.

The largest-remainder method (Hamilton's): the total is rounded once (half away from zero, to the quantum: a cent,
a ten-thousandth); each share is rounded down to the quantum; the quanta still missing go, one each, to the shares
that lost the most in rounding down (ties: the larger share first, then the earlier key in sorted order). So every
share is its exact value rounded down or up by less than one quantum, and the shares add up to the rounded total.
Shares are exact (Fractions or Decimals), so the rounding happens once, after the sums: it is a step of its own over
exact group sums, whoever computes them.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def round_half_up(value: Fraction, quantum: Decimal) -> Decimal:
    """`value` to the nearest multiple of `quantum`, halves away from zero (as money is rounded)."""
    steps = value / Fraction(quantum)
    whole = math.floor(abs(steps) + Fraction(1, 2))
    return (Decimal(whole if steps >= 0 else -whole) * quantum).quantize(quantum)


def apportion(shares: Mapping[K, Fraction | Decimal], quantum: Decimal) -> tuple[dict[K, Decimal], Decimal]:
    """Each share rounded to `quantum` so that they add up to their total rounded to `quantum`; and that total.
    Shares are non-negative.

    In integers (a funding summary rounds thousands of groups at once, and Fraction arithmetic made that seconds):
    every share over one common denominator, so floors, remainders and their order are integer operations; the keys'
    order is asked only where a tie sits on the line between the shares that get a quantum and those that do not."""
    ratios = {k: v.as_integer_ratio() for k, v in shares.items()}
    qn, qd = quantum.as_integer_ratio()
    common = math.lcm(*(d for _, d in ratios.values())) if ratios else 1
    # share / quantum = scaled / unit, with one unit for all shares
    unit = common * qn
    scaled = {k: n * (common // d) * qd for k, (n, d) in ratios.items()}
    whole_total = sum(scaled.values())
    steps = (2 * abs(whole_total) + unit) // (2 * unit)  # the total in quanta, halves away from zero
    steps = steps if whole_total >= 0 else -steps
    floors = {k: x // unit for k, x in scaled.items()}
    missing = steps - sum(floors.values())
    rank = {k: (floors[k] * unit - x, -x) for k, x in scaled.items()}  # largest remainder, then largest share, first
    order = sorted(rank, key=rank.__getitem__)
    if 0 < missing < len(order) and rank[order[missing - 1]] == rank[order[missing]]:
        # a tie on the line between the shares that get a quantum and those that do not: it goes by key
        line = rank[order[missing]]
        lo = missing - 1
        while lo > 0 and rank[order[lo - 1]] == line:
            lo -= 1
        hi = missing
        while hi + 1 < len(order) and rank[order[hi + 1]] == line:
            hi += 1
        order[lo : hi + 1] = sorted(order[lo : hi + 1], key=_sort_key)
    for k in order[: max(missing, 0)]:
        floors[k] += 1
    return {k: _times(floors[k], quantum) for k in shares}, _times(steps, quantum)


def _times(quanta: int, quantum: Decimal) -> Decimal:
    """quanta × quantum, with the quantum's exponent (a power of ten only moves the point)."""
    sign, digits, exponent = quantum.as_tuple()
    if digits == (1,) and not sign and isinstance(exponent, int):
        return Decimal(quanta).scaleb(exponent)
    return (Decimal(quanta) * quantum).quantize(quantum)


def _sort_key(key: object) -> str:
    return repr(key)


class KeptApportionment:
    """`apportion` kept up to date as shares change one by one: a few changes cost a bisection each in the kept order
    (not a sort of every share), so a summary of thousands of groups rounds again in about the time of its changes;
    many changes at once (the first answer) sort once.

    The order is apportion's (largest remainder, then largest share, then key), kept as a sorted list; after
    `changes()`, `value` gives every share's rounded value, exactly what apportion gives for the shares as they are
    now (a property test holds the two together)."""

    def __init__(self, quantum: Decimal) -> None:
        self.quantum = quantum
        self._qn, self._qd = quantum.as_integer_ratio()
        self._common = 1  # every share's denominator divides it (it only grows)
        self._scaled: dict[Hashable, int] = {}  # share / quantum = scaled / unit
        self._entries: list[tuple[int, int, str]] = []  # (remainder rank, -scaled, key's sort text), sorted
        self._placed: dict[Hashable, tuple[int, int, str]] = {}  # each key's entry in _entries
        self._keys: dict[str, Hashable] = {}
        self._pending: set[Hashable] = set()  # keys whose entry is not placed again yet
        self._sum = 0
        self._floors = 0
        # the sort texts of the keys that got a quantum at the last `changes()` (texts: about half of thousands of keys
        # are in it, and a text hashes once, where a key holding UUIDs hashes each of them every time)
        self._bumped: set[str] = set()
        self._changed: set[Hashable] = set()  # the keys set or discarded since
        self._line: int | None = None  # how many got a quantum at the last `changes()` (None: none yet, or reloaded)

    @property
    def _unit(self) -> int:
        return self._common * self._qn

    def load(self, shares: Mapping[K, Fraction | Decimal]) -> None:
        """Start from these shares (one sort, for the first answer), as if each had been put."""
        bumped = {self._keys[t] for t in self._bumped if t in self._keys}
        ratios = {k: v.as_integer_ratio() for k, v in shares.items()}
        self._common = math.lcm(10**20, *(d for _, d in ratios.values()))
        unit, common, qd = self._unit, self._common, self._qd
        self._scaled = {k: n * (common // d) * qd for k, (n, d) in ratios.items()}
        self._sum = sum(self._scaled.values())
        self._floors = sum(x // unit for x in self._scaled.values())
        self._placed = {k: ((x // unit) * unit - x, -x, _sort_key(k)) for k, x in self._scaled.items()}
        self._keys = {e[2]: k for k, e in self._placed.items()}
        self._entries = sorted(self._placed.values())
        self._pending, self._changed, self._line = set(), set(self._scaled) | bumped, None

    def put(self, key: Hashable, value: Fraction | Decimal | None) -> None:
        """The share of `key` is now `value` (None: it has none)."""
        self.discard(key)
        self._changed.add(key)
        if value is None:
            return
        n, d = value.as_integer_ratio()
        if self._common % d:  # room for twenty decimals at once: money's shares rarely need more, so this is rare
            self._rescale(math.lcm(self._common, d, 10**20) // self._common)
        x = n * (self._common // d) * self._qd
        self._scaled[key] = x
        self._sum += x
        self._floors += x // self._unit
        self._pending.add(key)

    def discard(self, key: Hashable) -> None:
        x = self._scaled.pop(key, None)
        if x is None:
            return
        self._changed.add(key)
        self._pending.add(key)
        self._sum -= x
        self._floors -= x // self._unit

    def _rescale(self, factor: int) -> None:
        """A share with a new denominator: every kept number over the larger one (the order does not change)."""
        self._common *= factor
        self._scaled = {k: x * factor for k, x in self._scaled.items()}
        self._sum *= factor
        self._placed = {k: (r * factor, s * factor, t) for k, (r, s, t) in self._placed.items()}
        self._entries = [(r * factor, s * factor, t) for r, s, t in self._entries]

    def _place(self) -> list[tuple[int, int, str]] | None:
        """The pending keys' entries put where they belong: by bisection when they are few (the entries put are
        returned), by one sort if many (None). A pending key's entry is taken out of the bumped ones: `changes` says
        again whether it gets a quantum."""
        unit, pending = self._unit, self._pending
        rebuild = 8 * len(pending) > len(self._placed)
        put = []
        for key in pending:
            old = self._placed.pop(key, None)
            if old is not None:
                del self._keys[old[2]]
                self._bumped.discard(old[2])
                if not rebuild:
                    del self._entries[bisect.bisect_left(self._entries, old)]
            x = self._scaled.get(key)
            if x is not None:
                entry = ((x // unit) * unit - x, -x, _sort_key(key))
                self._placed[key] = entry
                self._keys[entry[2]] = key
                put.append(entry)
                if not rebuild:
                    bisect.insort(self._entries, entry)
        if rebuild:
            self._entries = sorted(self._placed.values())
        self._pending = set()
        return None if rebuild else put

    def __contains__(self, key: Hashable) -> bool:
        return key in self._scaled

    def __len__(self) -> int:
        return len(self._scaled)

    def value(self, key: Hashable) -> Decimal:
        """The rounded share of `key` as of the last `changes()`."""
        return _times(self._scaled[key] // self._unit + (self._placed[key][2] in self._bumped), self.quantum)

    def changes(self) -> tuple[set[Hashable], Decimal]:
        """The keys whose rounded share may differ from the last call's (set, discarded, or a quantum won or lost),
        and the rounded total. After it, `value` gives every share as apportion would."""
        moves = len(self._pending)
        put = self._place()
        unit = self._unit
        steps = (2 * abs(self._sum) + unit) // (2 * unit)
        steps = steps if self._sum >= 0 else -steps
        line, entries, bumped = max(steps - self._floors, 0), self._entries, self._bumped
        changed = self._changed
        if put is None or self._line is None:
            now = {t for _, _, t in entries[:line]}
            changed |= {self._keys[t] for t in now ^ bumped if t in self._keys}
            self._bumped = now
        else:
            # A few changes: the keys put get a quantum by where they now stand; any other key keeps its place but
            # for the few put or taken out before it, so its side of the line can change only if it stands within
            # that many places of the line (or of where the line was): only those are looked at, not every key.
            for entry in put:
                if bisect.bisect_left(entries, entry) < line:
                    bumped.add(entry[2])
            reach = 2 * moves + abs(line - self._line) + 1
            for i in range(max(line - reach, 0), min(line + reach, len(entries))):
                text = entries[i][2]
                if (i < line) != (text in bumped):
                    if i < line:
                        bumped.add(text)
                    else:
                        bumped.discard(text)
                    changed.add(self._keys[text])
        self._line, self._changed = line, set()
        return changed, _times(steps, self.quantum)

    def rounded(self) -> tuple[dict[Hashable, Decimal], Decimal]:
        """Every share rounded, and the rounded total (as apportion answers for the shares as they are now)."""
        _, total = self.changes()
        return {k: self.value(k) for k in self._scaled}, total
