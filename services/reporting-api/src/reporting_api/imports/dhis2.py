"""DHIS2 data value sets in and DHIS2's import summary out: the JSON body and the CSV layout DHIS2's own clients send
to /api/dataValueSets, translated through the mapping table into the import's rows.

An identifier is looked up in the mapping table by UID (DHIS2's default) or by code (`idScheme=code`, per object type
with `dataElementIdScheme`, `orgUnitIdScheme`, `categoryOptionComboIdScheme`; schemes in the payload win over the
query's). One that is not mapped is taken as it is: a dataElement as an indicator code, an orgUnit as a project code or
id, a categoryOptionCombo as a disaggregation (`sex=f`, or a value code such as `f`); DHIS2's default combinations are
the total.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from registry_kit.errors import BadRequest, ValidationFailed, field_error
from reporting_api.imports.dhis2_mappings import Lookup
from reporting_api.imports.dhis2_schemas import Dhis2Conflict, Dhis2ImportSummary, ImportCount
from reporting_api.imports.readers import RawRow
from reporting_api.imports.schemas import ImportSummary

DEFAULT_COMBOS = {"", "default", "HllvX50cXC0", "bRowv6yZOF2"}
CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
)
SCHEME_KEYS = {
    "dataElement": "dataElementIdScheme",
    "orgUnit": "orgUnitIdScheme",
    "categoryOptionCombo": "categoryOptionComboIdScheme",
}
# Our conflict fields, as DHIS2 names the property at fault.
PROPERTIES = {
    "indicator": "dataElement",
    "project": "orgUnit",
    "disaggregation": "categoryOptionCombo",
    "period": "period",
    "value": "value",
    "numerator": "value",
    "denominator": "value",
    "text_value": "value",
    "row": "dataValue",
}


@dataclass
class Context:
    """One DHIS2 import: the id schemes asked for, the mapping table, and what the payload itself said."""

    schemes: dict[str, str]
    lookup: Lookup
    complete_date: str | None = None
    payload_schemes: dict[str, str] = field(default_factory=dict)

    def scheme(self, kind: str) -> str:
        given = self.payload_schemes.get(SCHEME_KEYS[kind]) or self.payload_schemes.get("idScheme")
        return (given or self.schemes.get(kind) or "uid").lower()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def translate(ctx: Context, row: int, de: str, period: str, ou: str, coc: str, value: str, comment: str) -> RawRow:
    """One DHIS2 data value as the import's row, through the mapping table."""
    indicator, project, error = de, ou, None
    mapped = ctx.lookup.find("dataElement", de, ctx.scheme("dataElement"))
    if mapped is not None:
        indicator = mapped["indicator"]
    unit = ctx.lookup.find("orgUnit", ou, ctx.scheme("orgUnit"))
    if unit is not None and unit["project"]:
        project = unit["project"]
    elif unit is not None:
        project = ctx.lookup.country_projects.get((unit["country"], indicator), "")
        if not project:
            error = (
                f"orgUnit {ou} is the country {unit['country']}, where not exactly one project has {indicator} "
                "in its results framework: map the orgUnit to a project"
            )
    disaggregation: str | dict[str, Any] = "" if coc in DEFAULT_COMBOS else coc
    combo = ctx.lookup.find("categoryOptionCombo", coc, ctx.scheme("categoryOptionCombo")) if coc else None
    if combo is not None:
        disaggregation = combo["disaggregation"] or ""
    extra = {"error": error} if error else {}
    return RawRow(row, project, indicator, period, value, disaggregation, comment, extra=extra)


def read_json(stream: IO[bytes], ctx: Context) -> Iterator[RawRow]:
    """A dataValueSet: `period`, `orgUnit` and `completeDate` at the top apply to every value that lacks them."""
    try:
        body = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict) or not isinstance(body.get("dataValues"), list):
        raise ValidationFailed(
            "A DHIS2 data value set has a dataValues list.",
            errors=[field_error("body.dataValues", "missing", "missing")],
        )
    ctx.payload_schemes = {k: _text(body.get(k)) for k in ("idScheme", *SCHEME_KEYS.values()) if body.get(k)}
    ctx.complete_date = _text(body.get("completeDate")) or None
    period, unit = _text(body.get("period")), _text(body.get("orgUnit"))
    for number, item in enumerate(body["dataValues"], start=1):
        if not isinstance(item, dict):
            yield RawRow(number, "", "", "", "", extra={"error": "a data value is an object"})
            continue
        yield translate(
            ctx,
            number,
            _text(item.get("dataElement")),
            _text(item.get("period")) or period,
            _text(item.get("orgUnit")) or unit,
            _text(item.get("categoryOptionCombo")),
            _text(item.get("value")),
            _text(item.get("comment")),
        )


def read_csv(stream: IO[bytes], ctx: Context) -> Iterator[RawRow]:
    """DHIS2's CSV: columns by position (CSV_COLUMNS), the first row a header that is skipped."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(text)
    try:
        next(reader, None)
        for cells in reader:
            if not "".join(cells).strip():
                continue
            cells = [c.strip() for c in cells] + [""] * (len(CSV_COLUMNS) - len(cells))
            yield translate(ctx, reader.line_num, cells[0], cells[1], cells[2], cells[3], cells[5], cells[8])
    except UnicodeDecodeError as exc:
        raise BadRequest("The CSV is not UTF-8 text; save it as UTF-8.") from exc
    except csv.Error as exc:
        raise BadRequest(f"The CSV cannot be read at line {reader.line_num}: {exc}.") from exc


def reader(ctx: Context) -> Callable[[IO[bytes], str], Iterator[RawRow]]:
    """The rows of a DHIS2 body or file, as readers.rows_of asks for them."""

    def read(stream: IO[bytes], file_format: str) -> Iterator[RawRow]:
        return read_csv(stream, ctx) if file_format == "dhis2_csv" else read_json(stream, ctx)

    return read


def index_of(row: int, file_format: str) -> int:
    """DHIS2's 0-based index of a data value: its place in dataValues, or its line below the CSV header."""
    return row - 2 if file_format == "dhis2_csv" else row - 1


def summary(
    ours: ImportSummary, file_format: str, complete_date: str | None, not_completed: list[str]
) -> Dhis2ImportSummary:
    """DHIS2's importSummary of what the import did: ERROR with its conflicts (nothing was applied), WARNING when
    values were ignored or a report could not be completed, else SUCCESS."""
    conflicts = [
        Dhis2Conflict(
            object=f"dataValues[{index_of(c.row, file_format)}]" if file_format != "dhis2_csv" else f"line {c.row}",
            value=c.message,
            property=PROPERTIES.get(c.field, c.field),
            indexes=[index_of(c.row, file_format)],
        )
        for c in ours.conflicts
    ]
    conflicts += [
        Dhis2Conflict(object="completeDate", value=m, property="completeDate", indexes=[]) for m in not_completed
    ]
    if ours.status == "conflicts":
        status, description = "ERROR", f"{ours.conflict_count} conflicts: nothing was imported"
        count = ImportCount(imported=0, updated=0, ignored=ours.rows, deleted=0)
    else:
        status = "WARNING" if ours.ignored or not_completed else "SUCCESS"
        description = "Dry run: nothing was saved" if ours.dry_run else "Import process completed successfully"
        count = ImportCount(imported=ours.imported, updated=ours.updated, ignored=ours.ignored, deleted=ours.deleted)
    completed = (
        complete_date if complete_date and not not_completed and not ours.dry_run and status != "ERROR" else None
    )
    return Dhis2ImportSummary(
        status=status,
        description=description,
        importCount=count,
        conflicts=conflicts,
        rejectedIndexes=sorted({i for c in conflicts for i in c.indexes}),
        dataSetComplete=completed or "false",
    )
