"""Bodies of the IATI exchange with projects-api: a project's results with baselines, targets and approved actuals
per period (read for the export, written by the import)."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from registry_kit.narratives import LanguageCode, LongNarratives, ShortNarratives
from reporting_api.frameworks.schemas import ResultKind
from reporting_api.indicators.schemas import Direction, Measure

Disaggregation = dict[str, str]

_BASELINE: dict[str, Any] = {"value": "0", "date": "2009-12-31", "note": "Before the first training cycle"}
_INDICATOR: dict[str, Any] = {
    "code": "officials-trained",
    "name": "Officials trained",
    "language": "en",
    "names": {"en": "Officials trained", "ru": "Обученные сотрудники"},
    "measure": "number",
    "unit": "persons",
    "baseline": _BASELINE,
    "targets": [
        {"period": None, "value": "120"},
        {"period": "2010", "start": "2010-01-01", "end": "2010-12-31", "value": "60"},
    ],
    "actuals": [
        {"period": "2010S1", "start": "2010-01-01", "end": "2010-06-30", "disaggregation": {"sex": "f"}, "value": "12"}
    ],
}
_RESULT: dict[str, Any] = {
    "kind": "output",
    "title": "Border officials trained",
    "language": "en",
    "titles": {"en": "Border officials trained", "cs": "Vyškolení hraniční úředníci"},
    "indicators": [_INDICATOR],
}


class IatiBaseline(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_BASELINE]})

    value: Decimal | None = None
    date: dt.date | None = None
    note: str | None = Field(default=None, max_length=2000)


class IatiTarget(BaseModel):
    """A target: for the period `start`–`end` (`period` is its code), or overall when `period` is null."""

    model_config = ConfigDict(extra="forbid")

    period: str | None = Field(default=None, max_length=40, examples=["2010"])
    start: date | None = None
    end: date | None = None
    disaggregation: Disaggregation = Field(default_factory=dict, examples=[{"sex": "f"}])
    value: Decimal


class IatiActual(BaseModel):
    """An approved value for a period."""

    model_config = ConfigDict(extra="forbid")

    period: str | None = Field(default=None, max_length=40, examples=["2010S1"])
    start: date | None = None
    end: date | None = None
    disaggregation: Disaggregation = Field(default_factory=dict)
    value: Decimal | None = None
    text: str | None = Field(default=None, max_length=10_000)
    comment: str | None = Field(default=None, max_length=10_000)


class IatiIndicator(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_INDICATOR]})

    code: str = Field(max_length=60, examples=["officials-trained"], description="Catalogue code")
    name: str = Field(min_length=1, max_length=1000)
    language: LanguageCode = "en"
    names: ShortNarratives = Field(default_factory=dict)
    definition: str | None = Field(default=None, max_length=10_000)
    definitions: LongNarratives = Field(default_factory=dict)
    measure: Measure = "number"
    direction: Direction = "increase"
    unit: str | None = Field(default=None, max_length=60)
    baseline: IatiBaseline | None = None
    targets: list[IatiTarget] = Field(default_factory=list, max_length=5000)
    actuals: list[IatiActual] = Field(default_factory=list, max_length=20_000)


class IatiResult(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_RESULT]})

    kind: ResultKind
    title: str = Field(min_length=1, max_length=1000)
    language: LanguageCode = "en"
    titles: ShortNarratives = Field(default_factory=dict)
    description: str | None = Field(default=None, max_length=10_000)
    descriptions: LongNarratives = Field(default_factory=dict)
    indicators: list[IatiIndicator] = Field(default_factory=list, max_length=200)


class IatiResults(BaseModel):
    """One project's results as IATI publishes them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"project_id": "6f97b8d4-b719-5484-a4d3-1a0758a38bbe", "results": [_RESULT]}]},
    )

    project_id: uuid.UUID
    results: list[IatiResult] = Field(max_length=500)


class IatiResultsPage(BaseModel):
    """The results of the projects asked for that the caller may read (others are left out, not revealed)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"projects": [{"project_id": "6f97b8d4-b719-5484-a4d3-1a0758a38bbe", "results": [_RESULT]}]}]
        }
    )

    projects: list[IatiResults]


class IatiResultsIn(BaseModel):
    """A project's results framework from an IATI file: replaces the framework and adds the actuals as approved
    reports, unless reports already hold values for the project."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"results": [_RESULT]}]})

    results: list[IatiResult] = Field(max_length=500)


class IatiResultsWritten(BaseModel):
    """What was written: results, indicators (those created in the catalogue named), approved reports and values."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "applied": True,
                    "results": 1,
                    "indicators": 1,
                    "indicators_created": ["officials-trained"],
                    "reports_created": 1,
                    "values": 1,
                    "warnings": [],
                }
            ]
        }
    )

    applied: bool = Field(description="False when the project's reports already hold values: nothing was changed")
    results: int
    indicators: int
    indicators_created: list[str]
    reports_created: int
    values: int
    warnings: list[str]
