"""Turning a loaded ORM row into its response model, saying only what is not a plain copy."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
_ABSENT = object()


def from_row(model: type[M], row: object, **computed: object) -> M:
    """The response model of a row: each field given in `computed` as given (renamed, nested, derived), every other
    field copied from the row's attribute of the same name. A field the row has no attribute for keeps its default;
    without one, validation fails loudly (a field nobody fills is a bug, never a silent null)."""
    copied = {
        name: value
        for name in model.model_fields
        if name not in computed and (value := getattr(row, name, _ABSENT)) is not _ABSENT
    }
    return model(**copied, **computed)
