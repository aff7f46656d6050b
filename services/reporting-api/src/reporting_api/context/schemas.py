"""Request and response bodies of context series."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypeAliasType

from registry_kit.dates import RegistryDate

Confidence = TypeAliasType("Confidence", Literal["high", "medium", "low"])


class ShareOf(BaseModel):
    numerator: str = Field(max_length=80, examples=["md-nationals-abroad"])
    denominator: str = Field(max_length=80, examples=["md-population"])


class ContextSeriesCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"code": "ge-idps", "name": "Internally displaced persons", "country_code": "GE", "unit": "persons"},
                {
                    "code": "md-share-abroad",
                    "name": "Share of nationals working abroad",
                    "country_code": "MD",
                    "unit": "percent",
                    "share_of": {"numerator": "md-nationals-abroad", "denominator": "md-population"},
                },
            ]
        },
    )

    code: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: str = Field(min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=10_000)
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$", description="null: the world")
    location: str | None = Field(default=None, max_length=500, description="Sub-national area, if any")
    unit: str = Field(default="persons", max_length=40)
    share_of: ShareOf | None = Field(default=None, description="Values computed as numerator / denominator, in %")


class ContextSeriesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "IDPs (Government count)"}]})

    name: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=10_000)
    location: str | None = Field(default=None, max_length=500)
    unit: str | None = Field(default=None, max_length=40)


class ContextValueIn(BaseModel):
    """A point (`value`) or a range (`low` and `high`), always with its source."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "low": "220000",
                    "high": "250000",
                    "source": "IOM Tbilisi, migration management review, January 2008",
                    "published_on": "2008-01-31",
                    "confidence": "medium",
                }
            ]
        },
    )

    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    source: str = Field(min_length=1, max_length=2000)
    published_on: RegistryDate | None = None
    confidence: Confidence = "medium"
    note: str | None = Field(default=None, max_length=2000)
    is_illustrative: bool = False

    @model_validator(mode="after")
    def _point_or_range(self) -> ContextValueIn:
        if self.value is not None:
            if self.low is not None or self.high is not None:
                raise ValueError("give either value, or low and high, not both")
        elif self.low is None or self.high is None:
            raise ValueError("give value, or both low and high")
        elif self.low > self.high:
            raise ValueError("low is above high")
        return self


class ContextValue(BaseModel):
    period: str = Field(examples=["2009Q3"])
    period_start: date
    period_end: date | None
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    source: str
    published_on: date | None
    confidence: Confidence
    note: str | None
    is_illustrative: bool
    computed: bool = Field(default=False, description="Computed from other series, not typed")


class ContextSeries(BaseModel):
    id: uuid.UUID
    code: str = Field(examples=["ge-idps"])
    name: str = Field(examples=["Internally displaced persons in Georgia"])
    description: str | None
    country_code: str | None
    location: str | None
    unit: str
    share_of: ShareOf | None
    version: int
    values: list[ContextValue]
