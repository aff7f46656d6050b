"""Exports that are safe to open in a spreadsheet: no cell is ever run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

# A cell starting with one of these is a formula (or DDE) to Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> str:
    """Text for one cell; a leading formula character is neutralised with an apostrophe (OWASP CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | float):
        return str(value)  # numbers are data, even negative ones
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_line(cells: Iterable[object]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(c) for c in cells])
    return buffer.getvalue().encode()


async def stream_csv(
    header: Sequence[str], rows: AsyncIterable[Sequence[object]], *, bom: bool = True
) -> AsyncIterator[bytes]:
    """A CSV download produced row by row (flat memory), with a BOM so spreadsheets read it as UTF-8. The header
    goes out with the first rows, so the first chunk exists only once the query has answered
    (registry_kit.streaming: a query that fails to start is an error response, not a file cut short)."""
    batch: list[bytes] = [(b"\xef\xbb\xbf" if bom else b"") + csv_line(header)]
    async for row in rows:
        batch.append(csv_line(row))
        if len(batch) >= 500:
            yield b"".join(batch)
            batch.clear()
    if batch:
        yield b"".join(batch)
