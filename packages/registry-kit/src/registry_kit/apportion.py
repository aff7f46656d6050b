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
    Shares are non-negative."""
    exact = {k: Fraction(v) for k, v in shares.items()}
    q = Fraction(quantum)
    total = round_half_up(sum(exact.values(), Fraction(0)), quantum)
    floors = {k: math.floor(v / q) for k, v in exact.items()}
    missing = int(Fraction(total) / q) - sum(floors.values())
    order = sorted(exact, key=lambda k: (-(exact[k] / q - floors[k]), -exact[k], _sort_key(k)))
    bumped = set(order[: max(missing, 0)])
    rounded = {k: (Decimal(floors[k] + (1 if k in bumped else 0)) * quantum).quantize(quantum) for k in exact}
    return rounded, total


def _sort_key(key: object) -> str:
    return repr(key)
