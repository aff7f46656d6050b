"""One project as an IATI 2.03 `iati-activity` element, its children in the order the schema demands.

What the registry holds and IATI has no place for (activities such as workshops, beneficiary institutions, a
location's administrative area as free text) is left out; README.md lists it.

The rules of what goes in (`why_not_publishable`, `activity_span`, `texts`, `periods`, the number and date forms) are
here once: the streamed export writes the same activity as text (activity_text.py), and this element, which the
tests serialise with lxml, is what that text must equal byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from lxml import etree

from projects_api.iati import budgets, codes
from projects_api.iati.export_repository import decimal, parse_day
from projects_api.iati.standard import XML_LANG

_HYPHENATED = {"iso_date": "iso-date", "value_date": "value-date"}  # IATI's only attributes with a `-` written here


def E(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:  # noqa: N802 (reads like a tag)
    """A child element; attribute names are written with `_` for IATI's `-` (`iso_date` → `iso-date`). The
    renaming is done only where needed: this runs for every element of the whole portfolio's export."""
    if "iso_date" in attrs or "value_date" in attrs:
        attrs = {_HYPHENATED.get(k, k): v for k, v in attrs.items()}
    return etree.SubElement(parent, tag, attrs)


def iso_datetime(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def amount_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def narratives(parent: etree._Element, texts: Mapping[str, str], default: str) -> None:
    """A narrative per language: the default language first and without xml:lang (the activity's own), then the
    others in code order."""
    for lang in sorted(texts, key=lambda code: (code != default, code)):
        n = E(parent, "narrative")
        n.text = texts[lang]
        if lang != default:
            n.set(XML_LANG, lang)


def texts(plain: str | None, many: Mapping[str, str] | None, language: str) -> dict[str, str]:
    held = dict(many or {})
    if plain and language not in held:
        held[language] = plain
    return held


def _org(parent: etree._Element, tag: str, org: Mapping[str, Any], language: str, **attrs: str) -> etree._Element:
    el = E(parent, tag)
    if org.get("ref"):
        el.set("ref", org["ref"])
    if org.get("type"):
        el.set("type", org["type"])
    for key, value in attrs.items():
        el.set(key.replace("_", "-"), value)
    narratives(el, {language: org["name"]}, language)
    return el


def _value(parent: etree._Element, amount: Any, currency: str, value_date: Any) -> None:
    v = E(parent, "value", currency=currency, value_date=str(parse_day(value_date)))
    v.text = amount_text(decimal(amount))


def activity_span(p: Mapping[str, Any]) -> tuple[date | None, date | None]:
    start = parse_day(p.get("actual_start")) or parse_day(p.get("planned_start"))
    end = parse_day(p.get("actual_end")) or parse_day(p.get("planned_end"))
    return start, end


def why_not_publishable(p: Mapping[str, Any]) -> str | None:
    """What keeps a project out of the file (it would make the whole document invalid), or None."""
    org = p.get("reporting_org")
    if not org or not org.get("ref"):
        return "no reporting organisation with an IATI identifier"
    if not any(p.get(name) for name, _ in codes.DATE_TYPES):
        return "no start or end date"
    return None


def activity(p: Mapping[str, Any], results: list[dict[str, Any]]) -> etree._Element:
    language = p["language"]
    el = etree.Element("iati-activity")
    el.set(XML_LANG, language)
    if p.get("last_updated"):
        el.set("last-updated-datetime", iso_datetime(p["last_updated"]))
    E(el, "iati-identifier").text = p["code"]
    org = p["reporting_org"]
    _org(el, "reporting-org", org, language)
    narratives(E(el, "title"), texts(p["title"], p["titles"], language), language)
    descriptions = texts(p["description"], p["descriptions"], language)
    narratives(E(el, "description", type="1"), descriptions or texts(p["title"], p["titles"], language), language)
    _participants(el, p, language)
    E(el, "activity-status", code=codes.STATUS[p["status"]])
    for name, code in codes.DATE_TYPES:
        if p.get(name):
            E(el, "activity-date", type=code, iso_date=str(p[name]))
    for c in p["countries"]:
        E(el, "recipient-country", code=c["code"], percentage=amount_text(decimal(c["percentage"])))
    for loc in p["locations"]:
        _location(el, loc, language)
    for s in p["sectors"]:
        E(el, "sector", vocabulary=codes.DAC_5_DIGIT, code=s["code"], percentage=amount_text(decimal(s["percentage"])))
    for b in p["budgets"]:
        start, end = parse_day(b["start"]), parse_day(b["end"])
        if start is None or end is None:  # the columns are NOT NULL
            continue
        for s, e, share in budgets.split(start, end, decimal(b["amount"])):
            budget = E(el, "budget", type=codes.BUDGET_TYPE[b["type"]], status=codes.BUDGET_STATUS[b["status"]])
            E(budget, "period-start", iso_date=str(s))
            E(budget, "period-end", iso_date=str(e))
            _value(budget, share, b["currency"], b["value_date"])
    for t in p["transactions"]:
        _transaction(el, t, language)
    for r in results:
        _result(el, r, activity_span(p), language)
    return el


def _participants(el: etree._Element, p: Mapping[str, Any], language: str) -> None:
    published = [x for x in p["participants"] if x["role"] in codes.ROLE]
    if not published:  # the schema wants one; the publisher is at least accountable for what it publishes
        published = [{"role": "accountable", "org": p["reporting_org"]}]
    for x in published:
        _org(el, "participating-org", x["org"], language, role=codes.ROLE[x["role"]])


def _location(el: etree._Element, loc: Mapping[str, Any], language: str) -> None:
    node = E(el, "location")
    narratives(E(node, "name"), {language: loc["name"]}, language)
    if loc.get("description"):
        narratives(E(node, "description"), {language: loc["description"]}, language)
    E(node, "administrative", vocabulary=codes.ISO_COUNTRY, level="0", code=loc["country"])
    if loc.get("latitude") is not None and loc.get("longitude") is not None:
        point = E(node, "point", srsName="http://www.opengis.net/def/crs/EPSG/0/4326")
        E(point, "pos").text = f"{decimal(loc['latitude'])} {decimal(loc['longitude'])}"


def _transaction(el: etree._Element, t: Mapping[str, Any], language: str) -> None:
    node = E(el, "transaction")
    E(node, "transaction-type", code=codes.TRANSACTION[t["type"]])
    E(node, "transaction-date", iso_date=str(t["date"]))
    _value(node, t["amount"], t["currency"], t["value_date"])
    if t.get("description"):
        narratives(E(node, "description"), {language: t["description"]}, language)
    for tag in ("provider", "receiver"):
        if t.get(tag):
            _org(node, f"{tag}-org", t[tag], language)


def _dimensions(parent: etree._Element, disaggregation: Mapping[str, str]) -> None:
    for name in sorted(disaggregation):
        E(parent, "dimension", name=name, value=str(disaggregation[name]))


def _result(el: etree._Element, r: Mapping[str, Any], span: tuple[date | None, date | None], language: str) -> None:
    node = E(el, "result", type=codes.RESULT_TYPE[r["kind"]])
    narratives(E(node, "title"), texts(r["title"], r.get("titles"), r["language"]), language)
    if r.get("description"):
        narratives(E(node, "description"), texts(r["description"], r.get("descriptions"), r["language"]), language)
    for ind in r["indicators"]:
        _indicator(node, ind, span, language)


def _indicator(
    result: etree._Element, ind: Mapping[str, Any], span: tuple[date | None, date | None], language: str
) -> None:
    attrs = {"measure": codes.MEASURE[ind["measure"]], "ascending": "1" if ind["direction"] == "increase" else "0"}
    node = E(result, "indicator", **attrs)
    narratives(E(node, "title"), texts(ind["name"], ind.get("names"), ind["language"]), language)
    if ind.get("definition"):
        narratives(E(node, "description"), texts(ind["definition"], ind.get("definitions"), ind["language"]), language)
    E(node, "reference", vocabulary=codes.INDICATOR_REPORTING_ORG, code=ind["code"])
    baseline = ind.get("baseline")
    if baseline and baseline.get("value") is not None and (baseline.get("date") or span[0]):
        day = parse_day(baseline.get("date")) or span[0]
        year = day.year if day else 0
        b = E(node, "baseline", year=str(year), value=amount_text(decimal(baseline["value"])))
        if baseline.get("date"):
            b.set("iso-date", str(baseline["date"]))
        if baseline.get("note"):
            narratives(E(b, "comment"), {language: baseline["note"]}, language)
    for (start, end), targets, actuals in periods(ind, span):
        period = E(node, "period")
        E(period, "period-start", iso_date=str(start))
        E(period, "period-end", iso_date=str(end))
        for t in targets:
            target = E(period, "target", value=amount_text(decimal(t["value"])))
            _dimensions(target, t["disaggregation"])
        for a in actuals:
            actual = E(period, "actual")
            if a.get("value") is not None:
                actual.set("value", amount_text(decimal(a["value"])))
            _dimensions(actual, a["disaggregation"])
            comment = a.get("text") or a.get("comment")
            if comment:
                narratives(E(actual, "comment"), {language: comment}, language)


Period = tuple[tuple[date, date], list[dict[str, Any]], list[dict[str, Any]]]


def periods(ind: Mapping[str, Any], span: tuple[date | None, date | None]) -> list[Period]:
    """Targets and actuals grouped by their period's dates; an overall target takes the activity's whole span.
    Open-ended periods have no place in IATI and are left out."""
    grouped: dict[tuple[date, date], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for kind, rows in ((0, ind.get("targets") or []), (1, ind.get("actuals") or [])):
        for row in rows:
            if row.get("period") is None:
                start, end = span
            else:
                start, end = _parsed_day(row.get("start")), _parsed_day(row.get("end"))
            if start is None or end is None:
                continue
            grouped.setdefault((start, end), ([], []))[kind].append(row)
    key = lambda row: sorted(row["disaggregation"].items())  # noqa: E731 (the total, with no dimension, first)
    return [(span_, sorted(t, key=key), sorted(a, key=key)) for span_, (t, a) in sorted(grouped.items())]


@lru_cache(maxsize=4096)
def _parsed_day(value: Any) -> date | None:
    """A period's dates repeat across a portfolio's indicators: each text parsed once."""
    return parse_day(value)
