"""Period codes: every accepted form normalised to one code and its dates; bad codes explained."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from reporting_api.periods import Period, PeriodError, is_period, parse_period


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
        ("2009July", "2009July", "financial_year", date(2009, 7, 1), date(2010, 6, 30)),
        ("2009april", "2009April", "financial_year", date(2009, 4, 1), date(2010, 3, 31)),
        ("2009Oct", "2009Oct", "financial_year", date(2009, 10, 1), date(2010, 9, 30)),
        ("2009Nov", "2009Nov", "financial_year", date(2009, 11, 1), date(2010, 10, 31)),
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
