"""Bodies of the dashboard answers."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, Field

from reporting_api.context.schemas import ContextValue


class Progress(BaseModel):
    """One framework indicator: where it started, where it should go, where it is."""

    project_indicator_id: uuid.UUID
    indicator: str = Field(examples=["officials-trained"])
    name: str
    direction: str
    aggregation: str = Field(description="How the periods combine: sum, average, maximum, latest (cumulative)")
    baseline: Decimal | None
    target: Decimal | None = Field(description="The overall target of the total")
    actual: Decimal | None = Field(description="Approved values combined by the indicator's rule")
    percent_achieved: Decimal | None = Field(examples=["62.5"])
    expected_percent: Decimal | None = Field(description="Share of the project's time elapsed, in %")
    on_track: bool | None = Field(description="Achieved at least the elapsed share (10 points of tolerance)")


class ProjectProgress(BaseModel):
    project_id: uuid.UUID = Field(examples=["0288dca7-889d-56dc-b0b7-e0ee7d7a9b39"])
    indicators: list[Progress]


class SeriesPoint(BaseModel):
    period: str = Field(examples=["2010Q1"])
    value: Decimal
    projects: int


class TimeSeries(BaseModel):
    indicator: str = Field(examples=["officials-trained"])
    period_type: str = Field(examples=["year"])
    points: list[SeriesPoint]


class Group(BaseModel):
    key: str = Field(examples=["GE"])
    name: str | None = None
    value: Decimal
    projects: int


class Rollup(BaseModel):
    indicator: str = Field(examples=["officials-trained"])
    by: str = Field(examples=["region"])
    groups: list[Group]


class ContextLatest(BaseModel):
    """A context series with its latest value (a point or a low-high range)."""

    code: str = Field(examples=["ge-idps"])
    name: str
    country_code: str | None
    unit: str
    latest: ContextValue | None
    values: int
