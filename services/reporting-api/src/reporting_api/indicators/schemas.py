"""Request and response bodies of the indicator catalogue."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypeAliasType

from registry_kit.narratives import LanguageCode, LongNarratives, ShortNarratives
from reporting_api.periods import PeriodType

IndicatorLevel = TypeAliasType("IndicatorLevel", Literal["output", "outcome", "impact", "context"])
Level = IndicatorLevel
Measure = TypeAliasType("Measure", Literal["number", "percent", "currency", "ratio", "qualitative"])
Aggregation = TypeAliasType("Aggregation", Literal["sum", "average", "latest", "maximum"])
Direction = TypeAliasType("Direction", Literal["increase", "decrease"])
# periods.FREQUENCIES: every DHIS2 period type, or `once` (a single period of any length, e.g. an endline survey).
Frequency = TypeAliasType("Frequency", Literal[PeriodType, "once"])
CODE = r"^[a-z0-9][a-z0-9_.+-]*$"


class DimensionValue(BaseModel):
    code: str = Field(min_length=1, max_length=60, pattern=CODE, examples=["f"])
    name: str = Field(min_length=1, max_length=200, examples=["Female"])


class Dimension(BaseModel):
    """A disaggregation dimension with its allowed values."""

    code: str = Field(min_length=1, max_length=40, pattern=CODE, examples=["sex"])
    name: str = Field(min_length=1, max_length=200, examples=["Sex"])
    values: list[DimensionValue] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _unique_values(self) -> Dimension:
        codes = [v.code for v in self.values]
        if len(set(codes)) != len(codes):
            raise ValueError(f"dimension {self.code} lists a value twice")
        return self


EXAMPLE: dict[str, Any] = {
    "code": "officials-trained",
    "name": "Officials trained",
    "definition": "Officials of beneficiary institutions who completed a training or workshop",
    "level": "output",
    "measure": "number",
    "unit": "persons",
    "aggregation": "sum",
    "cumulative": False,
    "direction": "increase",
    "frequency": "quarter",
    "dimensions": [
        {"code": "sex", "name": "Sex", "values": [{"code": "f", "name": "Female"}, {"code": "m", "name": "Male"}]}
    ],
}


class IndicatorBase(BaseModel):
    name: str = Field(min_length=1, max_length=500)
    definition: str | None = Field(default=None, max_length=10_000)
    level: Level
    measure: Measure
    unit: str | None = Field(default=None, max_length=60)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    aggregation: Aggregation = "sum"
    cumulative: bool = Field(default=False, description="Values are running totals: a year is its last quarter")
    direction: Direction = "increase"
    frequency: Frequency = "quarter"
    dimensions: list[Dimension] = Field(default_factory=list, max_length=10)
    source: str | None = Field(default=None, max_length=2000)
    is_illustrative: bool = False


def _check_consistency(measure: str | None, currency: str | None, dimensions: list[Dimension] | None) -> None:
    if measure == "currency" and not currency:
        raise ValueError("a currency indicator needs its currency")
    if measure is not None and measure != "currency" and currency:
        raise ValueError("only currency indicators have a currency")
    if dimensions:
        codes = [d.code for d in dimensions]
        if len(set(codes)) != len(codes):
            raise ValueError("a dimension is listed twice")


class IndicatorCreate(IndicatorBase):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    code: str = Field(min_length=1, max_length=60, pattern=CODE)
    language: LanguageCode = Field(default="en", description="ISO 639-1 language of name and definition")
    names: ShortNarratives | None = Field(default=None, description="The name in every language, the default too")
    definitions: LongNarratives | None = None

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorCreate:
        _check_consistency(self.measure, self.currency, self.dimensions)
        return self


class IndicatorUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "Officials trained (all)"}]})

    name: str | None = Field(default=None, min_length=1, max_length=500)
    definition: str | None = Field(default=None, max_length=10_000)
    language: LanguageCode | None = None
    names: ShortNarratives | None = None
    definitions: LongNarratives | None = None
    level: Level | None = None
    unit: str | None = Field(default=None, max_length=60)
    aggregation: Aggregation | None = None
    cumulative: bool | None = None
    direction: Direction | None = None
    frequency: Frequency | None = None
    dimensions: list[Dimension] | None = Field(default=None, max_length=10)
    source: str | None = Field(default=None, max_length=2000)
    is_illustrative: bool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorUpdate:
        _check_consistency(None, None, self.dimensions)
        return self


class Indicator(IndicatorBase):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [{**EXAMPLE, "id": str(uuid.UUID(int=1)), "version": 1}]}
    )

    id: uuid.UUID
    code: str
    language: str = Field(description="The language of name and definition (ISO 639-1)")
    names: dict[str, str] = Field(description="The name in every language held")
    definitions: dict[str, str] = Field(description="The definition in every language held")
    version: int
    created_at: datetime
    updated_at: datetime
