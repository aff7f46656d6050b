"""The indicators of an IATI result as reporting-api's IATI bodies: the catalogue code from a reference in the
reporting organisation's vocabulary (99) or made from the title, baselines, targets and actuals per period with
their dimensions."""

from __future__ import annotations

from typing import Any

from lxml import etree

from projects_api.iati import codes
from projects_api.iati.importer.model import ActivityIn

_TAKEN = ("title", "description", "reference", "baseline", "period")


def _dimensions(el: etree._Element, a: ActivityIn, where: str) -> dict[str, str]:
    from projects_api.iati.importer.parse import code_for

    out: dict[str, str] = {}
    for d in el.findall("dimension"):
        name, value = d.get("name"), d.get("value")
        if name and value:
            out[code_for(name, limit=40)] = code_for(value)
    for child in el:
        if child.tag not in ("dimension", "comment"):
            a.note(f"{where}/{child.tag}")
    return out


def _code(el: etree._Element, title: str, a: ActivityIn) -> str:
    from projects_api.iati.importer.parse import code_for

    code = None
    for ref in el.findall("reference"):
        if ref.get("vocabulary") == codes.INDICATOR_REPORTING_ORG and ref.get("code") and code is None:
            code = code_for(ref.get("code", ""))
        else:
            a.note(f"result/indicator/reference[@vocabulary={ref.get('vocabulary')}]")
    return code or code_for(f"iati-{title}")


def _baseline(el: etree._Element, a: ActivityIn) -> dict[str, Any] | None:
    from projects_api.iati.importer.parse import day, number, one_text

    baselines = el.findall("baseline")
    if not baselines:
        return None
    if len(baselines) > 1:
        a.warnings.append(f"line {baselines[1].sourceline}: only the first baseline of an indicator is kept")
    b = baselines[0]
    for child in b:
        if child.tag != "comment":
            a.note(f"result/indicator/baseline/{child.tag}")
    value, on = number(b.get("value")), day(b.get("iso-date"))
    return {
        "value": str(value) if value is not None else None,
        "date": on.isoformat() if on else None,
        "note": one_text(b.find("comment"), a.language),
    }


def _periods(el: etree._Element, a: ActivityIn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from projects_api.iati.importer.parse import attr, day, number, one_text

    targets: list[dict[str, Any]] = []
    actuals: list[dict[str, Any]] = []
    for period in el.findall("period"):
        start, end = day(attr(period, "period-start", "iso-date")), day(attr(period, "period-end", "iso-date"))
        if start is None or end is None or end < start:
            a.warnings.append(f"line {period.sourceline}: an indicator period {start}..{end} left out")
            continue
        span = {"period": f"{start}/{end}", "start": start.isoformat(), "end": end.isoformat()}
        for t in period.findall("target"):
            value = number(t.get("value"))
            if t.find("comment") is not None:
                a.note("result/indicator/period/target/comment")
            if value is not None:
                dims = _dimensions(t, a, "result/indicator/period/target")
                targets.append({**span, "disaggregation": dims, "value": str(value)})
        for x in period.findall("actual"):
            value = number(x.get("value"))
            dims = _dimensions(x, a, "result/indicator/period/actual")
            comment = one_text(x.find("comment"), a.language)
            actuals.append(
                {**span, "disaggregation": dims, "value": str(value) if value is not None else None, "comment": comment}
            )
    return targets, actuals


def indicators_of(result: etree._Element, a: ActivityIn) -> list[dict[str, Any]]:
    from projects_api.iati.importer.parse import texts

    out: list[dict[str, Any]] = []
    for el in result.findall("indicator"):
        names, definitions = texts(el.find("title"), a.language), texts(el.find("description"), a.language)
        name = names.get(a.language) or next(iter(names.values()), "Indicator")
        for child in el:
            if child.tag not in _TAKEN:
                a.note(f"result/indicator/{child.tag}")
        if el.get("aggregation-status"):
            a.note("result/indicator/@aggregation-status")
        targets, actuals = _periods(el, a)
        out.append(
            {
                "code": _code(el, name, a),
                "name": name,
                "language": a.language,
                "names": names or {a.language: name},
                "definition": definitions.get(a.language),
                "definitions": definitions,
                "measure": codes.MEASURE_IN.get(el.get("measure", "1"), "number"),
                "direction": "decrease" if el.get("ascending") == "0" else "increase",
                "baseline": _baseline(el, a),
                "targets": targets,
                "actuals": actuals,
            }
        )
    return out
