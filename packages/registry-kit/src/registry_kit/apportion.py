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
    total = (Decimal(steps if whole_total >= 0 else -steps) * quantum).quantize(quantum)
    floors = {k: x // unit for k, x in scaled.items()}
    missing = (steps if whole_total >= 0 else -steps) - sum(floors.values())
    order = sorted(scaled, key=lambda k: (floors[k] * unit - scaled[k], -scaled[k]))  # largest remainder first
    bumped = order[: max(missing, 0)]
    if 0 < missing < len(order):
        line = order[missing - 1]
        rank = (floors[line] * unit - scaled[line], -scaled[line])
        tied = [k for k in order if (floors[k] * unit - scaled[k], -scaled[k]) == rank]
        if len(tied) > 1:  # the tie on the line goes by key
            before = [k for k in bumped if k not in set(tied)]
            bumped = before + sorted(tied, key=_sort_key)[: missing - len(before)]
    for k in bumped:
        floors[k] += 1
    rounded = {k: (Decimal(floors[k]) * quantum).quantize(quantum) for k in shares}
    return rounded, total


def _sort_key(key: object) -> str:
    return repr(key)
