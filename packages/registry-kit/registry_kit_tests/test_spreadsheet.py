"""Exports cannot smuggle formulas into a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from registry_kit.spreadsheet import safe_cell, stream_csv


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1"])
def test_formula_text_is_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_data_stays_as_it_is() -> None:
    assert safe_cell("IOM Prague") == "IOM Prague"
    assert safe_cell(Decimal("-250.50")) == "-250.50"
    assert safe_cell(-3) == "-3"
    assert safe_cell(None) == ""


@pytest.mark.asyncio(loop_scope="session")
async def test_stream_is_valid_csv_row_by_row() -> None:
    async def rows() -> AsyncIterator[list[object]]:
        for i in range(1200):
            yield [i, f"name, with comma {i}", "=cmd|' /C calc'!A0"]

    chunks = [c async for c in stream_csv(["n", "name", "note"], rows())]
    assert len(chunks) > 2  # streamed in batches, not built whole
    text = b"".join(chunks).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["n", "name", "note"]
    assert parsed[1200] == ["1199", "name, with comma 1199", "'=cmd|' /C calc'!A0"]
