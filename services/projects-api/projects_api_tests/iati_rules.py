"""The IATI rules the schema cannot check, written from the IATI Standard's rulesets and guidance, independently of
the export code: every check reads the document as XML."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from lxml import etree

from projects_api.iati.standard import codelist

CODES = {  # (element path relative to an activity, attribute, codelist)
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("reporting-org", "type", "OrganisationType"),
    ("recipient-country", "code", "Country"),
    ("sector", "vocabulary", "SectorVocabulary"),
    ("description", "type", "DescriptionType"),
    ("budget", "type", "BudgetType"),
    ("budget", "status", "BudgetStatus"),
    ("budget/value", "currency", "Currency"),
    ("transaction/transaction-type", "code", "TransactionType"),
    ("transaction/value", "currency", "Currency"),
    ("transaction/provider-org", "type", "OrganisationType"),
    ("transaction/receiver-org", "type", "OrganisationType"),
    ("result", "type", "ResultType"),
    ("result/indicator", "measure", "IndicatorMeasure"),
    ("result/indicator/reference", "vocabulary", "IndicatorVocabulary"),
}


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def activity_problems(activity: etree._Element, today: date) -> list[str]:
    """Every rule this activity breaks, as readable lines (empty when none)."""
    problems: list[str] = []
    ident = activity.findtext("iati-identifier") or ""
    reporting = activity.find("reporting-org")
    ref = reporting.get("ref", "") if reporting is not None else ""
    if not ident.startswith(ref + "-"):
        problems.append(f"{ident}: identifier not prefixed by the reporting org {ref}")
    by_vocab: dict[str, Decimal] = defaultdict(Decimal)
    for s in activity.findall("sector"):
        by_vocab[s.get("vocabulary", "1")] += Decimal(s.get("percentage", "100"))
    for vocab, total in by_vocab.items():
        if total != 100:
            problems.append(f"{ident}: sector percentages of vocabulary {vocab} total {total}")
    geo = [Decimal(e.get("percentage", "0")) for e in activity.findall("recipient-country")]
    geo += [Decimal(e.get("percentage", "0")) for e in activity.findall("recipient-region")]
    if geo and sum(geo) != 100:
        problems.append(f"{ident}: country and region percentages total {sum(geo)}")
    dates = {d.get("type"): _day(d.get("iso-date", "")) for d in activity.findall("activity-date")}
    for start, end in (("1", "3"), ("2", "4")):
        if start in dates and end in dates and dates[start] > dates[end]:
            problems.append(f"{ident}: activity-date {start} after {end}")
    for kind in ("2", "4"):
        if kind in dates and dates[kind] > today:
            problems.append(f"{ident}: actual date type {kind} in the future")
    for budget in activity.findall("budget"):
        s, e = (
            _day(budget.find("period-start").get("iso-date", "")),
            _day(budget.find("period-end").get("iso-date", "")),
        )  # type: ignore[union-attr]
        if s > e or (e - s).days > 365:
            problems.append(f"{ident}: budget period {s}..{e} is not within one year")
    first = min([dates[k] for k in ("1", "2") if k in dates], default=None)
    last = max([dates[k] for k in ("3", "4") if k in dates], default=None)
    for t in activity.findall("transaction"):
        day = _day(t.find("transaction-date").get("iso-date", ""))  # type: ignore[union-attr]
        if day > today or (first and day < first) or (last and day > last):
            problems.append(f"{ident}: transaction on {day} outside {first}..{last} or in the future")
    for path, attribute, name in CODES:
        for el in activity.findall(path):
            value = el.get(attribute)
            if value is not None and value not in codelist(name):
                problems.append(f"{ident}: {path}/@{attribute}={value} is not in the {name} codelist")
    return problems
