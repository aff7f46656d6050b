"""Rounding that keeps a total: shares rounded so that they add up to their rounded total exactly.

The largest-remainder method (Hamilton's): the total is rounded once (half away from zero, to the quantum: a cent,
a ten-thousandth); each share is rounded down to the quantum; the quanta still missing go, one each, to the shares
that lost the most in rounding down (ties: the larger share first, then the earlier key in sorted order). So every
share is its exact value rounded down or up by less than one quantum, and the shares add up to the rounded total.
Shares are exact (Fractions or Decimals), so the rounding happens once, after the sums: it is a step of its own over
exact group sums, whoever computes them.
"""

from __future__ import annotations

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
