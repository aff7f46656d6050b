"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS).

- Callers: each test case is sent by the next caller in turn of MCB_FUZZ_TOKENS (a JSON object of role → bearer
  token, "" for anonymous), so one run reaches every operation as every demo role and as nobody.
- CSV request bodies (exchange rates, DHIS2's CSV) are text schemathesis has no serializer for: sent as UTF-8.
"""

from __future__ import annotations

import itertools
import json
import os
from typing import Any

import schemathesis

_CALLERS = itertools.cycle(sorted(json.loads(os.environ.get("MCB_FUZZ_TOKENS", '{"anonymous": ""}')).items()))


@schemathesis.auth(refresh_interval=None, retry_on=[])
class EveryCaller:
    def get(self, case: Any, context: Any) -> str:
        return str(next(_CALLERS)[1])

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        if data:
            case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.serializer("text/csv", "application/csv")
def csv_text(_ctx: Any, value: Any) -> bytes:
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()
