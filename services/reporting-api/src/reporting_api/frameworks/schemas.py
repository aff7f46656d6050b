"""Request and response bodies of results frameworks."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypeAliasType

from registry_kit.dates import RegistryDate
from registry_kit.narratives import LanguageCode, LongNarratives, ShortNarratives
from reporting_api.indicators.schemas import Frequency

ResultKind = TypeAliasType("ResultKind", Literal["output", "outcome", "impact"])
Disaggregation = dict[str, str]


class TargetIn(BaseModel):
    """A target: overall when `period` is null, else for that period; for the total or one disaggregation."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"period": "2010", "value": "40"}]})

    period: str | None = Field(default=None, max_length=40, examples=["2010", "2010Q2"])
    disaggregation: Disaggregation = Field(default_factory=dict, examples=[{"sex": "f"}])
    value: Decimal


class TargetOut(BaseModel):
    """A target: overall (no period) or for a period; for the total or for one disaggregation value."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period": "2010",
                    "period_start": "2010-01-01",
                    "period_end": "2010-12-31",
                    "disaggregation": {"sex": "f"},
                    "value": "60.0000",
                }
            ]
        }
    )

    period: str | None
    period_start: date | None
    period_end: date | None
    disaggregation: Disaggregation
    value: Decimal


class ProjectIndicatorIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "indicator_code": "officials-trained",
                    "baseline_value": "0",
                    "baseline_date": "2009-12-31",
                    "targets": [{"value": "120"}, {"period": "2010", "value": "60"}],
                }
            ]
        },
    )

    indicator_id: uuid.UUID | None = None
    indicator_code: str | None = Field(default=None, max_length=60)
    position: int = Field(default=0, ge=0, le=10_000)
    frequency: Frequency | None = Field(
        default=None, description="How often the project reports it (default: the catalogue indicator's frequency)"
    )
    baseline_value: Decimal | None = None
    baseline_date: RegistryDate | None = None
    baseline_note: str | None = Field(default=None, max_length=2000)
    targets: list[TargetIn] = Field(default_factory=list, max_length=2000)

    @model_validator(mode="after")
    def _one_reference(self) -> ProjectIndicatorIn:
        if (self.indicator_id is None) == (self.indicator_code is None):
            raise ValueError("give exactly one of indicator_id and indicator_code")
        return self


class ProjectIndicatorUpdate(BaseModel):
    """Replaces the baseline and, when given, all targets."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"baseline_value": "5", "targets": [{"value": "100"}]}]}
    )

    position: int | None = Field(default=None, ge=0, le=10_000)
    frequency: Frequency | None = Field(
        default=None, description="Changes only while no report holds a value of this indicator (409 otherwise)"
    )
    baseline_value: Decimal | None = None
    baseline_date: RegistryDate | None = None
    baseline_note: str | None = Field(default=None, max_length=2000)
    targets: list[TargetIn] | None = Field(default=None, max_length=2000)


class IndicatorRef(BaseModel):
    """The catalogue indicator a framework uses, as much of it as its values need."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0b6d7a52-3f7e-4b8e-9d3a-2f9a1c5e7b10",
                    "code": "officials-trained",
                    "name": "Officials trained in migration management",
                    "measure": "number",
                    "unit": "persons",
                    "aggregation": "sum",
                    "cumulative": False,
                    "direction": "increase",
                }
            ]
        },
    )

    id: uuid.UUID
    code: str
    name: str
    language: str = "en"
    names: dict[str, str] = Field(default_factory=dict, description="The name in every language held")
    measure: str
    unit: str | None
    aggregation: str
    cumulative: bool
    direction: str


class ProjectIndicator(BaseModel):
    id: uuid.UUID = Field(examples=["4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d"])
    result_id: uuid.UUID
    indicator: IndicatorRef
    position: int
    frequency: Frequency = Field(description="The one period type its values are reported in (or once)")
    baseline_value: Decimal | None
    baseline_date: date | None
    baseline_note: str | None
    targets: list[TargetOut]


class ResultCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "output",
                    "title": "Officials of the Sector for Asylum trained in asylum procedure standards",
                    "indicators": [{"indicator_code": "officials-trained", "targets": [{"value": "120"}]}],
                }
            ]
        },
    )

    kind: ResultKind
    title: str | None = Field(default=None, min_length=1, max_length=1000, description="Or send `titles`")
    description: str | None = Field(default=None, max_length=10_000)
    language: LanguageCode = Field(default="en", description="ISO 639-1 language of title and description")
    titles: ShortNarratives | None = Field(default=None, description="The title in every language, the default too")
    descriptions: LongNarratives | None = None
    position: int = Field(default=0, ge=0, le=10_000)
    is_illustrative: bool = False
    indicators: list[ProjectIndicatorIn] = Field(default_factory=list, max_length=200)


class ResultUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"title": "A clearer title"}]})

    kind: ResultKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=1000)
    description: str | None = Field(default=None, max_length=10_000)
    language: LanguageCode | None = None
    titles: ShortNarratives | None = None
    descriptions: LongNarratives | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)


class Result(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    kind: ResultKind = Field(examples=["output"])
    title: str = Field(examples=["Asylum and migration officials of BiH trained"])
    description: str | None
    language: str = Field(description="The language of title and description (ISO 639-1)")
    titles: dict[str, str] = Field(description="The title in every language held")
    descriptions: dict[str, str] = Field(description="The description in every language held")
    position: int
    is_illustrative: bool
    version: int
    indicators: list[ProjectIndicator]


class Framework(BaseModel):
    """A project's results framework: results, each with its indicators, baselines and targets."""

    project_id: uuid.UUID = Field(examples=["0288dca7-889d-56dc-b0b7-e0ee7d7a9b39"])
    results: list[Result]
