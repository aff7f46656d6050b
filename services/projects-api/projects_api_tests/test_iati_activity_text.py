"""The export writes each activity as text (activity_text.py) for speed; lxml is the reference: for any project and
results, the text must be the very bytes lxml serialises for activity_xml's element (pretty-printed, UTF-8),
including escaping in text and attributes, empty elements, languages and every optional part; and a string lxml
refuses (a control character) is refused too."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from projects_api.iati import activity_text, activity_xml, codes

# Ordinary text plus every character lxml escapes or treats specially (&, <, >, quotes, tab, newline, return).
TEXT = st.text(
    st.sampled_from(list("&<>\"'\t\n\r]") + ["é", "Ж", "ə", " "])
    | st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=12,
)
LANG = st.sampled_from(["en", "fr", "ru", "cs", "ro"])
DAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
AMOUNT = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False).map(str)
MAYBE_TEXT = st.none() | TEXT
TEXTS = st.none() | st.dictionaries(LANG, TEXT, max_size=3)


def _org() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"ref": MAYBE_TEXT, "type": st.none() | st.sampled_from(["10", "40"]), "name": TEXT})


def _row(with_period: bool) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "period": st.just("quarter") if with_period else st.none(),
            "start": st.none() | DAY.map(str),
            "end": st.none() | DAY.map(str),
            "value": st.none() | AMOUNT,
            "disaggregation": st.dictionaries(st.sampled_from(["sex", "age"]), TEXT, max_size=2),
            "text": MAYBE_TEXT,
            "comment": MAYBE_TEXT,
        }
    )


ROWS = st.lists(st.booleans().flatmap(_row), max_size=4)
INDICATOR = st.fixed_dictionaries(
    {
        "measure": st.sampled_from(sorted(codes.MEASURE)),
        "direction": st.sampled_from(["increase", "decrease"]),
        "name": TEXT,
        "names": TEXTS,
        "language": LANG,
        "definition": MAYBE_TEXT,
        "definitions": TEXTS,
        "code": TEXT,
        "baseline": st.none()
        | st.fixed_dictionaries({"value": st.none() | AMOUNT, "date": st.none() | DAY.map(str), "note": MAYBE_TEXT}),
        "targets": ROWS.map(lambda rows: [r | {"value": r["value"] or "1"} for r in rows]),
        "actuals": ROWS,
    }
)
RESULT = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(sorted(codes.RESULT_TYPE)),
        "title": TEXT,
        "titles": TEXTS,
        "language": LANG,
        "description": MAYBE_TEXT,
        "descriptions": TEXTS,
        "indicators": st.lists(INDICATOR, max_size=2),
    }
)
PROJECT = st.fixed_dictionaries(
    {
        "language": LANG,
        "last_updated": st.none() | st.datetimes(timezones=st.just(UTC)),
        "code": TEXT,
        "reporting_org": _org(),
        "title": MAYBE_TEXT,
        "titles": TEXTS,
        "description": MAYBE_TEXT,
        "descriptions": TEXTS,
        "participants": st.lists(
            st.fixed_dictionaries({"role": st.sampled_from([*codes.ROLE, "beneficiary"]), "org": _org()}), max_size=3
        ),
        "status": st.sampled_from(sorted(codes.STATUS)),
        **{name: st.none() | DAY for name, _ in codes.DATE_TYPES},
        "countries": st.lists(st.fixed_dictionaries({"code": TEXT, "percentage": AMOUNT}), max_size=2),
        "locations": st.lists(
            st.fixed_dictionaries(
                {
                    "country": TEXT,
                    "name": TEXT,
                    "description": MAYBE_TEXT,
                    "latitude": st.none() | st.just("42.5"),
                    "longitude": st.none() | st.just("-1.25"),
                }
            ),
            max_size=2,
        ),
        "sectors": st.lists(st.fixed_dictionaries({"code": TEXT, "percentage": AMOUNT}), max_size=2),
        "budgets": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(sorted(codes.BUDGET_TYPE)),
                    "status": st.sampled_from(sorted(codes.BUDGET_STATUS)),
                    "start": DAY.map(str),
                    "end": DAY.map(str),
                    "amount": AMOUNT,
                    "currency": st.sampled_from(["EUR", "GEL"]),
                    "value_date": DAY.map(str),
                }
            ).filter(lambda b: b["start"] <= b["end"]),
            max_size=2,
        ),
        "transactions": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(sorted(codes.TRANSACTION)),
                    "date": DAY.map(str),
                    "amount": AMOUNT,
                    "currency": st.sampled_from(["EUR", "USD"]),
                    "value_date": DAY.map(str),
                    "description": MAYBE_TEXT,
                    "provider": st.none() | _org(),
                    "receiver": st.none() | _org(),
                }
            ),
            max_size=3,
        ),
    }
)


def _lxml(project: dict[str, Any], results: list[dict[str, Any]]) -> bytes:
    element = activity_xml.activity(project, results)
    return etree.tostring(element, encoding="UTF-8", pretty_print=True, xml_declaration=False)


@settings(max_examples=300, deadline=None)
@given(PROJECT, st.lists(RESULT, max_size=2))
def test_the_text_is_the_bytes_lxml_writes_for_the_same_activity(
    project: dict[str, Any], results: list[dict[str, Any]]
) -> None:
    assert activity_text.activity(project, results).encode() == _lxml(project, results)


@pytest.mark.parametrize("bad", ["\x00", "\x01", "a\x0bb", "\x1f"])
def test_a_control_character_is_refused_as_lxml_refuses_it(bad: str) -> None:
    project = {
        "language": "en",
        "last_updated": datetime(2026, 1, 1, tzinfo=UTC),
        "code": f"XM-{bad}",
        "reporting_org": {"ref": "XM-DAC-47066", "type": "40", "name": "IOM"},
        "title": "T",
        "titles": None,
        "description": None,
        "descriptions": None,
        "participants": [],
        "status": "implementation",
        "planned_start": date(2026, 1, 1),
        **{name: None for name, _ in codes.DATE_TYPES[1:]},
        "countries": [],
        "locations": [],
        "sectors": [],
        "budgets": [],
        "transactions": [],
    }
    with pytest.raises(ValueError, match="XML compatible"):
        _lxml(project, [])
    with pytest.raises(ValueError, match="XML compatible"):
        activity_text.activity(project, [])
