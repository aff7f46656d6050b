"""Period codes: every form we accept, normalised to one code with its first and last day; and the period of each
type that holds a day (how time series group values).

Accepted (case-insensitive), DHIS2's period formats and a few ISO/SDMX spellings:

| type | forms | example |
|---|---|---|
| day | `yyyyMMdd`, `yyyy-MM-dd` | `20040315` = 2004-03-15 |
| week (ISO, from Monday) | `yyyyWn`, `yyyy-Wn` | `2004W10` |
| week from Wednesday, Thursday, Saturday, Sunday | `yyyyWedWn`, `yyyyThuWn`, `yyyySatWn`, `yyyySunWn` | `2015WedW5` |
| bi-week (ISO weeks 2n-1 and 2n) | `yyyyBiWn` | `2015BiW1` |
| month | `yyyyMM`, `yyyy-MM`, `yyyy-Mmm` | `200403`, `2004-03` |
| bi-month | `yyyyMMB` | `200401B` = January-February 2004 |
| quarter | `yyyyQn`, `yyyy-Qn` | `2004Q1` |
| six months (semester) | `yyyySn`, `yyyy-Sn` | `2004S1` = January-June 2004 |
| six months from April | `yyyyAprilSn` | `2004AprilS1` = April-September 2004, `S2` = October 2004-March 2005 |
| six months from November | `yyyyNovSn` | `2004NovS1` = November 2003-April 2004, `S2` = May-October 2004 |
| year | `yyyy`, `yyyy-A1` | `2004` |
| financial year from April, July, October, November | `yyyyApril`, `yyyyJuly`, `yyyyOct`, `yyyyNov` | `2004July` = July 2004-June 2005 |
| range | `START/END`, each side a date or any code above; `..` for an open end | `2004/2010`, `2004/..` |

Weeks that start on another day than Monday are numbered like ISO weeks: week 1 is the week that holds 4 January
(at least four of its days are in the new year). In a year of 53 ISO weeks, bi-week 27 is week 53 alone.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
# DHIS2 names its financial-year period types by these spellings; the kind each gets.
FINANCIAL_NAMES = {4: "April", 7: "July", 10: "Oct", 11: "Nov"}
FINANCIAL_KINDS = {4: "financial_april", 7: "financial_july", 10: "financial_october", 11: "financial_november"}
WEEKDAYS = {"wed": 2, "thu": 3, "sat": 5, "sun": 6}  # Monday is 0, as date.weekday() counts
WEEK_KINDS = {0: "week", 2: "week_wednesday", 3: "week_thursday", 5: "week_saturday", 6: "week_sunday"}
WEEK_PREFIX = {2: "Wed", 3: "Thu", 5: "Sat", 6: "Sun"}

_YEAR = r"(?P<y>\d{4})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(f"^{pattern}$", re.IGNORECASE))
    for kind, pattern in (
        ("year", _YEAR),
        ("year", _YEAR + r"-?A1"),
        ("quarter", _YEAR + r"-?Q(?P<n>\d)"),
        ("semester", _YEAR + r"-?S(?P<n>\d)"),
        ("six_month_april", _YEAR + r"April-?S(?P<n>\d)"),
        ("six_month_november", _YEAR + r"Nov-?S(?P<n>\d)"),
        ("bi_month", _YEAR + r"(?P<n>\d{2})B"),
        ("month", _YEAR + r"-?M?(?P<n>\d{2})"),
        ("week", _YEAR + r"-?W(?P<n>\d{1,2})"),
        ("week_named", _YEAR + r"(?P<day>Wed|Thu|Sat|Sun)W(?P<n>\d{1,2})"),
        ("bi_week", _YEAR + r"BiW(?P<n>\d{1,2})"),
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

    def overlaps(self, other: Period) -> bool:
        return (other.end is None or self.start <= other.end) and (self.end is None or other.start <= self.end)

    @property
    def days(self) -> int | None:
        return None if self.end is None else (self.end - self.start).days + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _span(year: int, first_month: int, months: int) -> tuple[date, date]:
    """`months` months from the first day of (year, first_month); first_month may be below 1 (the year before)."""
    year, first_month = _add_months(year, 1, first_month - 1)
    end_year, end_month = _add_months(year, first_month, months - 1)
    return date(year, first_month, 1), _month_end(end_year, end_month)


def first_week_start(year: int, weekday: int) -> date:
    """The first day of week 1 of `year` for weeks starting on `weekday`: the week that holds 4 January."""
    jan4 = date(year, 1, 4)
    return jan4 - timedelta(days=(jan4.weekday() - weekday) % 7)


def weeks_in_year(year: int, weekday: int) -> int:
    return (first_week_start(year + 1, weekday) - first_week_start(year, weekday)).days // 7


def _week(year: int, n: int, weekday: int) -> Period:
    if not 1 <= n <= weeks_in_year(year, weekday):
        name = "ISO week" if weekday == 0 else f"{WEEK_PREFIX[weekday]}W week"
        raise PeriodError(f"{year} has no {name} {n}")
    start = first_week_start(year, weekday) + timedelta(weeks=n - 1)
    code = f"{year}W{n:02d}" if weekday == 0 else f"{year}{WEEK_PREFIX[weekday]}W{n}"
    return Period(code, WEEK_KINDS[weekday], start, start + timedelta(days=6))


def _bi_week(year: int, n: int) -> Period:
    weeks = weeks_in_year(year, 0)
    if not 1 <= n <= (weeks + 1) // 2:
        raise PeriodError(f"{year} has no bi-week {n} (1-{(weeks + 1) // 2})")
    start = first_week_start(year, 0) + timedelta(weeks=2 * (n - 1))
    last = min(2 * n, weeks)  # bi-week 27 of a 53-week year is its last week alone
    end = first_week_start(year, 0) + timedelta(weeks=last) - timedelta(days=1)
    return Period(f"{year}BiW{n}", "bi_week", start, end)


def _single(text: str) -> Period:
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return _build(kind, match)
    raise PeriodError(
        f"'{text}' is not a period code (use e.g. 2009, 2009Q3, 2009S1, 2009AprilS1, 2009-07, 200901B, 2009W27, "
        "2009WedW5, 2009BiW3, 2009July or 2009-07-01/2010-06-30)"
    )


def _numbered(kind: str, year: int, n: int) -> Period:
    """Periods numbered within a year: quarters, semesters (also from April and November), bi-months."""
    limits = {"quarter": 4, "semester": 2, "six_month_april": 2, "six_month_november": 2, "bi_month": 6}
    names = {
        "quarter": "quarter",
        "semester": "semester",
        "six_month_april": "April semester",
        "six_month_november": "November semester",
        "bi_month": "bi-month",
    }
    if not 1 <= n <= limits[kind]:
        raise PeriodError(f"{names[kind]} {n} does not exist (1-{limits[kind]})")
    if kind == "quarter":
        return Period(f"{year}Q{n}", kind, *_span(year, 3 * n - 2, 3))
    if kind == "semester":
        return Period(f"{year}S{n}", kind, *_span(year, 6 * n - 5, 6))
    if kind == "six_month_april":
        return Period(f"{year}AprilS{n}", kind, *_span(year, 6 * n - 2, 6))
    if kind == "six_month_november":  # S1 starts in November of the year before
        return Period(f"{year}NovS{n}", kind, *_span(year, 6 * n - 7, 6))
    return Period(f"{year}{2 * n - 1:02d}B", kind, *_span(year, 2 * n - 1, 2))


def _build(kind: str, match: re.Match[str]) -> Period:
    year = int(match["y"])
    if year < 1900 or year > 2200:
        raise PeriodError(f"the year {year} is out of range (1900-2200)")
    if kind == "year":
        return Period(str(year), kind, date(year, 1, 1), date(year, 12, 31))
    if kind in ("quarter", "semester", "six_month_april", "six_month_november"):
        return _numbered(kind, year, int(match["n"]))
    if kind == "bi_month":
        month = int(match["n"])
        if month not in (1, 3, 5, 7, 9, 11):
            raise PeriodError(f"a bi-month starts in an odd month (01, 03, … 11), not {month:02d}")
        return _numbered(kind, year, (month + 1) // 2)
    if kind == "month":
        n = int(match["n"])
        if not 1 <= n <= 12:
            raise PeriodError(f"month {n} does not exist (01-12)")
        return Period(f"{year}-{n:02d}", kind, *_span(year, n, 1))
    if kind == "week":
        return _week(year, int(match["n"]), 0)
    if kind == "week_named":
        return _week(year, int(match["n"]), WEEKDAYS[match["day"].lower()])
    if kind == "bi_week":
        return _bi_week(year, int(match["n"]))
    if kind == "day":
        try:
            day = date(year, int(match["m"]), int(match["d"]))
        except ValueError as exc:
            raise PeriodError(f"{match.group(0)} is not a date: {exc}") from exc
        return Period(day.isoformat(), kind, day, day)
    first = MONTHS.get(match["name"].lower())
    if first is None:
        raise PeriodError(f"'{match['name']}' is not a month name (financial years are written like 2009July)")
    name = FINANCIAL_NAMES.get(first, calendar.month_name[first])
    return Period(f"{year}{name}", FINANCIAL_KINDS.get(first, "financial_year"), *_span(year, first, 12))


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


# -- the period of each type that holds a day ---------------------------------------------------------------------


def _week_of(day: date, weekday: int) -> Period:
    start = day - timedelta(days=(day.weekday() - weekday) % 7)
    year = (start + timedelta(days=3)).year  # the week belongs to the year of its fourth day
    return _week(year, (start - first_week_start(year, weekday)).days // 7 + 1, weekday)


def _bi_week_of(day: date) -> Period:
    year, week, _ = day.isocalendar()
    return _bi_week(year, (week + 1) // 2)


def _months_of(kind: str, first_month: int, months: int) -> Callable[[date], Period]:
    """Periods of `months` months whose first one starts in `first_month` (1-12) and repeats through the year."""

    def of(day: date) -> Period:
        offset = (day.month - first_month) % 12
        start_year, start_month = _add_months(day.year, day.month, -(offset % months))
        if kind == "year":
            return Period(str(day.year), kind, date(day.year, 1, 1), date(day.year, 12, 31))
        if kind in FINANCIAL_KINDS.values():
            return parse_period(f"{start_year}{FINANCIAL_NAMES[first_month]}")
        if kind == "month":
            return parse_period(f"{start_year}-{start_month:02d}")
        if kind == "bi_month":
            return parse_period(f"{start_year}{start_month:02d}B")
        if kind == "quarter":
            return parse_period(f"{start_year}Q{(start_month + 2) // 3}")
        if kind == "semester":
            return parse_period(f"{start_year}S{1 if start_month == 1 else 2}")
        if kind == "six_month_april":
            return parse_period(f"{start_year}AprilS{1 if start_month == 4 else 2}")
        # six months from November: S1 (November-April) is named by the year it ends in, S2 (May-October) by its own
        return parse_period(f"{start_year + 1}NovS1" if start_month == 11 else f"{start_year}NovS2")

    return of


# Every DHIS2 period type by name, as a type for query parameters and schemas: the keys of PERIOD_TYPES.
PeriodType = Literal[
    "day",
    "week",
    "week_wednesday",
    "week_thursday",
    "week_saturday",
    "week_sunday",
    "bi_week",
    "month",
    "bi_month",
    "quarter",
    "semester",
    "six_month_april",
    "six_month_november",
    "year",
    "financial_april",
    "financial_july",
    "financial_october",
    "financial_november",
]
PERIOD_TYPES: dict[str, Callable[[date], Period]] = {
    "day": lambda day: Period(day.isoformat(), "day", day, day),
    "week": lambda day: _week_of(day, 0),
    "week_wednesday": lambda day: _week_of(day, 2),
    "week_thursday": lambda day: _week_of(day, 3),
    "week_saturday": lambda day: _week_of(day, 5),
    "week_sunday": lambda day: _week_of(day, 6),
    "bi_week": _bi_week_of,
    "month": _months_of("month", 1, 1),
    "bi_month": _months_of("bi_month", 1, 2),
    "quarter": _months_of("quarter", 1, 3),
    "semester": _months_of("semester", 1, 6),
    "six_month_april": _months_of("six_month_april", 4, 6),
    "six_month_november": _months_of("six_month_november", 11, 6),
    "year": _months_of("year", 1, 12),
    "financial_april": _months_of("financial_april", 4, 12),
    "financial_july": _months_of("financial_july", 7, 12),
    "financial_october": _months_of("financial_october", 10, 12),
    "financial_november": _months_of("financial_november", 11, 12),
}
# A project indicator's reporting frequency: one period type, or `once` (any single closed period, e.g. an endline).
FREQUENCIES = (*PERIOD_TYPES, "once")


def period_of(period_type: str, day: date) -> Period:
    """The period of this type that holds the day."""
    return PERIOD_TYPES[period_type](day)


@lru_cache(maxsize=8192)
def bucket(period_type: str, start: date, end: date) -> Period | None:
    """The period of this type that holds the whole of start..end; None when it spans more than one (it is then
    left out of a series of that type, never split). Kept per distinct period: a series has few, however many values
    they hold."""
    try:
        first = period_of(period_type, start)
    except PeriodError:  # e.g. the financial year holding January 1900 began in 1899, outside the range
        return None
    return first if first.end is not None and end <= first.end else None


def fits_frequency(period: Period, frequency: str) -> bool:
    """Whether a report period is one of the frequency's periods (`once`: any closed period)."""
    if frequency == "once":
        return period.end is not None
    if period.end is None:
        return False
    try:
        same = period_of(frequency, period.start)
    except PeriodError:  # that frequency's period holding the day lies partly outside 1900-2200: not one of them
        return False
    return (same.start, same.end) == (period.start, period.end)
