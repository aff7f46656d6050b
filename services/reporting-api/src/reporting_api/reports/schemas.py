"""Request and response bodies of reports."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypeAliasType

ReportStatus = TypeAliasType("ReportStatus", Literal["draft", "submitted", "approved", "returned"])
Status = ReportStatus


class ReportCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"period": "2010Q2", "narrative": "Two workshops held."}]}
    )

    period: str = Field(min_length=1, max_length=40, examples=["2010Q2"])
    narrative: str | None = Field(default=None, max_length=50_000)


class ReportUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"narrative": "Three workshops held."}]})

    narrative: str | None = Field(default=None, max_length=50_000)


class ValueIn(BaseModel):
    """A value for one framework indicator, for the total (no disaggregation) or one combination."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"indicator_code": "officials-trained", "disaggregation": {"sex": "f"}, "value": "12"}]
        },
    )

    project_indicator_id: uuid.UUID | None = None
    indicator_code: str | None = Field(default=None, max_length=60)
    disaggregation: dict[str, str] = Field(default_factory=dict)
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    text_value: str | None = Field(default=None, max_length=20_000)
    comment: str | None = Field(default=None, max_length=5000)
    incomplete: bool = Field(default=False, description="On a total: its disaggregations are knowingly incomplete")
    delete: bool = Field(default=False, description="Remove this value instead")

    @model_validator(mode="after")
    def _one_reference(self) -> ValueIn:
        if (self.project_indicator_id is None) == (self.indicator_code is None):
            raise ValueError("give exactly one of project_indicator_id and indicator_code")
        return self


class ValuesIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"values": [
                    {"indicator_code": "officials-trained", "value": "25"},
                    {"indicator_code": "officials-trained", "disaggregation": {"sex": "f"}, "value": "12"},
                    {"indicator_code": "officials-trained", "disaggregation": {"sex": "m"}, "value": "13"},
                ]}
            ]
        },
    )  # fmt: skip

    values: list[ValueIn] = Field(min_length=1, max_length=5000)


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"comment": "Please split by sex."}]})

    comment: str | None = Field(default=None, max_length=5000)


class Reopen(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "The Q2 count was wrong."}]})

    reason: str = Field(min_length=3, max_length=5000)


class Issue(BaseModel):
    """A warning the approver sees (values far from the history, disaggregations marked incomplete)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"field": "values[0].value", "message": "540 is far above this indicator's history (20-80)",
                 "code": "outlier"}
            ]
        }
    )  # fmt: skip

    field: str
    message: str
    code: str


class ReportValue(BaseModel):
    """One value of a report: the total (no disaggregation) or one disaggregation combination."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": "5f1c2e9a-8d7b-4c3a-b2e1-0a9f8e7d6c5b", "project_indicator_id":
                 "4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d", "indicator_code": "officials-trained",
                 "disaggregation": {"sex": "f"}, "value": "12.0000", "numerator": None, "denominator": None,
                 "text_value": None, "comment": "two workshops in Tbilisi", "incomplete": False,
                 "updated_by": "user:reporter", "updated_at": "2010-04-12T09:30:00Z"}
            ]
        }
    )  # fmt: skip

    id: uuid.UUID
    project_indicator_id: uuid.UUID
    indicator_code: str
    disaggregation: dict[str, str]
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    text_value: str | None
    comment: str | None
    incomplete: bool
    updated_by: str | None
    updated_at: datetime


class Attachment(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str = Field(examples=["workshop-minutes.pdf"])
    media_type: str = Field(examples=["application/pdf"])
    size: int
    sha256: str
    created_by: str
    created_at: datetime


class ReportSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    project_id: uuid.UUID
    period: str = Field(validation_alias=AliasChoices("period_code", "period"), examples=["2010Q2"])
    period_start: date
    period_end: date | None
    status: Status
    narrative: str | None
    comment: str | None = Field(description="The approver's comment when returned")
    warnings: list[Issue]
    submitted_at: datetime | None
    submitted_by: str | None
    decided_at: datetime | None
    decided_by: str | None
    is_illustrative: bool
    version: int


class Report(ReportSummary):
    values: list[ReportValue]
    attachments: list[Attachment]


class Event(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str = Field(examples=["approve"])
    from_status: str | None
    to_status: str
    actor: str
    actor_name: str | None
    comment: str | None
    at: datetime


class ValueChange(BaseModel):
    """One change of a value in the audit history: who, when, through what, before and after."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {"project_indicator_id": "4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d", "disaggregation_key": "sex=f",
                 "action": "update", "before": {"value": "10.0000"}, "after": {"value": "12.0000"},
                 "actor": "user:reporter", "via": "import", "at": "2010-04-12T09:30:00Z"}
            ]
        },
    )  # fmt: skip

    project_indicator_id: uuid.UUID
    disaggregation_key: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    actor: str
    via: str
    at: datetime


class History(BaseModel):
    """The report's workflow steps and every change of its values, oldest first."""

    events: list[Event] = Field(
        examples=[
            [
                {
                    "action": "submit",
                    "from_status": "draft",
                    "to_status": "submitted",
                    "actor": "user:1",
                    "actor_name": "Demo Reporter",
                    "comment": None,
                    "at": "2010-07-02T10:00:00Z",
                }
            ]
        ]
    )
    value_changes: list[ValueChange]
