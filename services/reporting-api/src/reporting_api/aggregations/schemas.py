"""Bodies of the dashboard answers. Each names the aggregation rule that produced it (rules.py, the README table)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from reporting_api.context.schemas import ContextValue


class RuleOut(BaseModel):
    """The rule an answer was combined by, in words (the README's table says the same)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "sum",
                    "measure": "number",
                    "over_time": "sum of the periods",
                    "across_projects": "sum",
                    "across_places": "split by the project's country percentages (countries and regions add up to the "
                    "total)",
                    "disaggregations": "the parts must add up to the total (checked on submit); each "
                    "combination is its own series",
                }
            ]
        }
    )

    name: str = Field(description="sum, average, latest, maximum, cumulative, ratio-of-sum, ratio-of-average")
    measure: str
    over_time: str
    across_projects: str
    across_places: str
    disaggregations: str


class Progress(BaseModel):
    """One framework indicator: where it started, where it should go, where it is."""

    project_indicator_id: uuid.UUID
    indicator: str = Field(examples=["officials-trained"])
    name: str
    direction: str
    aggregation: str = Field(description="How the periods combine: sum, average, maximum, latest (cumulative)")
    rule: str | None = Field(description="The aggregation rule that produced `actual` (null: qualitative)")
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
    value: Decimal | None = Field(description="null: percentages without numerator and denominator to combine")
    numerator: Decimal | None = Field(default=None, description="Percentages and ratios: the sum of numerators")
    denominator: Decimal | None = Field(default=None, description="Percentages and ratios: the sum of denominators")
    projects: int


class TimeSeries(BaseModel):
    indicator: str = Field(examples=["officials-trained"])
    period_type: str = Field(examples=["year"])
    disaggregation: str = Field(default="", description="The combination the series is of ('' is the total)")
    rule: RuleOut
    points: list[SeriesPoint]
    unplaced_values: int = Field(
        default=0,
        description="Approved values whose period spans more than one period of this type (a semester in a "
        "quarterly series): left out, never split",
    )


class Group(BaseModel):
    key: str | None = Field(examples=["GE"], description="null: projects without a country (or theme, or region)")
    name: str | None = None
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    projects: int
    attributed_whole: bool = Field(
        default=False, description="The projects' values count whole here (not split): groups do not add up"
    )


class Rollup(BaseModel):
    indicator: str = Field(examples=["officials-trained"])
    by: str = Field(examples=["region"])
    disaggregation: str = Field(default="", description="The combination the roll-up is of ('' is the total)")
    rule: RuleOut
    additive: bool = Field(description="Whether the groups add up to the total (split by country percentages)")
    total: Group = Field(description="Every readable project together, combined by the rule")
    groups: list[Group]


class ContextLatest(BaseModel):
    """A context series with its latest value (a point or a low-high range)."""

    code: str = Field(examples=["ge-idps"])
    name: str
    country_code: str | None
    unit: str
    latest: ContextValue | None
    values: int
