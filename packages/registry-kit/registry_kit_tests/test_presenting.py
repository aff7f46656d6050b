"""from_row: a presenter names only what is not a plain copy of the row; nothing is left silently empty."""

from __future__ import annotations

from dataclasses import dataclass

import pydantic
import pytest

from registry_kit.presenting import from_row


@dataclass
class Row:
    id: int
    period_code: str
    value: int
    internal: str = "not shown"


class Out(pydantic.BaseModel):
    id: int
    period: str
    value: int
    doubled: int
    computed: bool = False


def test_fields_are_copied_by_name_and_the_computed_ones_given() -> None:
    out = from_row(Out, Row(id=7, period_code="2009Q3", value=4), period="2009Q3", doubled=8)
    assert out == Out(id=7, period="2009Q3", value=4, doubled=8, computed=False)


def test_a_computed_field_wins_over_a_row_attribute_of_its_name() -> None:
    assert from_row(Out, Row(id=7, period_code="x", value=4), period="x", doubled=8, value=5).value == 5


def test_a_field_nobody_fills_fails_loudly() -> None:
    with pytest.raises(pydantic.ValidationError, match="doubled"):
        from_row(Out, Row(id=7, period_code="x", value=4), period="x")
