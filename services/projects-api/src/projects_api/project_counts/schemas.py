"""Project counts payloads."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class CountBy(StrEnum):
    country = "country"
    theme = "theme"
    status = "status"


class CountRow(BaseModel):
    key: str = Field(description="ISO 3166 alpha-2, theme code or status", examples=["GE"])
    projects: int = Field(examples=[3])


class ProjectCounts(BaseModel):
    """How many visible projects match the filters, in total and per value of each dimension asked for.

    A project in two countries (or with two themes) counts once in each, so a dimension's rows may add up to more
    than the total.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "total": 4,
                    "by": {
                        "country": [{"key": "GE", "projects": 2}, {"key": "MD", "projects": 2}],
                        "status": [{"key": "closed", "projects": 4}],
                    },
                }
            ]
        }
    )

    total: int
    by: dict[CountBy, list[CountRow]]
