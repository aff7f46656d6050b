"""What the value export answers: the JSON shape, and the columns of its CSV and XLSX, for the OpenAPI document."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reporting_api.exports.writers import COLUMNS
from reporting_api.reports.schemas import Status

EXAMPLE: dict[str, Any] = {
    "project_code": "GE-2009-01",
    "project_id": "0b8a3f0e-6f1c-4c1e-9a55-6f5a4f0c1d2e",
    "indicator": "officials-trained",
    "indicator_name": "Officials trained",
    "period": "2009Q3",
    "period_start": "2009-07-01",
    "period_end": "2009-09-30",
    "disaggregation": "sex=f",
    "value": "12.0000",
    "numerator": None,
    "denominator": None,
    "text_value": None,
    "comment": None,
    "status": "approved",
    "report_id": "5d0c1a9e-2b7f-4f0e-8c3a-1e2d3c4b5a69",
}


class ExportedValue(BaseModel):
    """One value as the export writes it (numbers as decimal text, so nothing is rounded)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    project_code: str | None
    project_id: uuid.UUID
    indicator: str
    indicator_name: str
    period: str
    period_start: date
    period_end: date
    disaggregation: str = Field(description="`dimension=value` pairs joined by `;`, empty for the total")
    value: str | None
    numerator: str | None
    denominator: str | None
    text_value: str | None
    comment: str | None
    status: Status
    report_id: uuid.UUID


class ValuesExport(BaseModel):
    """The JSON export: every value, streamed as one object."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"values": [EXAMPLE]}]})

    values: list[ExportedValue]


_COLUMNS = ", ".join(f"`{c}`" for c in COLUMNS)


def file_responses() -> dict[int | str, dict[str, Any]]:
    """The 200 of /exports/values in each format it writes."""
    return {
        200: {
            "description": f"The values, streamed. CSV and XLSX have the columns {_COLUMNS} (with `hxl=true`, "
            "an HXL hashtag row under the header); cells a spreadsheet would run as formulas are neutralised.",
            "content": {
                "text/csv": {
                    "schema": {"type": "string", "contentMediaType": "text/csv"},
                    "example": ",".join(COLUMNS) + "\n",
                },
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
                "application/json": {"schema": {"$ref": "#/components/schemas/ValuesExport"}},
            },
        }
    }
