"""IATI activities read into what the registry takes (model.py), with an account of the rest: errors (the
activity is skipped), warnings (taken with a caveat) and notes (every element the registry does not model, named by
its path, e.g. `crs-add`, `result/indicator/baseline/dimension`)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from projects_api.iati import codes
from projects_api.iati.importer.indicators import indicators_of
from projects_api.iati.importer.model import ActivityIn, BudgetIn, LocationIn, OrgIn, TransactionIn
from projects_api.iati.standard import XML_LANG
from projects_api.projects.schemas import CODE_PATTERN
from projects_api.reference.data import ORGANISATION_TYPES, SECTOR_CODES
from projects_api.reference.lookups import is_country, is_currency
from registry_kit.narratives import DEFAULT_LANGUAGE, LANGUAGES

STATUS, ROLE = codes.reverse(codes.STATUS), codes.reverse(codes.ROLE)
TRANSACTION = codes.reverse(codes.TRANSACTION)
BUDGET_TYPE, BUDGET_STATUS = codes.reverse(codes.BUDGET_TYPE), codes.reverse(codes.BUDGET_STATUS)
DATES = {code: name for name, code in codes.DATE_TYPES}
_CODE = re.compile(CODE_PATTERN)
HUNDRED = Decimal(100)


def texts(el: etree._Element | None, language: str) -> dict[str, str]:
    """The narratives of an element by language (the activity's language for those without xml:lang)."""
    out: dict[str, str] = {}
    if el is None:
        return out
    for n in el.findall("narrative"):
        lang = n.get(XML_LANG) or language
        text = (n.text or "").strip()
        if text and lang in LANGUAGES:
            out.setdefault(lang, text)
    return out


def one_text(el: etree._Element | None, language: str) -> str | None:
    held = texts(el, language)
    return held.get(language) or next(iter(held.values()), None)


def day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def number(value: str | None) -> Decimal | None:
    try:
        found = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def _org(el: etree._Element, language: str, a: ActivityIn, where: str) -> OrgIn | None:
    names = texts(el, language)
    name, ref = names.get(language) or next(iter(names.values()), None), (el.get("ref") or "").strip() or None
    if len(names) > 1:
        a.note(f"{where}/narrative (names in other languages: an organisation has one name)")
    if ref and not _CODE.match(ref):
        a.warnings.append(f"{where}: identifier {ref!r} is not usable; matched by name")
        ref = None
    if not name and not ref:
        a.warnings.append(f"line {el.sourceline}: {where} without identifier or name left out")
        return None
    org_type = el.get("type")
    if org_type and org_type not in ORGANISATION_TYPES:
        a.warnings.append(
            f"{where} {name or ref}: organisation type {org_type} is not one the registry uses; 90 (Other)"
        )
        org_type = "90"
    for attr in ("activity-id", "crs-channel-code", "provider-activity-id", "receiver-activity-id"):
        if el.get(attr):
            a.note(f"{where}/@{attr}")
    return OrgIn(ref, name, org_type)


def _language(el: etree._Element, root: etree._Element, a_warnings: list[str]) -> str:
    lang = el.get(XML_LANG) or root.get(XML_LANG) or DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        a_warnings.append(f"language {lang!r} is not an ISO 639-1 code; texts without one are taken as English")
        return DEFAULT_LANGUAGE
    return lang


def _percentages(items: list[tuple[str, Decimal | None]], what: str, a: ActivityIn) -> list[tuple[str, Decimal]]:
    """Shares that total 100, as the registry requires: one without a percentage gets 100, others an equal part;
    shares of what is taken are scaled up to 100 when part of the whole was not taken."""
    if not items:
        return []
    if all(p is None for _, p in items):
        share = (HUNDRED / len(items)).quantize(Decimal("0.01"))
        shares = [share] * len(items)
        shares[-1] += HUNDRED - share * len(items)
        return [(code, s) for (code, _), s in zip(items, shares, strict=True)]
    given = [(code, p or Decimal(0)) for code, p in items]
    total = sum((p for _, p in given), Decimal(0))
    if total <= 0:
        a.errors.append(f"{what} percentages total {total}")
        return []
    if total == HUNDRED:
        return given
    a.warnings.append(f"{what} percentages of what was taken total {total}; scaled to 100")
    scaled = [(code, (p * HUNDRED / total).quantize(Decimal("0.01"))) for code, p in given]
    rest = HUNDRED - sum((p for _, p in scaled), Decimal(0))
    return [*scaled[:-1], (scaled[-1][0], scaled[-1][1] + rest)]


def _value(
    el: etree._Element | None, default_currency: str | None, a: ActivityIn, where: str
) -> tuple[Decimal, str, date] | None:
    if el is None:
        a.warnings.append(f"{where}: no value; left out")
        return None
    amount, currency, value_day = number(el.text), el.get("currency") or default_currency, day(el.get("value-date"))
    if amount is None or amount < 0 or not currency or not is_currency(currency) or value_day is None:
        a.warnings.append(
            f"line {el.sourceline}: {where} value {el.text!r} {currency} on {el.get('value-date')} left out "
            "(a non-negative amount, a known currency and a value date are needed)"
        )
        return None
    return amount.quantize(Decimal("0.01")), currency, value_day


# --- the elements of an activity -------------------------------------------------------------------------------


def _identity(_el: etree._Element, a: ActivityIn) -> None:
    if not (3 <= len(a.identifier) <= 100 and _CODE.match(a.identifier)):
        a.errors.append(
            f"iati-identifier {a.identifier!r} is not usable as a project code (3-100 letters, digits, ._/-)"
        )


def _title(el: etree._Element, a: ActivityIn) -> None:
    a.titles = texts(el, a.language)


def _description(el: etree._Element, a: ActivityIn) -> None:
    kind = el.get("type", "1")
    if kind != "1" or a.descriptions:
        a.note(f"description[@type={kind}]")
        return
    a.descriptions = texts(el, a.language)


def _participant(el: etree._Element, a: ActivityIn) -> None:
    role = ROLE.get(el.get("role", ""))
    org = _org(el, a.language, a, "participating-org")
    if org is None:
        return
    if role is None:
        a.warnings.append(
            f"participating-org {org.name or org.ref}: role {el.get('role')} is not one the registry uses"
        )
        return
    if any(o.key == org.key and r == role for o, r in a.participants):
        return
    a.participants.append((org, role))


def _status(el: etree._Element, a: ActivityIn) -> None:
    a.status = STATUS.get(el.get("code", ""))


def _date(el: etree._Element, a: ActivityIn) -> None:
    name, value = DATES.get(el.get("type", "")), day(el.get("iso-date"))
    if name and value:
        a.dates[name] = value
    if el.find("narrative") is not None:
        a.note("activity-date/narrative")


def _country(el: etree._Element, a: ActivityIn) -> None:
    code = el.get("code", "")
    if not is_country(code):
        a.warnings.append(f"recipient-country {code} is not an ISO 3166 country; left out")
        return
    a.raw_countries.append((code, number(el.get("percentage"))))


def _location(el: etree._Element, a: ActivityIn) -> None:
    name = one_text(el.find("name"), a.language)
    country = next(
        (x.get("code", "") for x in el.findall("administrative") if x.get("vocabulary") == codes.ISO_COUNTRY), None
    )
    if country is None and len(a.raw_countries) == 1:
        country = a.raw_countries[0][0]
    if not name or not country or not is_country(country):
        a.warnings.append(f"line {el.sourceline}: location without a name or a country left out")
        return
    lat = lon = None
    pos = el.findtext("point/pos")
    if pos and len(pos.split()) == 2:
        lat, lon = (number(v) for v in pos.split())
    a.locations.append(LocationIn(country, name, one_text(el.find("description"), a.language), lat, lon))
    for child in el:
        taken = child.tag in ("name", "description", "point") or (
            child.tag == "administrative" and child.get("vocabulary") == codes.ISO_COUNTRY
        )
        if not taken:
            a.note(f"location/{child.tag}")


def _sector(el: etree._Element, a: ActivityIn) -> None:
    vocabulary, code = el.get("vocabulary", "1"), el.get("code", "")
    if vocabulary != codes.DAC_5_DIGIT:
        a.note(f"sector[@vocabulary={vocabulary}]")
    elif code not in SECTOR_CODES:
        a.warnings.append(f"sector {code} is not in the registry's DAC sector list; left out")
    else:
        a.raw_sectors.append((code, number(el.get("percentage"))))


def attr(el: etree._Element, path: str, name: str) -> str | None:
    found = el.find(path)
    return found.get(name) if found is not None else None


def _budget(el: etree._Element, a: ActivityIn, currency: str | None) -> None:
    start, end = day(attr(el, "period-start", "iso-date")), day(attr(el, "period-end", "iso-date"))
    value = _value(el.find("value"), currency, a, "budget")
    if value is None:
        return
    if start is None or end is None or end < start:
        a.warnings.append(f"line {el.sourceline}: budget with period {start}..{end} left out")
        return
    amount, cur, value_day = value
    kind = BUDGET_TYPE.get(el.get("type", "1"), "original")
    status = BUDGET_STATUS.get(el.get("status", "1"), "indicative")
    a.budgets.append(BudgetIn(kind, status, start, end, amount, cur, value_day))


_TRANSACTION_TAKEN = ("transaction-type", "transaction-date", "value", "description", "provider-org", "receiver-org")


def _transaction(el: etree._Element, a: ActivityIn, currency: str | None) -> None:
    code = attr(el, "transaction-type", "code") or ""
    kind, when = TRANSACTION.get(code), day(attr(el, "transaction-date", "iso-date"))
    if kind is None:
        a.warnings.append(
            f"line {el.sourceline}: transaction of type {code} left out (the registry keeps incoming "
            "funds and commitments, commitments, disbursements and expenditure)"
        )
        return
    value = _value(el.find("value"), currency, a, "transaction")
    if value is None or when is None:
        return
    orgs: dict[str, OrgIn | None] = {}
    for tag in ("provider-org", "receiver-org"):
        found = el.find(tag)
        orgs[tag] = _org(found, a.language, a, f"transaction/{tag}") if found is not None else None
    description = one_text(el.find("description"), a.language)
    a.transactions.append(TransactionIn(kind, when, *value, description, orgs["provider-org"], orgs["receiver-org"]))
    for child in el:
        if child.tag not in _TRANSACTION_TAKEN:
            a.note(f"transaction/{child.tag}")
    for name in ("ref", "humanitarian"):
        if el.get(name):
            a.note(f"transaction/@{name}")


Handler = Callable[[etree._Element, ActivityIn], None]
HANDLERS: dict[str, Handler] = {
    "iati-identifier": _identity,
    "title": _title,
    "description": _description,
    "participating-org": _participant,
    "activity-status": _status,
    "activity-date": _date,
    "recipient-country": _country,
    "location": _location,
    "sector": _sector,
}
TAKEN_ATTRIBUTES = {XML_LANG, "default-currency"}


def activity(el: etree._Element, root: etree._Element) -> ActivityIn:
    warnings: list[str] = []
    a = ActivityIn(
        identifier=(el.findtext("iati-identifier") or "").strip(),
        line=int(getattr(el, "sourceline", 0) or 0),
        language=_language(el, root, warnings),
    )
    a.warnings += warnings
    currency = el.get("default-currency") or root.get("default-currency")
    for key in el.attrib:
        name = key.decode() if isinstance(key, bytes) else str(key)
        if name not in TAKEN_ATTRIBUTES:
            a.note(f"iati-activity/@{name}")
    for child in el:
        tag = str(child.tag)
        if tag == "reporting-org":
            a.reporting = _org(child, a.language, a, "reporting-org")
            if child.get("secondary-reporter") == "1":
                a.note("reporting-org/@secondary-reporter")
        elif tag == "budget":
            _budget(child, a, currency)
        elif tag == "transaction":
            _transaction(child, a, currency)
        elif tag == "result":
            a.results.append(result(child, a))
        elif tag in HANDLERS:
            HANDLERS[tag](child, a)
        else:
            a.note(tag)
    a.results = [r for r in a.results if r]
    _finish(a)
    return a


def _finish(a: ActivityIn) -> None:
    a.countries = _percentages(a.raw_countries, "recipient-country", a)
    a.sectors = _percentages(a.raw_sectors, "sector (DAC 5 digit)", a)
    if not a.titles:
        a.errors.append("no title")
    if not a.countries:
        a.errors.append("no recipient-country the registry can take: a project needs at least one country")
    if a.status is None:
        a.errors.append("no activity-status the registry knows")
    if a.reporting is None:
        a.errors.append("no usable reporting-org")
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if start in a.dates and end in a.dates and a.dates[end] < a.dates[start]:
            a.errors.append(f"activity-date: {end} {a.dates[end]} is before {start} {a.dates[start]}")


def result(el: etree._Element, a: ActivityIn) -> dict[str, object]:
    kind = codes.reverse(codes.RESULT_TYPE).get(el.get("type", ""))
    if kind is None:
        a.warnings.append(
            f"line {el.sourceline}: result of type {el.get('type')} (not output, outcome or impact) left out"
        )
        return {}
    titles = texts(el.find("title"), a.language)
    descriptions = texts(el.find("description"), a.language)
    for child in el:
        if child.tag not in ("title", "description", "indicator"):
            a.note(f"result/{child.tag}")
    if el.get("aggregation-status"):
        a.note("result/@aggregation-status")
    title = titles.get(a.language) or next(iter(titles.values()), "Result")
    return {
        "kind": kind,
        "title": title,
        "language": a.language,
        "titles": titles or {a.language: title},
        "description": descriptions.get(a.language),
        "descriptions": descriptions,
        "indicators": indicators_of(el, a),
    }


def code_for(text: str, *, limit: int = 60) -> str:
    """A catalogue or dimension code from free text: lower case, other characters as hyphens."""
    slug = re.sub(r"[^a-z0-9_.+-]+", "-", text.strip().lower()).strip("-") or "x"
    if not slug[0].isalnum():
        slug = "x" + slug
    if len(slug) > limit:
        slug = slug[: limit - 9] + "-" + hashlib.sha1(text.encode()).hexdigest()[:8]  # noqa: S324 (a name)
    return slug
