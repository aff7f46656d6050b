"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS): CSV request bodies (exchange rates, DHIS2's CSV) are text
that schemathesis has no serializer for; it sends them as the UTF-8 text it generated."""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.serializer("text/csv", "application/csv")
def csv_text(_ctx: Any, value: Any) -> bytes:
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()
