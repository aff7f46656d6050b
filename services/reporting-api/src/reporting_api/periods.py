"""Period codes: every form we accept, normalised to one code with its first and last day.

Accepted (case-insensitive): `2009` (year), `2009Q3` / `2009-Q3`, `2009S1` / `2009-S1`, `2009-07` / `200907` /
`2009-M07` / `2009M07` (month), `2009W27` / `2009-W27` (ISO week), `2009-07-15` / `20090715` (day),
`2009-A1` (SDMX year), financial years named by their first month (`2009July` = 2009-07-01 to 2010-06-30,
also `2009April`, `2009Oct`, `2009Nov`, …), and ranges `START/END` where each side is a date or any code
above (`2009-07-01/2010-06-30`, `2004/2010`), with `..` for an open end (`2004/..`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
# DHIS2 names its financial-year period types by these spellings.
FINANCIAL_NAMES = {4: "April", 7: "July", 10: "Oct", 11: "Nov"}

_YEAR = r"(?P<y>\d{4})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(f"^{pattern}$", re.IGNORECASE))
    for kind, pattern in (
        ("year", _YEAR),
        ("year", _YEAR + r"-?A1"),
        ("quarter", _YEAR + r"-?Q(?P<n>\d)"),
        ("semester", _YEAR + r"-?S(?P<n>\d)"),
        ("month", _YEAR + r"-?M?(?P<n>\d{2})"),
        ("week", _YEAR + r"-?W(?P<n>\d{1,2})"),
        ("day", _YEAR + r"-?(?P<m>\d{2})-?(?P<d>\d{2})"),
        ("financial_year", _YEAR + r"(?P<name>[A-Za-z]{3,9})"),
    )
)


class PeriodError(ValueError):
    """The code is not a period we understand; the message says why."""


@dataclass(frozen=True)
class Period:
    code: str
    kind: str
    start: date
    end: date | None  # None: open-ended

    def contains(self, other: Period) -> bool:
        ends_in = self.end is None or (other.end is not None and other.end <= self.end)
        return self.start <= other.start and ends_in

    @property
    def days(self) -> int | None:
        return None if self.end is None else (self.end - self.start).days + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _span(year: int, first_month: int, months: int) -> tuple[date, date]:
    end_year, end_month = _add_months(year, first_month, months - 1)
    return date(year, first_month, 1), _month_end(end_year, end_month)


def _single(text: str) -> Period:
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return _build(kind, match)
    raise PeriodError(
        f"'{text}' is not a period code (use e.g. 2009, 2009Q3, 2009S1, 2009-07, 2009W27, 2009July "
        "or 2009-07-01/2010-06-30)"
    )


def _build(kind: str, match: re.Match[str]) -> Period:
    year = int(match["y"])
    if year < 1900 or year > 2200:
        raise PeriodError(f"the year {year} is out of range (1900-2200)")
    if kind == "year":
        return Period(str(year), kind, date(year, 1, 1), date(year, 12, 31))
    if kind == "quarter":
        n = int(match["n"])
        if not 1 <= n <= 4:
            raise PeriodError(f"quarter {n} does not exist (1-4)")
        return Period(f"{year}Q{n}", kind, *_span(year, 3 * n - 2, 3))
    if kind == "semester":
        n = int(match["n"])
        if not 1 <= n <= 2:
            raise PeriodError(f"semester {n} does not exist (1-2)")
        return Period(f"{year}S{n}", kind, *_span(year, 6 * n - 5, 6))
    if kind == "month":
        n = int(match["n"])
        if not 1 <= n <= 12:
            raise PeriodError(f"month {n} does not exist (01-12)")
        return Period(f"{year}-{n:02d}", kind, *_span(year, n, 1))
    if kind == "week":
        n = int(match["n"])
        try:
            start = date.fromisocalendar(year, n, 1)
        except ValueError as exc:
            raise PeriodError(f"{year} has no ISO week {n}") from exc
        return Period(f"{year}W{n:02d}", kind, start, start + timedelta(days=6))
    if kind == "day":
        try:
            day = date(year, int(match["m"]), int(match["d"]))
        except ValueError as exc:
            raise PeriodError(f"{match.group(0)} is not a date: {exc}") from exc
        return Period(day.isoformat(), kind, day, day)
    month = MONTHS.get(match["name"].lower())
    if month is None:
        raise PeriodError(f"'{match['name']}' is not a month name (financial years are written like 2009July)")
    name = FINANCIAL_NAMES.get(month, calendar.month_name[month])
    return Period(f"{year}{name}", kind, *_span(year, month, 12))


def parse_period(code: str) -> Period:
    """The period a code names; PeriodError with a readable reason when it names none."""
    text = code.strip()
    if not text:
        raise PeriodError("the period is empty")
    if len(text) > 40:
        raise PeriodError("the period code is too long")
    if "/" not in text:
        return _single(text)
    left, _, right = text.partition("/")
    first = _single(left.strip())
    if right.strip() == "..":
        return Period(f"{first.code}/..", "range", first.start, None)
    last = _single(right.strip())
    if last.end is None or last.end < first.start:
        raise PeriodError(f"the range {text} ends before it starts")
    return Period(f"{first.code}/{last.code}", "range", first.start, last.end)


def is_period(code: str) -> bool:
    try:
        parse_period(code)
    except PeriodError:
        return False
    return True
