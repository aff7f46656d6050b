"""One project as the text of its IATI 2.03 `iati-activity` element, written directly: the same bytes lxml writes for
activity_xml.activity's element (pretty-printed, UTF-8), without building the element tree first.

Why: building the tree (one lxml proxy per element, some 350 per activity with results) and then serialising it was
most of the whole portfolio's export time. activity_xml stays the readable reference; the tests hold both to
the same bytes (test_iati_activity_text.py), and the official schema validates the exported documents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from projects_api.iati import budgets, codes
from projects_api.iati.activity_xml import activity_span, amount_text, iso_datetime, periods, texts, why_not_publishable
from projects_api.iati.export_repository import parse_day

# What lxml writes differently from the string itself (escaped), or refuses (control characters, like lxml).
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ACTIVITY_PAD = "  "  # an activity's children; each level below adds two spaces, as lxml's pretty print does


def _refuse(value: str) -> None:
    if _INVALID.search(value):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")


def text(value: str) -> str:
    """Element text as lxml escapes it."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    _refuse(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def attr(value: str) -> str:
    """An attribute's value as lxml escapes it (between double quotes)."""
    if _ATTR_SPECIAL.search(value) is None:
        return value
    _refuse(value)
    for plain, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        value = value.replace(plain, escaped)
    return value.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


# Dates and amounts repeat across activities (quarterly periods, round targets): their text is kept, bounded.
@lru_cache(maxsize=4096)
def _day(value: Any) -> str:
    return str(parse_day(value))


@lru_cache(maxsize=8192)
def _amount(value: Any) -> str:
    return amount_text(Decimal(str(value)))


def _element(out: list[str], pad: str, head: str, tag: str, children: list[str]) -> None:
    """`head` is the start tag without its `>`; an element without children is written empty (`<x/>`)."""
    if children:
        out.append(f"{pad}{head}>\n")
        out += children
        out.append(f"{pad}</{tag}>\n")
    else:
        out.append(f"{pad}{head}/>\n")


def narratives(pad: str, texts: Mapping[str, str | None], default: str) -> list[str]:
    """A narrative per language: the default language first and without xml:lang, then the others in code order."""
    out = []
    for lang in sorted(texts, key=lambda code: (code != default, code)):
        value = texts[lang]
        head = "<narrative" if lang == default else f'<narrative xml:lang="{attr(lang)}"'
        out.append(f"{pad}{head}/>\n" if value is None else f"{pad}{head}>{text(value)}</narrative>\n")
    return out


def _described(out: list[str], pad: str, head: str, tag: str, texts: Mapping[str, str | None], default: str) -> None:
    _element(out, pad, head, tag, narratives(pad + "  ", texts, default))


def _org(out: list[str], pad: str, tag: str, org: Mapping[str, Any], language: str, role: str | None = None) -> None:
    head = f"<{tag}"
    if org.get("ref"):
        head += f' ref="{attr(org["ref"])}"'
    if org.get("type"):
        head += f' type="{attr(org["type"])}"'
    if role is not None:
        head += f' role="{role}"'
    _described(out, pad, head, tag, {language: org["name"]}, language)


def _value(out: list[str], pad: str, amount: str, currency: str, value_date: Any) -> None:
    out.append(f'{pad}<value currency="{attr(currency)}" value-date="{_day(value_date)}">{amount}</value>\n')


def activity(p: Mapping[str, Any], results: list[dict[str, Any]]) -> str:
    """The activity's element as text, ending with a newline (as lxml's pretty print of activity_xml.activity)."""
    language = p["language"]
    pad = _ACTIVITY_PAD
    head = f'<iati-activity xml:lang="{attr(language)}"'
    if p.get("last_updated"):
        head += f' last-updated-datetime="{iso_datetime(p["last_updated"])}"'
    out = [f"{head}>\n", f"{pad}<iati-identifier>{text(p['code'])}</iati-identifier>\n"]
    _org(out, pad, "reporting-org", p["reporting_org"], language)
    titles = texts(p["title"], p["titles"], language)
    _described(out, pad, "<title", "title", titles, language)
    descriptions = texts(p["description"], p["descriptions"], language) or titles
    _described(out, pad, '<description type="1"', "description", descriptions, language)
    published = [x for x in p["participants"] if x["role"] in codes.ROLE]
    if not published:  # the schema wants one; the publisher is at least accountable for what it publishes
        published = [{"role": "accountable", "org": p["reporting_org"]}]
    for x in published:
        _org(out, pad, "participating-org", x["org"], language, role=codes.ROLE[x["role"]])
    out.append(f'{pad}<activity-status code="{codes.STATUS[p["status"]]}"/>\n')
    for name, code in codes.DATE_TYPES:
        if p.get(name):
            out.append(f'{pad}<activity-date type="{code}" iso-date="{attr(str(p[name]))}"/>\n')
    for c in p["countries"]:
        out.append(f'{pad}<recipient-country code="{attr(c["code"])}" percentage="{_amount(c["percentage"])}"/>\n')
    for loc in p["locations"]:
        _location(out, pad, loc, language)
    for s in p["sectors"]:
        out.append(
            f'{pad}<sector vocabulary="{codes.DAC_5_DIGIT}" code="{attr(s["code"])}" '
            f'percentage="{_amount(s["percentage"])}"/>\n'
        )
    for b in p["budgets"]:
        _budget(out, pad, b)
    for t in p["transactions"]:
        _transaction(out, pad, t, language)
    if results:
        span = activity_span(p)
        for r in results:
            _result(out, pad, r, span, language)
    out.append("</iati-activity>\n")
    return "".join(out)


def _budget(out: list[str], pad: str, b: Mapping[str, Any]) -> None:
    start, end = parse_day(b["start"]), parse_day(b["end"])
    if start is None or end is None:  # the columns are NOT NULL
        return
    inner = pad + "  "
    head = f'{pad}<budget type="{codes.BUDGET_TYPE[b["type"]]}" status="{codes.BUDGET_STATUS[b["status"]]}">\n'
    for s, e, share in budgets.split(start, end, Decimal(str(b["amount"]))):
        out.append(head)
        out.append(f'{inner}<period-start iso-date="{s}"/>\n{inner}<period-end iso-date="{e}"/>\n')
        _value(out, inner, amount_text(share), b["currency"], b["value_date"])
        out.append(f"{pad}</budget>\n")


def _location(out: list[str], pad: str, loc: Mapping[str, Any], language: str) -> None:
    inner = pad + "  "
    children: list[str] = []
    _described(children, inner, "<name", "name", {language: loc["name"]}, language)
    if loc.get("description"):
        _described(children, inner, "<description", "description", {language: loc["description"]}, language)
    children.append(
        f'{inner}<administrative vocabulary="{codes.ISO_COUNTRY}" level="0" code="{attr(loc["country"])}"/>\n'
    )
    if loc.get("latitude") is not None and loc.get("longitude") is not None:
        position = f"{Decimal(str(loc['latitude']))} {Decimal(str(loc['longitude']))}"
        children.append(
            f'{inner}<point srsName="http://www.opengis.net/def/crs/EPSG/0/4326">\n'
            f"{inner}  <pos>{text(position)}</pos>\n{inner}</point>\n"
        )
    _element(out, pad, "<location", "location", children)


def _transaction(out: list[str], pad: str, t: Mapping[str, Any], language: str) -> None:
    inner = pad + "  "
    out.append(
        f"{pad}<transaction>\n"
        f'{inner}<transaction-type code="{codes.TRANSACTION[t["type"]]}"/>\n'
        f'{inner}<transaction-date iso-date="{attr(str(t["date"]))}"/>\n'
    )
    _value(out, inner, _amount(t["amount"]), t["currency"], t["value_date"])
    if t.get("description"):
        _described(out, inner, "<description", "description", {language: t["description"]}, language)
    for tag in ("provider", "receiver"):
        if t.get(tag):
            _org(out, inner, f"{tag}-org", t[tag], language)
    out.append(f"{pad}</transaction>\n")


def _dimensions(pad: str, disaggregation: Mapping[str, Any]) -> list[str]:
    return [
        f'{pad}<dimension name="{attr(name)}" value="{attr(str(disaggregation[name]))}"/>\n'
        for name in sorted(disaggregation)
    ]


def _result(out: list[str], pad: str, r: Mapping[str, Any], span: tuple[date | None, date | None], lang: str) -> None:
    inner = pad + "  "
    children: list[str] = []
    _described(children, inner, "<title", "title", texts(r["title"], r.get("titles"), r["language"]), lang)
    if r.get("description"):
        descriptions = texts(r["description"], r.get("descriptions"), r["language"])
        _described(children, inner, "<description", "description", descriptions, lang)
    for ind in r["indicators"]:
        _indicator(children, inner, ind, span, lang)
    _element(out, pad, f'<result type="{codes.RESULT_TYPE[r["kind"]]}"', "result", children)


def _indicator(
    out: list[str], pad: str, ind: Mapping[str, Any], span: tuple[date | None, date | None], language: str
) -> None:
    inner = pad + "  "
    ascending = "1" if ind["direction"] == "increase" else "0"
    head = f'<indicator measure="{codes.MEASURE[ind["measure"]]}" ascending="{ascending}"'
    children: list[str] = []
    _described(children, inner, "<title", "title", texts(ind["name"], ind.get("names"), ind["language"]), language)
    if ind.get("definition"):
        definitions = texts(ind["definition"], ind.get("definitions"), ind["language"])
        _described(children, inner, "<description", "description", definitions, language)
    children.append(f'{inner}<reference vocabulary="{codes.INDICATOR_REPORTING_ORG}" code="{attr(ind["code"])}"/>\n')
    baseline = ind.get("baseline")
    if baseline and baseline.get("value") is not None and (baseline.get("date") or span[0]):
        day = parse_day(baseline.get("date")) or span[0]
        year = day.year if day else 0
        b_head = f'<baseline year="{year}" value="{_amount(baseline["value"])}"'
        if baseline.get("date"):
            b_head += f' iso-date="{attr(str(baseline["date"]))}"'
        comment: list[str] = []
        if baseline.get("note"):
            _described(comment, inner + "  ", "<comment", "comment", {language: baseline["note"]}, language)
        _element(children, inner, b_head, "baseline", comment)
    deeper = inner + "  "
    for (start, end), targets, actuals in periods(ind, span):
        children.append(
            f'{inner}<period>\n{deeper}<period-start iso-date="{start}"/>\n{deeper}<period-end iso-date="{end}"/>\n'
        )
        for t in targets:
            dimensions = _dimensions(deeper + "  ", t["disaggregation"])
            _element(children, deeper, f'<target value="{_amount(t["value"])}"', "target", dimensions)
        for a in actuals:
            a_head = "<actual" if a.get("value") is None else f'<actual value="{_amount(a["value"])}"'
            parts = _dimensions(deeper + "  ", a["disaggregation"])
            note = a.get("text") or a.get("comment")
            if note:
                _described(parts, deeper + "  ", "<comment", "comment", {language: note}, language)
            _element(children, deeper, a_head, "actual", parts)
        children.append(f"{inner}</period>\n")
    _element(out, pad, head, "indicator", children)


__all__ = ["activity", "attr", "narratives", "text", "why_not_publishable"]
