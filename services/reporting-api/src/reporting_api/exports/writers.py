"""Streaming writers: CSV (optionally with an HXL hashtag row), XLSX (write-only, via a temporary file), JSON.
Text that a spreadsheet would run as a formula is neutralised (registry_kit.spreadsheet)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from registry_kit.spreadsheet import safe_cell, stream_csv

COLUMNS = (
    "project_code", "project_id", "indicator", "indicator_name", "period", "period_start", "period_end",
    "disaggregation", "value", "numerator", "denominator", "text_value", "comment", "status", "report_id",
)  # fmt: skip
HXL = (
    "#activity+code", "#activity+id", "#indicator+code", "#indicator+name", "#date+period", "#date+start", "#date+end",
    "#meta+disaggregation", "#indicator+value+num", "#indicator+numerator+num", "#indicator+denominator+num",
    "#indicator+text", "#description", "#status", "#meta+report+id",
)  # fmt: skip
NUMERIC = {"value", "numerator", "denominator"}
CHUNK = 1000


def cell(name: str, value: Any) -> Any:
    """An XLSX cell: numbers stay numbers, text is neutralised so no cell runs as a formula."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float) and name in NUMERIC:
        return value
    return safe_cell(value)


async def csv_stream(rows: AsyncIterator[Sequence[Any]], hxl: bool) -> AsyncIterator[bytes]:
    async def with_hxl() -> AsyncIterator[Sequence[Any]]:
        if hxl:
            yield HXL
        async for row in rows:
            yield row

    async for chunk in stream_csv(COLUMNS, with_hxl()):
        yield chunk


async def json_stream(rows: AsyncIterator[Sequence[Any]]) -> AsyncIterator[bytes]:
    yield b'{"values":['
    first = True
    parts: list[bytes] = []
    async for row in rows:
        item = {name: _json(value) for name, value in zip(COLUMNS, row, strict=True)}
        parts.append((b"" if first else b",") + orjson.dumps(item))
        first = False
        if len(parts) >= CHUNK:
            yield b"".join(parts)
            parts = []
    parts.append(b"]}")
    yield b"".join(parts)


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)


async def xlsx_stream(rows: AsyncIterator[Sequence[Any]], hxl: bool) -> AsyncIterator[bytes]:
    """Write-only workbook (rows go to disk as they come), then the file in chunks."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("values")
    sheet.append(list(COLUMNS))
    if hxl:
        sheet.append(list(HXL))
    async for row in rows:
        sheet.append([cell(name, value) for name, value in zip(COLUMNS, row, strict=True)])
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        path = Path(handle.name)
    try:
        workbook.save(path)
        with path.open("rb") as stream:
            while chunk := stream.read(256 * 1024):
                yield chunk
    finally:
        path.unlink(missing_ok=True)
