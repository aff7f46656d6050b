"""Streaming writers: CSV (written by PostgreSQL's COPY, optionally under an HXL hashtag row), XLSX (write-only, via a
temporary file), JSON.
Text that a spreadsheet would run as a formula is neutralised (registry_kit.spreadsheet)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import tempfile
from collections.abc import AsyncIterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import orjson

from registry_kit.raw_reads import Reads, compile_read
from registry_kit.spreadsheet import safe_cell

COLUMNS = (
    "project_code",
    "project_id",
    "indicator",
    "indicator_name",
    "period",
    "period_start",
    "period_end",
    "disaggregation",
    "value",
    "numerator",
    "denominator",
    "text_value",
    "comment",
    "status",
    "report_id",
)
HXL = (
    "#activity+code",
    "#activity+id",
    "#indicator+code",
    "#indicator+name",
    "#date+period",
    "#date+start",
    "#date+end",
    "#meta+disaggregation",
    "#indicator+value+num",
    "#indicator+numerator+num",
    "#indicator+denominator+num",
    "#indicator+text",
    "#description",
    "#status",
    "#meta+report+id",
)
NUMERIC = {"value", "numerator", "denominator"}
CHUNK = 1000
COPY_QUEUE = 16  # chunks of COPY output waiting for the client, at most (each is about 64 KB)
COPY_CHUNK = 256 * 1024


def cell(name: str, value: Any) -> Any:
    """An XLSX cell: numbers stay numbers, text is neutralised so no cell runs as a formula."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float) and name in NUMERIC:
        return value
    return safe_cell(value)


async def csv_copy_stream(reads: Reads, query: Any, hxl: bool, work_mem_mb: int) -> AsyncIterator[bytes]:
    """CSV written by PostgreSQL itself (COPY … TO STDOUT), handed on as it arrives: no Python per row, and memory
    stays flat because a slow client makes the COPY wait (a small queue between the two). The query runs with
    `work_mem_mb` for its sort and hashes (SET LOCAL, in its own transaction): with the default 4 MB, a million
    values were sorted through index probes and merges at about 160,000 values/s; in memory, twice that."""
    head = io.StringIO()
    writer = csv.writer(head, lineterminator="\n")
    writer.writerow(COLUMNS)
    if hxl:
        writer.writerow(HXL)
    # The header waits for the COPY's first chunk (or its end): a COPY that fails to start is an error response,
    # not a file of headers (registry_kit.streaming).
    header = b"\xef\xbb\xbf" + head.getvalue().encode()
    read = compile_read(query, expand_lists=True)
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=COPY_QUEUE)

    async def produce() -> None:
        try:
            async with reads.connection() as conn, conn.transaction():
                await conn.execute(f"SET LOCAL work_mem = '{int(work_mem_mb)}MB'")
                await conn.copy_from_query(read.sql, *read.args({}), output=chunks.put, format="csv")
        finally:
            await chunks.put(None)

    task = asyncio.create_task(produce())
    try:
        buffered: list[bytes] = [header]
        size = len(header)
        while (chunk := await chunks.get()) is not None:
            buffered.append(chunk)
            size += len(chunk)
            if size >= COPY_CHUNK or chunks.empty():
                yield b"".join(buffered)
                buffered, size = [], 0
        await task  # the COPY's error, if it failed (before the last chunk goes: a failed file never looks whole)
        if buffered:
            yield b"".join(buffered)
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


async def json_stream(rows: AsyncIterator[Sequence[Any]]) -> AsyncIterator[bytes]:
    """The opening goes out with the first values (registry_kit.streaming)."""
    first = True
    parts: list[bytes] = [b'{"values":[']
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


def _temporary_xlsx() -> Path:
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        return Path(handle.name)


async def xlsx_stream(rows: AsyncIterator[Sequence[Any]], hxl: bool) -> AsyncIterator[bytes]:
    """Write-only workbook (rows go to disk as they come), then the file in chunks.

    Saving compresses the whole workbook (seconds for a large export) and the reads are file I/O: both run in a
    worker thread, so the event loop goes on serving other requests meanwhile."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("values")
    sheet.append(list(COLUMNS))
    if hxl:
        sheet.append(list(HXL))
    async for row in rows:
        sheet.append([cell(name, value) for name, value in zip(COLUMNS, row, strict=True)])
    path = await asyncio.to_thread(_temporary_xlsx)
    try:
        await asyncio.to_thread(workbook.save, path)
        async with await anyio.open_file(path, "rb") as stream:
            while chunk := await stream.read(256 * 1024):
                yield chunk
    finally:
        # Not awaited: this must run even when the response was cancelled (a client that went away), and a cancelled
        # task's next await would raise before the file is gone. One unlink is a single metadata call.
        path.unlink(missing_ok=True)  # noqa: ASYNC240
