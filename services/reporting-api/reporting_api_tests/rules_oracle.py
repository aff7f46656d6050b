"""A plain reference implementation of the aggregation rules (the README's table), for the property tests: no SQL
and none of the service's code. Values are exact fractions; the service shows four decimal places.

A project's values over time: sum adds them, average takes their mean, latest and cumulative the last period's,
maximum the largest. Percentages and ratios carry numerator and denominator: over time and across projects they
combine as sum of numerators / sum of denominators (latest: the last pair; maximum: the largest value). Across
projects: sums, latest values and running totals add up, averages are the mean of the projects' values, maximum the
largest. Across countries only sums are split by the country percentages; anything else counts whole in each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Value:
    project: str
    year: int
    part: int  # quarter (1-4) or semester (1-2) of the year, 0 for a whole year
    months: int  # 3, 6 or 12
    value: Fraction | None  # numbers
    num: Fraction | None = None  # percentages and ratios
    den: Fraction | None = None

    @property
    def order(self) -> tuple[int, int]:
        return self.year, (self.part * self.months) if self.part else 12


def period(v: Value, kind: str) -> str | None:
    """The period of `kind` (year, semester, quarter) that holds the value's period, or None if it spans two."""
    first_month = (v.part - 1) * v.months + 1 if v.part else 1
    if kind == "year":
        return str(v.year)
    if kind == "semester":
        return f"{v.year}S{1 if first_month <= 6 else 2}" if v.months <= 6 else None
    return f"{v.year}Q{(first_month + 2) // 3}" if v.months <= 3 else None


@dataclass(frozen=True)
class Got:
    value: Fraction | None
    num: Fraction | None = None
    den: Fraction | None = None


def over_time(measure: str, rule: str, values: list[Value]) -> Got:
    ordered = sorted(values, key=lambda v: v.order)
    scale = 100 if measure == "percent" else 1
    if measure in ("percent", "ratio"):
        pairs = [Got(v.num / v.den * scale, v.num, v.den) for v in ordered if v.num is not None and v.den]
        if rule in ("latest", "cumulative"):
            return pairs[-1]
        if rule == "maximum":
            best = max(p.value for p in pairs if p.value is not None)
            return [p for p in pairs if p.value == best][-1]
        n, d = sum(p.num for p in pairs if p.num is not None), sum(p.den for p in pairs if p.den is not None)
        return Got(Fraction(n) / d * scale, Fraction(n), Fraction(d))
    numbers = [v.value for v in ordered if v.value is not None]
    if rule == "sum":
        return Got(sum(numbers, Fraction(0)))
    if rule == "average":
        return Got(sum(numbers, Fraction(0)) / len(numbers))
    if rule == "maximum":
        return Got(max(numbers))
    return Got(numbers[-1])


def across(measure: str, rule: str, parts: list[tuple[Got, Fraction]]) -> Got:
    scale = 100 if measure == "percent" else 1
    if rule == "maximum":
        return Got(max(p.value for p, _ in parts if p.value is not None))
    if measure in ("percent", "ratio"):
        n = sum((p.num for p, _ in parts if p.num is not None), Fraction(0))
        d = sum((p.den for p, _ in parts if p.den is not None), Fraction(0))
        return Got(n / d * scale, n, d)
    if rule == "average":
        return Got(sum((p.value for p, _ in parts if p.value is not None), Fraction(0)) / len(parts))
    return Got(sum((p.value * w for p, w in parts if p.value is not None), Fraction(0)))


def series(measure: str, rule: str, values: list[Value], kind: str) -> tuple[dict[str, Got], int]:
    """Points by period (each project's values over time, then across projects) and how many did not fit."""
    buckets: dict[str, dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
    unplaced = 0
    for v in values:
        p = period(v, kind)
        if p is None:
            unplaced += 1
        else:
            buckets[p][v.project].append(v)
    points = {
        p: across(measure, rule, [(over_time(measure, rule, vs), Fraction(1)) for vs in by.values()])
        for p, by in buckets.items()
    }
    return points, unplaced


def rollup(
    measure: str, rule: str, values: list[Value], places: dict[str, dict[str, Decimal]]
) -> tuple[Got, dict[str, Got], bool]:
    """By each project's places (country -> percentage, or theme -> 100): the total, the groups, and whether the
    values were split (only sums of numbers are)."""
    split = rule == "sum" and measure not in ("percent", "ratio")
    by_project: dict[str, list[Value]] = defaultdict(list)
    for v in values:
        by_project[v.project].append(v)
    parts = {p: over_time(measure, rule, vs) for p, vs in by_project.items()}
    total = across(measure, rule, [(g, Fraction(1)) for g in parts.values()])
    members: dict[str, list[tuple[Got, Fraction]]] = defaultdict(list)
    for project, got in parts.items():
        for place, pct in places[project].items():
            members[place].append((got, Fraction(pct) / 100 if split else Fraction(1)))
    return total, {k: across(measure, rule, m) for k, m in members.items()}, split


def shown(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(PLACES, ROUND_HALF_EVEN)
