"""Whole answers compared, not samples of fields: a floor counts only if it answers exactly what the product does.

Both bodies are parsed and brought to one form where the JSON text may legitimately differ: numbers and decimal
strings become Decimals (70, 70.0 and "70.00" are one number), timestamps become datetimes ("…Z" and "…+00:00" are
one instant). Everything else (keys, order of lists, names, nulls) must be equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        if _DECIMAL.match(value):
            return Decimal(value)
        if _TIMESTAMP.match(value):
            return datetime.fromisoformat(value)
    return value


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where two canonical answers first differ (for the failure message), or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{path}: keys {sorted(a.keys() ^ b.keys())} are not in both"
        for key in a:
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items against {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} against {b!r}"


def check_same(
    get: Callable[[str, str], Any],
    paths: list[str],
    product: str,
    floors: list[str],
    what: str,
    prepare: Callable[[Any], Any] = canonical,
) -> None:
    """Each floor answers each path exactly as the product does, or the comparison means nothing."""
    from bench.context import CheckFailed

    for path in paths:
        expected = prepare(get(product, path))
        for floor in floors:
            found = first_difference(expected, prepare(get(floor, path)))
            if found:
                raise CheckFailed(f"{what}: {floor} answers {path} differently from {product}: {found}")
