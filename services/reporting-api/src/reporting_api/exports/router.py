"""/exports/values: every value a caller may read, streamed (CSV with optional HXL row, XLSX, JSON)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from registry_kit.dependencies import OptionalPrincipal, ReadsDep
from registry_kit.errors import invalid, problem_responses
from registry_kit.streaming import PrimedStreamingResponse
from reporting_api.exports import writers
from reporting_api.exports.repository import csv_query, values_query
from reporting_api.exports.schemas import ValuesExport, file_responses
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
    file_format: Annotated[Literal["csv", "xlsx", "json"], Query(alias="format")] = "csv",
    hxl: Annotated[bool, Query(description="Add the HXL hashtag row under the header (CSV, XLSX)")] = False,
    project_id: uuid.UUID | None = None,
    indicator: Annotated[str | None, Query(max_length=60)] = None,
    start: Annotated[date | None, Query(description="Periods starting on or after")] = None,
    end: Annotated[date | None, Query(description="Periods ending on or before")] = None,
    include_unapproved: Annotated[bool, Query(description="Drafts and submitted values too (their reporters)")] = False,
) -> StreamingResponse:
    """Export values, streamed with no row cap: approved values of readable projects (drafts for their reporters)."""
    if include_unapproved and principal is None:
        raise invalid("query.include_unapproved", "unapproved values need a bearer token", "needs_token")
    query = values_query(
        principal,
        include_unapproved=include_unapproved,
        project_id=project_id,
        indicator=indicator,
        start=start,
        end=end,
    )
    maker = request.app.state.sessionmaker
    settings: Settings = request.app.state.settings

    async def rows() -> AsyncIterator[Sequence[Any]]:
        async with maker() as session:
            result = await session.stream(query.execution_options(yield_per=2000))
            async for row in result:
                yield tuple(row)

    body = {
        "csv": lambda: writers.csv_copy_stream(reads, csv_query(query), hxl, settings.bulk_work_mem_mb),
        "xlsx": lambda: writers.xlsx_stream(rows(), hxl),
        "json": lambda: writers.json_stream(rows()),
    }[file_format]()
    filename = f"values.{file_format}"
    return PrimedStreamingResponse(
        body, media_type=MEDIA[file_format], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
