"""Request and response bodies of reports."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, cast

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, computed_field, model_validator
from typing_extensions import TypeAliasType

from reporting_api.indicators.schemas import Frequency
from reporting_api.periods import FREQUENCIES, PeriodError, fits_frequency, parse_period

ReportStatus = TypeAliasType("ReportStatus", Literal["draft", "submitted", "approved", "returned"])
Status = ReportStatus


@lru_cache(maxsize=4096)
def period_frequencies(code: str) -> tuple[str, ...]:
    """The reporting frequencies whose periods this is (the rule the API applies to each value written)."""
    try:
        period = parse_period(code)
    except PeriodError:
        return ()
    return tuple(f for f in FREQUENCIES if fits_frequency(period, f))


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
                {
                    "values": [
                        {"indicator_code": "officials-trained", "value": "25"},
                        {"indicator_code": "officials-trained", "disaggregation": {"sex": "f"}, "value": "12"},
                        {"indicator_code": "officials-trained", "disaggregation": {"sex": "m"}, "value": "13"},
                    ]
                }
            ]
        },
    )

    values: list[ValueIn] = Field(min_length=1, max_length=5000)


class SubmitIn(BaseModel):
    """Last changes to submit with the report, in one transaction: refused, nothing of them is saved."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"values": [{"indicator_code": "officials-trained", "value": "22"}]}]},
    )

    narrative: str | None = Field(default=None, max_length=50_000, description="Sent: replaces the narrative")
    values: list[ValueIn] = Field(default_factory=list, max_length=5000)


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
                {
                    "field": "values[0].value",
                    "message": "540 is far above this indicator's history (20-80)",
                    "code": "outlier",
                }
            ]
        }
    )

    field: str
    message: str
    code: str


class ReportValue(BaseModel):
    """One value of a report: the total (no disaggregation) or one disaggregation combination."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5f1c2e9a-8d7b-4c3a-b2e1-0a9f8e7d6c5b",
                    "project_indicator_id": "4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d",
                    "indicator_code": "officials-trained",
                    "disaggregation": {"sex": "f"},
                    "value": "12.0000",
                    "numerator": None,
                    "denominator": None,
                    "text_value": None,
                    "comment": "two workshops in Tbilisi",
                    "incomplete": False,
                    "updated_by": "user:reporter",
                    "updated_at": "2010-04-12T09:30:00Z",
                }
            ]
        }
    )

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

    @computed_field(  # type: ignore[prop-decorator]
        description="The reporting frequencies this period is one of: a framework indicator reported at another "
        "frequency has no values in this report (a yearly indicator in a quarter's report)",
        examples=[["quarter", "once"]],
    )
    @property
    def frequencies(self) -> list[Frequency]:
        return cast("list[Frequency]", list(period_frequencies(self.period)))


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
                {
                    "project_indicator_id": "4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d",
                    "disaggregation_key": "sex=f",
                    "action": "update",
                    "before": {"value": "10.0000"},
                    "after": {"value": "12.0000"},
                    "actor": "user:reporter",
                    "via": "import",
                    "at": "2010-04-12T09:30:00Z",
                }
            ]
        },
    )

    project_indicator_id: uuid.UUID
    disaggregation_key: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    actor: str
    actor_name: str | None = Field(default=None, description="Who, by name (none for changes from before names)")
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


class PeriodValue(BaseModel):
    """A value of an earlier report of the same project, for one cell of the grid."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "project_indicator_id": "4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d",
                    "disaggregation_key": "sex=f",
                    "period": "2009S2",
                    "value": "12.0000",
                    "text_value": None,
                }
            ]
        }
    )

    project_indicator_id: uuid.UUID
    disaggregation_key: str = Field(examples=["sex=f"])
    period: str = Field(examples=["2009S2"])
    value: Decimal | None
    text_value: str | None


class PreviousReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": "6d3c1a52-9c1f-4c0e-8f6d-3b0a4e1c2d7f", "period": "2009S2", "status": "approved"}]
        }
    )

    id: uuid.UUID
    period: str = Field(examples=["2009S2"])
    status: Status


class Previous(BaseModel):
    """The values of the project's reports before this one (newest first), shown beside each cell as DHIS2 does.
    Reports the caller may not read (drafts of others' projects) are left out."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reports": [
                        {"id": "6d3c1a52-9c1f-4c0e-8f6d-3b0a4e1c2d7f", "period": "2009S2", "status": "approved"}
                    ],
                    "values": [
                        {
                            "project_indicator_id": "4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d",
                            "disaggregation_key": "",
                            "period": "2009S2",
                            "value": "32.0000",
                            "text_value": None,
                        }
                    ],
                }
            ]
        }
    )

    reports: list[PreviousReport]
    values: list[PeriodValue]


class ValueDiff(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "project_indicator_id": "4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d",
                    "disaggregation_key": "",
                    "before": "25",
                    "after": "22",
                }
            ]
        }
    )

    project_indicator_id: uuid.UUID
    disaggregation_key: str
    before: str | None = Field(description="The value (or text) as last submitted; none when it was not there")
    after: str | None = Field(description="The value now; none when it was removed")


class Changes(BaseModel):
    """What changed since the report was last submitted: for an approver looking at a resubmission, the values a
    reporter changed after the report was returned."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "base_submitted_at": "2010-07-02T10:00:00Z",
                    "narrative_changed": False,
                    "values": [
                        {
                            "project_indicator_id": "4c7b3a3e-5d1b-5f0e-9b0c-0e7f7b1a2c3d",
                            "disaggregation_key": "",
                            "before": "25",
                            "after": "22",
                        }
                    ],
                }
            ]
        }
    )

    base_submitted_at: datetime | None = Field(description="The submission compared with; none: never submitted")
    narrative_changed: bool
    values: list[ValueDiff]


class InboxReport(ReportSummary):
    project_code: str | None = Field(examples=["XM-DAC-47066-GE-MMCB"])
    project_title: str | None = Field(examples=["Migration management capacity building in Georgia"])


# One due period as the inbox lists it: DuePeriod's example and the one inside Inbox's.
DUE_EXAMPLE: dict[str, Any] = {
    "project_id": "0b7e5c61-7a1d-4e59-9b5a-2f9c0d3e4a18",
    "project_code": "XM-DAC-47066-GE-MMCB",
    "project_title": "Migration management capacity building in Georgia",
    "period": "2026Q3",
    "period_start": "2026-07-01",
    "period_end": "2026-09-30",
    "report_id": None,
    "report_status": None,
}


class DuePeriod(BaseModel):
    """A period the project should have reported on (it has ended) with no submitted or approved report yet."""

    model_config = ConfigDict(json_schema_extra={"examples": [DUE_EXAMPLE]})

    project_id: uuid.UUID
    project_code: str | None
    project_title: str | None
    period: str = Field(examples=["2026Q3"])
    period_start: date
    period_end: date
    report_id: uuid.UUID | None = Field(description="Its draft or returned report, if one was started")
    report_status: Status | None


class Inbox(BaseModel):
    """A reporter's work: reports due, returned to them, their drafts, and what waits for approval."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "due": [DUE_EXAMPLE],
                    "returned": [],
                    "drafts": [],
                    "submitted": [],
                }
            ]
        }
    )

    due: list[DuePeriod]
    returned: list[InboxReport]
    drafts: list[InboxReport]
    submitted: list[InboxReport]
