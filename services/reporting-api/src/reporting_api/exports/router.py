"""/exports/values: every value a caller may read, streamed (CSV with optional HXL row, XLSX, JSON)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from registry_kit.dependencies import OptionalPrincipal, ReadsDep
from registry_kit.errors import problem_responses
from registry_kit.streaming import PrimedStreamingResponse
from reporting_api.exports import service
from reporting_api.exports.schemas import ValuesExport, file_responses
from reporting_api.exports.service import ExportFormat
from reporting_api.settings import Settings

router = APIRouter(prefix="/exports", tags=["exports"])
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@router.get(
    "/values",
    response_class=StreamingResponse,
    # The JSON export's model, for the document (its body is written by writers.json_stream).
    response_model=ValuesExport,
    responses={**file_responses(), **problem_responses(401, 422)},
)
async def export_values(
    request: Request,
    principal: OptionalPrincipal,
    reads: ReadsDep,
    file_format: Annotated[ExportFormat, Query(alias="format")] = "csv",
    hxl: Annotated[bool, Query(description="Add the HXL hashtag row under the header (CSV, XLSX)")] = False,
    project_id: uuid.UUID | None = None,
    indicator: Annotated[str | None, Query(max_length=60)] = None,
    start: Annotated[date | None, Query(description="Periods starting on or after")] = None,
    end: Annotated[date | None, Query(description="Periods ending on or before")] = None,
    include_unapproved: Annotated[bool, Query(description="Drafts and submitted values too (their reporters)")] = False,
) -> StreamingResponse:
    """Export values, streamed with no row cap: approved values of readable projects (drafts for their reporters)."""
    settings: Settings = request.app.state.settings
    body = service.values_file(
        reads,
        request.app.state.sessionmaker,
        principal,
        file_format,
        hxl=hxl,
        work_mem_mb=settings.bulk_work_mem_mb,
        include_unapproved=include_unapproved,
        project_id=project_id,
        indicator=indicator,
        start=start,
        end=end,
    )
    filename = f"values.{file_format}"
    return PrimedStreamingResponse(
        body, media_type=MEDIA[file_format], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
