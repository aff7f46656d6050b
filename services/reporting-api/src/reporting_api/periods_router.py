"""/periods/{code}: what a period code means (every accepted form, normalised)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from registry_kit.errors import problem_responses
from reporting_api.common import period_or_422

router = APIRouter(prefix="/periods", tags=["periods"])


class PeriodOut(BaseModel):
    """A period code normalised, with its first and last day (last is null when open-ended)."""

    code: str = Field(examples=["2009Q3"])
    kind: str = Field(examples=["quarter"])
    start: date = Field(examples=["2009-07-01"])
    end: date | None = Field(examples=["2009-09-30"])


@router.get("/{code:path}", response_model=PeriodOut, responses=problem_responses(422))
async def get_period(code: Annotated[str, Path(max_length=40, examples=["2009-Q3"])]) -> PeriodOut:
    """Normalise a period code (2009, 2009Q3, 2009-Q3, 2009S1, 2009-07, 200907, 2009-M07, 2009W27, 2009July, ranges)."""
    period = period_or_422(code, "path.code")
    return PeriodOut(code=period.code, kind=period.kind, start=period.start, end=period.end)
