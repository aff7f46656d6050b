"""Bodies of imports: options, the import summary, the job."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from reporting_api.imports.dhis2_schemas import Dhis2ImportSummary

ImportStrategy = TypeAliasType("ImportStrategy", Literal["create", "update", "create_and_update", "delete"])
Strategy = ImportStrategy
FileFormat = Literal["csv", "xlsx", "json", "dhis2", "dhis2_csv"]
IdSchemeValue = Literal["uid", "code"]


class ImportOptions(BaseModel):
    file_format: FileFormat
    dry_run: bool = False
    strategy: Strategy = "create_and_update"
    replace: bool = False
    # DHIS2 imports: the id scheme per object type (dataElement, orgUnit, categoryOptionCombo), from the query.
    id_schemes: dict[str, IdSchemeValue] = {}
    # Answer conflicts inside DHIS2's summary (409) instead of as a 422 problem: a DHIS2 client posted the body.
    dhis2_answer: bool = False


class ImportConflict(BaseModel):
    """A row that cannot be imported, and why."""

    row: int = Field(examples=[12])
    field: str = Field(examples=["value"])
    message: str = Field(examples=["a percentage must be between 0 and 100, not 140"])


class ImportSummary(BaseModel):
    """What an import did (or, for a dry run, would do). With conflicts nothing is applied."""

    status: Literal["success", "conflicts", "dry_run"] = Field(examples=["success"])
    dry_run: bool
    strategy: Strategy
    replace: bool
    rows: int = Field(examples=[1200])
    imported: int = Field(examples=[1100])
    updated: int = Field(examples=[80])
    ignored: int = Field(examples=[20])
    deleted: int = Field(examples=[0])
    reports_created: int = Field(examples=[4])
    conflict_count: int = Field(examples=[0])
    conflicts: list[ImportConflict] = Field(description="The first 1000 conflicts, by row")
    warnings: list[ImportConflict] = Field(
        default_factory=list,
        description="Periods outside the project's dates or not ended yet (first row of each project and period): "
        "imported, but such a report can only be submitted for context indicators",
    )
    response: Dhis2ImportSummary | None = Field(
        default=None,
        description="DHIS2 imports: DHIS2's importSummary of the same import (as /api/dataValueSets answers it)",
    )


class ImportJob(BaseModel):
    """An import running in the background; poll it for progress."""

    id: uuid.UUID
    status: Literal["queued", "running", "done", "failed"]
    file_format: str
    rows_total: int = Field(description="Rows read so far (the total once reading is done)")
    rows_done: int
    progress: float = Field(description="0 to 1", examples=[0.42])
    summary: ImportSummary | None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None
