"""Period codes: every accepted form normalised to one code and its dates; bad codes explained."""

from __future__ import annotations

from datetime import date
from typing import get_args

import httpx
import pytest

from reporting_api.periods import (
    FREQUENCIES,
    PERIOD_TYPES,
    Period,
    PeriodError,
    PeriodType,
    bucket,
    fits_frequency,
    is_period,
    parse_period,
    period_of,
)


def test_the_period_type_names_the_api_accepts_are_the_types_there_are() -> None:
    """`period_type` query parameters and indicator frequencies are typed by PeriodType; each must have its rule."""
    assert get_args(PeriodType) == tuple(PERIOD_TYPES)
    assert FREQUENCIES == (*get_args(PeriodType), "once")


@pytest.mark.parametrize(
    ("text", "code", "kind", "start", "end"),
    [
        ("2009", "2009", "year", date(2009, 1, 1), date(2009, 12, 31)),
        ("2009-A1", "2009", "year", date(2009, 1, 1), date(2009, 12, 31)),
        ("2009Q3", "2009Q3", "quarter", date(2009, 7, 1), date(2009, 9, 30)),
        ("2009-Q3", "2009Q3", "quarter", date(2009, 7, 1), date(2009, 9, 30)),
        ("2009q1", "2009Q1", "quarter", date(2009, 1, 1), date(2009, 3, 31)),
        ("2009S1", "2009S1", "semester", date(2009, 1, 1), date(2009, 6, 30)),
        ("2009-S2", "2009S2", "semester", date(2009, 7, 1), date(2009, 12, 31)),
        ("2009-07", "2009-07", "month", date(2009, 7, 1), date(2009, 7, 31)),
        ("200907", "2009-07", "month", date(2009, 7, 1), date(2009, 7, 31)),
        ("2009-M07", "2009-07", "month", date(2009, 7, 1), date(2009, 7, 31)),
        ("2008-02", "2008-02", "month", date(2008, 2, 1), date(2008, 2, 29)),
        ("2009W27", "2009W27", "week", date(2009, 6, 29), date(2009, 7, 5)),
        ("2009-W01", "2009W01", "week", date(2008, 12, 29), date(2009, 1, 4)),
        ("2009W53", "2009W53", "week", date(2009, 12, 28), date(2010, 1, 3)),
        ("2009July", "2009July", "financial_july", date(2009, 7, 1), date(2010, 6, 30)),
        ("2009april", "2009April", "financial_april", date(2009, 4, 1), date(2010, 3, 31)),
        ("2009Oct", "2009Oct", "financial_october", date(2009, 10, 1), date(2010, 9, 30)),
        ("2009Nov", "2009Nov", "financial_november", date(2009, 11, 1), date(2010, 10, 31)),
        # DHIS2's own examples (its Web API period-format table): bi-months, six months from April and November,
        # weeks from other days, bi-weeks
        ("200401B", "200401B", "bi_month", date(2004, 1, 1), date(2004, 2, 29)),
        ("200911b", "200911B", "bi_month", date(2009, 11, 1), date(2009, 12, 31)),
        ("2004AprilS1", "2004AprilS1", "six_month_april", date(2004, 4, 1), date(2004, 9, 30)),
        ("2004AprilS2", "2004AprilS2", "six_month_april", date(2004, 10, 1), date(2005, 3, 31)),
        ("2004NovS1", "2004NovS1", "six_month_november", date(2003, 11, 1), date(2004, 4, 30)),
        ("2004NovS2", "2004NovS2", "six_month_november", date(2004, 5, 1), date(2004, 10, 31)),
        ("2015WedW5", "2015WedW5", "week_wednesday", date(2015, 1, 28), date(2015, 2, 3)),
        ("2015ThuW6", "2015ThuW6", "week_thursday", date(2015, 2, 5), date(2015, 2, 11)),
        ("2015SatW7", "2015SatW7", "week_saturday", date(2015, 2, 14), date(2015, 2, 20)),
        ("2015SunW8", "2015SunW8", "week_sunday", date(2015, 2, 22), date(2015, 2, 28)),
        ("2024SunW1", "2024SunW1", "week_sunday", date(2023, 12, 31), date(2024, 1, 6)),
        ("2015BiW1", "2015BiW1", "bi_week", date(2014, 12, 29), date(2015, 1, 11)),
        ("2015BiW27", "2015BiW27", "bi_week", date(2015, 12, 28), date(2016, 1, 3)),
        ("2009-07-15", "2009-07-15", "day", date(2009, 7, 15), date(2009, 7, 15)),
        ("20090715", "2009-07-15", "day", date(2009, 7, 15), date(2009, 7, 15)),
        ("2009-07-01/2010-06-30", "2009-07-01/2010-06-30", "range", date(2009, 7, 1), date(2010, 6, 30)),
        ("2004/2010", "2004/2010", "range", date(2004, 1, 1), date(2010, 12, 31)),
        ("2009-Q3/2010-Q1", "2009Q3/2010Q1", "range", date(2009, 7, 1), date(2010, 3, 31)),
        ("2004/..", "2004/..", "range", date(2004, 1, 1), None),
        (" 2009Q3 ", "2009Q3", "quarter", date(2009, 7, 1), date(2009, 9, 30)),
    ],
)
def test_forms_are_normalised(text: str, code: str, kind: str, start: date, end: date | None) -> None:
    assert parse_period(text) == Period(code, kind, start, end)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("2009Q5", "quarter 5"),
        ("2009S3", "semester 3"),
        ("2009-13", "month 13"),
        ("2010W53", "no ISO week 53"),
        ("200902B", "odd month"),
        ("2010BiW27", "no bi-week 27"),
        ("2009AprilS3", "April semester 3"),
        ("2010WedW54", "no WedW week 54"),
        ("2009-02-30", "not a date"),
        ("2009Foo", "not a month name"),
        ("Q3 2009", "not a period code"),
        ("1800", "out of range"),
        ("2010/2009", "ends before it starts"),
        ("x" * 50, "too long"),
    ],
)
def test_bad_codes_say_why(text: str, reason: str) -> None:
    with pytest.raises(PeriodError, match=reason):
        parse_period(text)
    assert not is_period(text)


@pytest.mark.parametrize(
    ("period_type", "day", "code"),
    [
        ("day", date(2009, 12, 31), "2009-12-31"),
        ("week", date(2010, 1, 1), "2009W53"),
        ("week_wednesday", date(2009, 12, 31), "2010WedW1"),
        ("week_thursday", date(2009, 12, 31), "2010ThuW1"),
        ("week_saturday", date(2010, 1, 1), "2009SatW52"),
        ("week_sunday", date(2023, 12, 31), "2024SunW1"),
        ("bi_week", date(2010, 1, 3), "2009BiW27"),
        ("bi_week", date(2010, 1, 4), "2010BiW1"),
        ("month", date(2010, 2, 28), "2010-02"),
        ("bi_month", date(2010, 4, 30), "201003B"),
        ("quarter", date(2010, 5, 1), "2010Q2"),
        ("semester", date(2010, 7, 1), "2010S2"),
        ("six_month_april", date(2010, 2, 1), "2009AprilS2"),
        ("six_month_april", date(2010, 4, 1), "2010AprilS1"),
        ("six_month_november", date(2009, 12, 1), "2010NovS1"),
        ("six_month_november", date(2010, 5, 1), "2010NovS2"),
        ("year", date(2010, 5, 1), "2010"),
        ("financial_april", date(2010, 3, 31), "2009April"),
        ("financial_july", date(2010, 7, 1), "2010July"),
        ("financial_october", date(2010, 9, 30), "2009Oct"),
        ("financial_november", date(2010, 11, 1), "2010Nov"),
    ],
)
def test_the_period_of_each_type_that_holds_a_day(period_type: str, day: date, code: str) -> None:
    period = period_of(period_type, day)
    assert period.code == code
    assert parse_period(code) == period  # the code names the same days
    assert period.start <= day <= (period.end or day)


def test_a_value_is_bucketed_only_when_its_period_fits() -> None:
    semester = parse_period("2010S1")
    assert bucket("semester", semester.start, semester.end or semester.start) == semester
    assert bucket("quarter", semester.start, semester.end or semester.start) is None
    assert bucket("year", semester.start, semester.end or semester.start) == parse_period("2010")
    assert fits_frequency(parse_period("2010Q2"), "quarter")
    assert not fits_frequency(parse_period("2010S1"), "quarter")
    assert fits_frequency(parse_period("2010-01-01/2010-03-31"), "quarter")  # the same days as 2010Q1
    assert fits_frequency(parse_period("2004/2010"), "once")
    assert not fits_frequency(parse_period("2004/.."), "once")


def test_containment() -> None:
    year, quarter = parse_period("2009"), parse_period("2009Q3")
    assert year.contains(quarter)
    assert not quarter.contains(year)
    assert parse_period("2004/..").contains(year)
    assert year.days == 365


@pytest.mark.asyncio(loop_scope="session")
async def test_periods_endpoint(client: httpx.AsyncClient) -> None:
    ok = await client.get("/api/reporting/v1/periods/2009-M07")
    assert ok.json() == {"code": "2009-07", "kind": "month", "start": "2009-07-01", "end": "2009-07-31"}
    ranged = await client.get("/api/reporting/v1/periods/2009-07-01/2010-06-30")
    assert ranged.json()["kind"] == "range"
    bad = await client.get("/api/reporting/v1/periods/2009Q7")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "path.code"


@pytest.mark.parametrize("code", ["1900", "1900S1", "1900Q1", "190001", "2200", "2200S2", "2200Q4", "220012"])
def test_periods_at_the_ends_of_the_range_fit_their_own_frequency_and_no_other_raises(code: str) -> None:
    """A financial year or week holding 1 January 1900 starts in 1899: asking whether a period is of that frequency
    answers no instead of failing the whole import (seen by the cluster test)."""
    period = parse_period(code)
    assert period.end is not None
    fitting = {f for f in FREQUENCIES if fits_frequency(period, f)}
    assert "once" in fitting and len(fitting) >= 2  # its own type too
    held = {t: bucket(t, period.start, period.end) for t in PERIOD_TYPES}  # no type raises: out of range is None
    assert any(p is not None and (p.start, p.end) == (period.start, period.end) for p in held.values())
