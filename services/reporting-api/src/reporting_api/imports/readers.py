"""Reading an import file into rows: CSV, XLSX (read-only, zip-bomb limits), JSON and DHIS2 dataValueSets.

Every reader yields `RawRow`s with the row number a person would look for: the spreadsheet row (the header is
row 1) for CSV and XLSX, the 1-based position in the list for JSON and DHIS2.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from registry_kit.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType, ValidationFailed, field_error
from registry_kit.uploads import Spooled

REQUIRED = ("project", "indicator", "period", "value")
OPTIONAL = ("disaggregation", "comment", "numerator", "denominator", "incomplete")
FORMATS = ("csv", "xlsx", "json", "dhis2", "dhis2_csv")


# A DHIS2 import's reader (imports.dhis2): the stream and its format (dhis2 JSON or dhis2_csv) to rows.
Dhis2Reader = Callable[[IO[bytes], str], Iterator["RawRow"]]


@dataclass
class RawRow:
    row: int
    project: str
    indicator: str
    period: str
    value: str
    disaggregation: str | dict[str, Any] = ""
    comment: str = ""
    numerator: str = ""
    denominator: str = ""
    incomplete: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def detect_format(filename: str, declared: str | None, head: bytes) -> str:
    if declared:
        return declared
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx" or head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if suffix == ".json" or head.lstrip()[:1] in (b"{", b"["):
        return "dhis2" if b'"dataValues"' in head else "json"
    if suffix in (".csv", ".txt", ""):
        return "dhis2_csv" if _dhis2_header(head) else "csv"
    raise UnsupportedMediaType(
        f"Cannot tell the format of {filename}: send format=csv, xlsx, json, dhis2 or dhis2_csv."
    )


async def spooled_format(spooled: Spooled, filename: str, declared: str | None) -> str:
    """The format of a spooled upload (`detect_format`); one that cannot be told removes the file (a 415)."""
    try:
        return detect_format(filename, declared, spooled.head)
    except BaseException:
        await spooled.discard()
        raise


def _dhis2_header(head: bytes) -> bool:
    """DHIS2's CSV layout starts with `dataelement` (quoted or not); ours with our column names."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].split(b",", 1)[0]
    return first.strip().strip(b'"').strip().lower() == b"dataelement"


def _header(names: list[str]) -> dict[str, int]:
    columns = {name.strip().lower(): i for i, name in enumerate(names) if name and name.strip()}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        unknown = [n for n in columns if n not in REQUIRED + OPTIONAL]
        hint = f"; unknown columns: {', '.join(unknown)}" if unknown else ""
        raise ValidationFailed(
            f"The file lacks the columns {', '.join(missing)}{hint}.",
            errors=[field_error(f"file.columns.{c}", "required column missing", "missing_column") for c in missing],
        )
    return columns


def _row(number: int, cells: list[Any], columns: dict[str, int]) -> RawRow:
    def cell(name: str) -> str:
        i = columns.get(name)
        if i is None or i >= len(cells) or cells[i] is None:
            return ""
        value = cells[i]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    return RawRow(
        number,
        cell("project"),
        cell("indicator"),
        cell("period"),
        cell("value"),
        cell("disaggregation"),
        cell("comment"),
        cell("numerator"),
        cell("denominator"),
        cell("incomplete"),
    )


def check_zip(path: Path, max_total: int, max_ratio: int, max_members: int = 2000) -> None:
    """Refuse an XLSX that is not a zip, unpacks to too much, or packs members suspiciously tightly."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise BadRequest("The file is not a valid XLSX (not a zip archive).") from exc
    if len(infos) > max_members:
        raise PayloadTooLarge(f"The XLSX holds {len(infos)} parts; at most {max_members} are accepted.")
    total = sum(i.file_size for i in infos)
    if total > max_total:
        raise PayloadTooLarge(f"The XLSX unpacks to {total} bytes; at most {max_total} are accepted.")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > max_ratio and info.file_size > 1_000_000:
            raise PayloadTooLarge(
                f"The XLSX part {info.filename} is compressed {info.file_size // info.compress_size}:1, like a zip bomb."
            )


def read_xlsx(path: Path, max_total: int, max_ratio: int) -> Iterator[RawRow]:
    check_zip(path, max_total, max_ratio)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise BadRequest(f"The XLSX cannot be read: {type(exc).__name__}.") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ValidationFailed("The sheet is empty.", errors=[field_error("file", "no header row", "empty")])
        columns = _header([str(h) if h is not None else "" for h in header])
        for number, cells in enumerate(rows, start=2):
            if not any(c not in (None, "") for c in cells):
                continue
            yield _row(number, list(cells), columns)
    finally:
        workbook.close()


def _load_json(stream: IO[bytes]) -> Any:
    try:
        return json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"The file is not valid JSON: {exc}.") from exc


def read_json(stream: IO[bytes]) -> Iterator[RawRow]:
    body = _load_json(stream)
    items = body.get("values") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise ValidationFailed(
            'Send a list of values, or {"values": [...]}.', errors=[field_error("file.values", "not a list", "type")]
        )
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield RawRow(number, "", "", "", "", extra={"error": "not an object"})
            continue
        yield RawRow(
            number,
            _text(item.get("project")),
            _text(item.get("indicator")),
            _text(item.get("period")),
            _text(item.get("value")),
            item.get("disaggregation") or "",
            _text(item.get("comment")),
            _text(item.get("numerator")),
            _text(item.get("denominator")),
            _text(item.get("incomplete")),
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


# The staging columns of a raw row, as `records_of` yields them (texts as in the file; SQL trims and checks them).
FIELDS = (
    "project",
    "indicator",
    "period",
    "value",
    "disaggregation",
    "comment",
    "numerator",
    "denominator",
    "incomplete",
)
RAW_COLUMNS = ("row_no", *FIELDS, "disagg_json", "error")
RawRecord = tuple[Any, ...]


def csv_records(stream: IO[bytes]) -> tuple[tuple[str, ...], Iterator[RawRecord]]:
    """The CSV's columns present among FIELDS (with row_no first) and its rows as tuples of those cells: the C
    reader and one itemgetter per row, no object per row; the file decoded by io's C text layer."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader, None)
        if header is None:
            raise ValidationFailed("The file is empty.", errors=[field_error("file", "no header row", "empty")])
        if len(header) == 1 and ";" in header[0]:
            reader = csv.reader(text, delimiter=";")
            header = header[0].split(";")
        columns = _header(header)
    except UnicodeDecodeError as exc:
        raise BadRequest(f"The file is not UTF-8 text (byte {exc.start} of a chunk); save it as UTF-8 CSV.") from exc
    except csv.Error as exc:
        raise BadRequest(f"The CSV cannot be read at line {reader.line_num}: {exc}.") from exc
    present = tuple(name for name in FIELDS if name in columns)
    positions = [columns[name] for name in present]
    width = max(positions) + 1
    get = itemgetter(*positions)

    def records() -> Iterator[RawRecord]:
        try:
            for cells in reader:
                if len(cells) < width:
                    if not "".join(cells).strip():
                        continue
                    cells += [""] * (width - len(cells))
                elif not "".join(cells).strip():
                    continue
                yield (reader.line_num, *get(cells))
        except UnicodeDecodeError as exc:
            raise BadRequest(
                f"The file is not UTF-8 text (byte {exc.start} of a chunk); save it as UTF-8 CSV."
            ) from exc
        except csv.Error as exc:
            raise BadRequest(f"The CSV cannot be read at line {reader.line_num}: {exc}.") from exc

    return ("row_no", *present), records()


def _record(raw: RawRow) -> RawRecord:
    disaggregation = raw.disaggregation
    is_json = isinstance(disaggregation, dict)
    error = raw.extra.get("error")
    return (
        raw.row,
        raw.project,
        raw.indicator,
        raw.period,
        raw.value,
        json.dumps(disaggregation) if is_json else disaggregation,
        raw.comment,
        raw.numerator,
        raw.denominator,
        raw.incomplete,
        is_json,
        str(error) if error else None,
    )


def records_of(
    path: Path, file_format: str, max_total: int, max_ratio: int, dhis2: Dhis2Reader | None = None
) -> tuple[tuple[str, ...], Iterator[RawRecord]]:
    """(columns, rows) to COPY into the raw staging table: CSV by the fast path, the other formats row by row."""
    if file_format == "csv":
        stream = path.open("rb")
        try:
            columns, rows = csv_records(io.BufferedReader(stream))
        except BaseException:
            stream.close()
            raise

        def closing() -> Iterator[RawRecord]:
            with stream:
                yield from rows

        return columns, closing()
    return RAW_COLUMNS, (_record(raw) for raw in rows_of(path, file_format, max_total, max_ratio, dhis2))


def rows_of(
    path: Path, file_format: str, max_total: int, max_ratio: int, dhis2: Dhis2Reader | None = None
) -> Iterator[RawRow]:
    if file_format == "xlsx":
        yield from read_xlsx(path, max_total, max_ratio)
        return
    with path.open("rb") as stream:
        buffered = io.BufferedReader(stream)
        if file_format in ("dhis2", "dhis2_csv"):
            if dhis2 is None:
                raise ValueError("a DHIS2 import reads through its mapping (imports.dhis2.Context)")
            yield from dhis2(buffered, file_format)
            return
        yield from read_json(buffered)  # CSV takes csv_records' path
