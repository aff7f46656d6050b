"""Fast JSON that knows our types (Decimal, dates, UUIDs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)  # money keeps every digit; pydantic writes Decimal the same way
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, default=_default)
