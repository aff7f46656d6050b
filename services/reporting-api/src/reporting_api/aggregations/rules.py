"""The aggregation rule set: how an indicator's approved values combine over time, across disaggregations, across
projects and across places. Every aggregation read (progress, time series, roll-ups) combines values here and
nowhere else, and every answer names the rule that produced it. The README's table states the same rules (a test
holds them together: reporting_api_tests/test_rules_doc.py).

The rules follow DHIS2's aggregation types where they match: `sum` (SUM), `average` (AVERAGE: over time and across
places alike), `latest` (LAST: the last value in time, added up across places), `maximum` (MAX, over both).

- Over time, per project: `sum` adds the periods, `average` takes their mean, `latest` and running totals
  (`cumulative`) the value of the last period, `maximum` the largest.
- Across projects: sums, latest values and running totals add up; averages are the mean of the projects' values
  (each project weighs the same, however many periods it reported); the maximum is the largest.
- Percentages and ratios combine from their numerators and denominators (sum of numerators / sum of denominators),
  never by averaging percentages; `maximum` keeps the largest. A value reported without them cannot be combined
  with another: such a group has no value and says so (`uncombinable`).
- Across places: only additive values (`sum` of numbers and money) are split by the projects' country percentages,
  so the countries (and regions) add up to the total. Every other value cannot be split: it counts whole in each
  country of its project (`attributed_whole`), and the groups do not add up. Themes have no percentages, so every
  value counts whole under each of its project's themes.
- Across disaggregations: each disaggregation combination is a series of its own (the total is the empty one);
  a total is never derived from its parts, which for sums are checked to add up to it when a report is submitted.
- Qualitative values are text: they have no aggregate (422).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

FOUR_PLACES = Decimal("0.0001")
RATIO_MEASURES = ("percent", "ratio")


class NotAggregable(ValueError):
    """The indicator's values have no numeric aggregate (qualitative)."""


@dataclass(frozen=True)
class Rule:
    """How one indicator's values combine: its name and the words the answers and the README use."""

    name: str  # sum, average, latest, maximum, cumulative; ratio-of-sums for percentages and ratios
    measure: str
    over_time: str
    across_projects: str
    across_places: str
    disaggregations: str

    @property
    def ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    @property
    def prorated(self) -> bool:
        """Whether a value may be split by country percentage (only additive ones)."""
        return self.name == "sum" and not self.ratio

    @property
    def over_time_kind(self) -> str:
        return "latest" if self.name == "cumulative" else self.name.removeprefix("ratio-of-")


_PARTS = "each disaggregation combination is its own series; the total is reported, never derived from its parts"
_SUM_PARTS = "the parts must add up to the total (checked on submit); each combination is its own series"
_WHOLE = "not split: counted whole in each country of the project (groups do not add up)"
_SPLIT = "split by the project's country percentages (countries and regions add up to the total)"
_RATIO = "sum of numerators / sum of denominators"
RULES: dict[tuple[str, str], tuple[str, str, str, str]] = {
    # (measure kind, aggregation): (over time, across projects, across places, across disaggregations)
    ("number", "sum"): ("sum of the periods", "sum", _SPLIT, _SUM_PARTS),
    ("number", "average"): (
        "mean of the periods",
        "mean of the projects' values (each project weighs the same)",
        _WHOLE,
        _PARTS,
    ),
    ("number", "latest"): ("value of the last period", "sum of each project's last value", _WHOLE, _PARTS),
    ("number", "cumulative"): (
        "value of the last period (a running total)",
        "sum of each project's last value",
        _WHOLE,
        _PARTS,
    ),
    ("number", "maximum"): ("largest value", "largest value", _WHOLE, _PARTS),
    ("ratio", "sum"): (_RATIO, _RATIO, _WHOLE, _PARTS),
    ("ratio", "average"): (_RATIO + " (the mean weighted by the denominators)", _RATIO, _WHOLE, _PARTS),
    ("ratio", "latest"): ("numerator and denominator of the last period", _RATIO, _WHOLE, _PARTS),
    ("ratio", "cumulative"): ("numerator and denominator of the last period", _RATIO, _WHOLE, _PARTS),
    ("ratio", "maximum"): ("largest value", "largest value", _WHOLE, _PARTS),
}


def rule_for(measure: str, aggregation: str, cumulative: bool) -> Rule:
    """The rule of an indicator; NotAggregable for qualitative ones."""
    if measure == "qualitative":
        raise NotAggregable("qualitative indicators are text and have no aggregate; read their reports")
    kind = "ratio" if measure in RATIO_MEASURES else "number"
    name = "cumulative" if cumulative else aggregation
    over_time, projects, places, parts = RULES[(kind, name)]
    if kind == "ratio" and name in ("sum", "average"):
        name = f"ratio-of-{name}"
    return Rule(name, measure, over_time, projects, places, parts)


@dataclass(frozen=True)
class Observation:
    """An approved value of one project for one period (value, or numerator and denominator)."""

    project_id: uuid.UUID
    start: date
    end: date
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class Part:
    """What one project contributes to a group: a value, or a numerator and denominator (exact)."""

    value: Fraction | None
    numerator: Fraction | None
    denominator: Fraction | None


@dataclass(frozen=True)
class Combined:
    value: Fraction | None
    numerator: Fraction | None
    denominator: Fraction | None
    projects: int
    uncombinable: bool = False  # percentages without numerator and denominator that would need combining

    def rounded(self) -> Decimal | None:
        return None if self.value is None else to_decimal(self.value)


def to_decimal(value: Fraction) -> Decimal:
    """An exact result shown to four decimal places (half to even), the scale values are stored at."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(FOUR_PLACES)


def _exact(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _scale(rule: Rule) -> int:
    return 100 if rule.measure == "percent" else 1


def _observed(rule: Rule, o: Observation) -> Part:
    n, d = _exact(o.numerator), _exact(o.denominator)
    value = _exact(o.value)
    if n is not None and d:
        value = n / d * _scale(rule)
    return Part(value, n, d if d else None)


def _ratio_of(rule: Rule, parts: Sequence[Part]) -> Part:
    if len(parts) == 1:
        return parts[0]
    if any(p.numerator is None or p.denominator is None for p in parts):
        return Part(None, None, None)
    n = sum((p.numerator for p in parts if p.numerator is not None), Fraction(0))
    d = sum((p.denominator for p in parts if p.denominator is not None), Fraction(0))
    return Part(n / d * _scale(rule) if d else None, n, d)


def over_time(rule: Rule, observations: Iterable[Observation]) -> Part | None:
    """One project's periods combined by the rule (None when it reported none)."""
    ordered = sorted(observations, key=lambda o: (o.end, o.start))
    parts = [_observed(rule, o) for o in ordered]
    parts = [p for p in parts if p.value is not None or p.numerator is not None]
    if not parts:
        return None
    kind = rule.over_time_kind
    if kind == "latest":
        return parts[-1]
    if kind == "maximum":
        return max(reversed(parts), key=lambda p: p.value if p.value is not None else Fraction(-1))
    if rule.ratio:
        return _ratio_of(rule, parts)
    values = [p.value for p in parts if p.value is not None]
    total = sum(values, Fraction(0))
    return Part(total if kind == "sum" else total / len(values), None, None)


def across_projects(rule: Rule, parts: Sequence[tuple[Part, Fraction]]) -> Combined:
    """Projects' parts combined by the rule; each with its weight (a country share for additive values, else 1)."""
    present = [(p, w) for p, w in parts if p.value is not None or p.numerator is not None]
    if not present:
        return Combined(None, None, None, len(parts), uncombinable=bool(parts))
    if rule.over_time_kind == "maximum":
        values = [p.value for p, _ in present if p.value is not None]
        return Combined(max(values) if values else None, None, None, len(parts))
    if rule.ratio:
        got = _ratio_of(rule, [p for p, _ in present])
        return Combined(got.value, got.numerator, got.denominator, len(parts), uncombinable=got.value is None)
    weighted = [(p.value, w) for p, w in present if p.value is not None]
    if rule.over_time_kind == "average":
        return Combined(sum((v for v, _ in weighted), Fraction(0)) / len(weighted), None, None, len(parts))
    return Combined(sum((v * w for v, w in weighted), Fraction(0)), None, None, len(parts))


def by_project(observations: Iterable[Observation]) -> dict[uuid.UUID, list[Observation]]:
    out: dict[uuid.UUID, list[Observation]] = defaultdict(list)
    for o in observations:
        out[o.project_id].append(o)
    return out
