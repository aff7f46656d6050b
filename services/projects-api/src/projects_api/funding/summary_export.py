"""The funding summary as a file (CSV or XLSX): the rows and total the summary answers, in its order, nothing else.

Columns follow the grouping (a name, and a code where the dimension has one), then the EUR amount, one column per
currency left unconverted (amounts without a rate, never counted in EUR), and the number of transactions. The last
row is the total. Every text cell goes through registry_kit.spreadsheet.safe_cell, so an organisation named
"=HYPERLINK(…)" stays text; numbers are numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from projects_api.funding.summary import SummaryQuery
from registry_kit.spreadsheet import csv_line, safe_cell

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA = "text/csv; charset=utf-8"

# Each dimension's columns: (header, how a row's value shows in it).
_DIMENSION_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "funder": (("funder", "label"), ("funder_id", "id")),
    "country": (("country_code", "code"), ("country", "name")),
    "region": (("region_code", "code"), ("region", "name")),
    "year": (("year", ""),),
    "theme": (("theme_code", "code"), ("theme", "name")),
    "status": (("status", ""),),
    "project": (("project_code", "code"), ("project", "name")),
    "transaction_type": (("transaction_type", ""),),
}


def _currencies(result: dict[str, Any]) -> list[str]:
    return sorted({n["currency"] for n in result["total"]["not_converted"]})


def header(query: SummaryQuery, result: dict[str, Any]) -> list[str]:
    columns = [h for dim in query.group_by for h, _ in _DIMENSION_COLUMNS[dim]]
    return [*columns, "eur_amount", *(f"not_converted_{c}" for c in _currencies(result)), "transactions"]


def _cell(value: Any, field: str) -> Any:
    if value is None:
        return None
    return value.get(field) if field else value


def rows(query: SummaryQuery, result: dict[str, Any]) -> list[list[Any]]:
    """The table: one line per summary row, then the total (its first cell says so)."""
    currencies = _currencies(result)
    width = sum(len(_DIMENSION_COLUMNS[d]) for d in query.group_by)

    def measures(row: dict[str, Any]) -> list[Any]:
        missing = {n["currency"]: Decimal(n["amount"]) for n in row["not_converted"]}
        eur = row["eur_amount"]
        return [None if eur is None else Decimal(eur), *(missing.get(c) for c in currencies), row["transactions"]]

    out = [
        [_cell(row[dim], field) for dim in query.group_by for _, field in _DIMENSION_COLUMNS[dim]] + measures(row)
        for row in result["rows"]
    ]
    total_label: list[Any] = ["Total", *([None] * (width - 1))] if width else []
    out.append(total_label + measures(result["total"]))
    return out


def as_csv(query: SummaryQuery, result: dict[str, Any]) -> bytes:
    """UTF-8 with a BOM (spreadsheets read it right), CRLF lines, amounts as plain decimals."""
    lines = [csv_line(header(query, result)), *(csv_line(r) for r in rows(query, result))]
    return b"\xef\xbb\xbf" + b"".join(lines)


def as_xlsx(query: SummaryQuery, result: dict[str, Any], about: Sequence[tuple[str, str]]) -> bytes:
    """A "summary" sheet (the table; amounts as numbers with two decimals) and an "about" sheet (what was asked)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("summary")
    names = header(query, result)
    sheet.append(names)
    for row in rows(query, result):
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                # openpyxl writes a Decimal's own digits (its stubs only name float): no binary rounding in the file.
                cell = WriteOnlyCell(sheet, value=cast(Any, value))
                cell.number_format = "#,##0.00"
            elif isinstance(value, int) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=value)
            else:
                cell = WriteOnlyCell(sheet, value=safe_cell(value) if value is not None else None)
            cells.append(cell)
        sheet.append(cells)
    info = workbook.create_sheet("about")
    for key, value in about:
        info.append([safe_cell(key), safe_cell(value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def about(query: SummaryQuery, funder_labels: Sequence[str]) -> list[tuple[str, str]]:
    """What the file answers: the grouping and every filter, and the money rule, for whoever opens it later."""
    lines = [
        ("generated_at", datetime.now(UTC).isoformat(timespec="seconds")),
        ("group_by", ", ".join(query.group_by) or "(none)"),
        ("transaction_type", ", ".join(query.transaction_types)),
        ("funder", "; ".join(funder_labels)),
        ("country", ", ".join(query.countries)),
        ("region", ", ".join(query.regions)),
        ("theme", ", ".join(query.themes)),
        ("status", ", ".join(query.statuses)),
        ("project", ", ".join(str(p) for p in query.projects)),
        ("year_from", "" if query.year_from is None else str(query.year_from)),
        ("year_to", "" if query.year_to is None else str(query.year_to)),
        (
            "rule",
            "EUR at the rate stored with each amount (legal peg, ECB reference rate or an admin's rate); amounts "
            "without a rate are in the not_converted columns, never in EUR. A country gets the project's country "
            "percentage of each amount and a theme an equal share, so the rows add up to the total.",
        ),
    ]
    return [(k, v) for k, v in lines if v or k in ("group_by", "transaction_type", "rule", "generated_at")]
