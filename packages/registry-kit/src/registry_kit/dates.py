"""The dates the registry accepts as input.

asyncpg writes Python's first and last dates (0001-01-01, 9999-12-31) as PostgreSQL's -infinity and infinity, so a
transaction "dated 0001-01-01" was stored as -infinity and broke every year computed from it (a 500). No date in this
domain lies outside the years the funding summary accepts either, so input dates are held to those years.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)

RegistryDate = Annotated[
    date,
    Field(ge=EARLIEST, le=LATEST, json_schema_extra={"formatMinimum": "1900-01-01", "formatMaximum": "2999-12-31"}),
]
