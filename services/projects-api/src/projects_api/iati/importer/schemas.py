"""What an IATI import answers: an account per activity, and the job of a large file."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class ActivityOutcome(BaseModel):
    """One activity of the file: what happened to it (or would, in a dry run), and everything not taken."""

    identifier: str = Field(examples=["XM-DAC-47066-GE-MMCB"])
    line: int = Field(description="Line of the iati-activity element in the file", examples=[8])
    outcome: Literal["created", "updated", "skipped"]
    project_id: uuid.UUID | None = None
    errors: list[str] = Field(description="Why the activity was skipped", examples=[["no title"]])
    warnings: list[str] = Field(description="What was taken with a caveat, or left out of an element taken")
    notes: list[str] = Field(
        description="Elements and attributes of the file the registry does not model, by path",
        examples=[["crs-add", "fss", "humanitarian-scope", "result/indicator/baseline/dimension"]],
    )
    organisations_created: list[str] = Field(description="Organisations made for it (flagged `needs_review`)")
    results: int = Field(description="Results sent to reporting-api (or that would be, in a dry run)")


class IatiImportSummary(BaseModel):
    """What an IATI import did, or in a dry run would do. Activities are applied one by one: one that fails is
    skipped with its errors, the others are applied."""

    status: Literal["dry_run", "applied"]
    dry_run: bool
    version: str = Field(examples=["2.03"])
    activities: int
    created: int
    updated: int
    skipped: int
    organisations_created: int
    items: list[ActivityOutcome]


class IatiImportJob(BaseModel):
    """A large file imported in the background; poll it for progress."""

    id: uuid.UUID
    status: Literal["queued", "running", "done", "failed"]
    dry_run: bool
    filename: str | None
    activities_total: int
    activities_done: int
    progress: float = Field(description="0 to 1", examples=[0.42])
    summary: IatiImportSummary | None
    error: dict[str, object] | None = Field(default=None, description="The problem that refused the file")
    created_at: datetime
    finished_at: datetime | None
