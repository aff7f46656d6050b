"""IATI wants budget periods of at most one year: a longer budget is published as consecutive periods of a year,
its amount shared by days, rounded to the cent by the largest remainder so the parts add up to the whole."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")


def year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def periods(start: date, end: date) -> list[tuple[date, date]]:
    """[start, end] cut into consecutive periods, each at most a year long (the last one may be shorter)."""
    out = []
    cursor = start
    while cursor <= end:
        last = min(end, year_after(cursor) - timedelta(days=1))
        out.append((cursor, last))
        cursor = last + timedelta(days=1)
    return out


def calendar_years(start: date, end: date) -> list[tuple[date, date]]:
    """[start, end] cut at the turn of each calendar year."""
    return [(max(start, date(y, 1, 1)), min(end, date(y, 12, 31))) for y in range(start.year, end.year + 1)]


def split(start: date, end: date, amount: Decimal, by_calendar_year: bool = False) -> list[tuple[date, date, Decimal]]:
    """The budget as periods of at most a year (or calendar years), each with its share of `amount` by days, exact
    to the cent."""
    parts = calendar_years(start, end) if by_calendar_year else periods(start, end)
    if len(parts) == 1:
        return [(start, end, amount)]
    days = [(e - s).days + 1 for s, e in parts]
    total_days = sum(days)
    cents = (amount / CENT).to_integral_value(ROUND_DOWN)
    exact = [cents * d / total_days for d in days]
    floors = [x.to_integral_value(ROUND_DOWN) for x in exact]
    left = int(cents - sum(floors))
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    shares = [f * CENT for f in floors]
    shares[-1] += amount - cents * CENT  # sub-cent rest of an amount with more decimals stays with the last part
    return [(s, e, share) for (s, e), share in zip(parts, shares, strict=True)]
