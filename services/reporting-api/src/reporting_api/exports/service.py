"""The values export's use case: what the caller may read, as CSV (written by PostgreSQL's COPY), XLSX or JSON."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_kit.auth import Principal
from registry_kit.errors import invalid
from registry_kit.raw_reads import Reads
from reporting_api.exports import writers
from reporting_api.exports.repository import csv_query, values_query

ExportFormat = Literal["csv", "xlsx", "json"]


def values_file(
    reads: Reads,
    maker: async_sessionmaker[AsyncSession],
    principal: Principal | None,
    file_format: ExportFormat,
    *,
    hxl: bool,
    work_mem_mb: int,
    include_unapproved: bool,
    project_id: uuid.UUID | None,
    indicator: str | None,
    start: date | None,
    end: date | None,
) -> AsyncIterator[bytes]:
    """Approved values of the projects the caller may read (drafts and submitted values too for their reporters when
    asked), streamed with no row cap. The XLSX and JSON rows are read in a session of their own (`maker`), as the
    download outlives the request's."""
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
    if file_format == "csv":
        return writers.csv_copy_stream(reads, csv_query(query), hxl, work_mem_mb)

    async def rows() -> AsyncIterator[Sequence[Any]]:
        async with maker() as session:
            result = await session.stream(query.execution_options(yield_per=2000))
            async for row in result:
                yield tuple(row)

    return writers.xlsx_stream(rows(), hxl) if file_format == "xlsx" else writers.json_stream(rows())
