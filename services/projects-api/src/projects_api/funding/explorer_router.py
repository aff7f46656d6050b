"""/funding/funders and /funding/summary/export: what the funding explorer needs beside the summary itself."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from projects_api.funding import summary_export, summary_service
from projects_api.funding.schemas import Funder
from projects_api.funding.summary_query import SummaryQueryDep
from registry_kit.dependencies import OptionalPrincipal, ReadsDep, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.pagination import Page, PageDep

explorer = APIRouter(prefix="/funding", tags=["funding"])


@explorer.get("/funders", response_model=Page[Funder], responses=problem_responses(422))
async def list_funders(
    session: SessionDep,
    principal: OptionalPrincipal,
    page: PageDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words matched as prefixes of the funder's or one of its departments' names"),
    ] = None,
) -> Page[Funder]:
    """Organisations that funded projects the caller may see, departments rolled up into their ministry, by label."""
    return await summary_service.funders_page(session, principal, q, page)


@explorer.get(
    "/summary/export",
    response_class=Response,
    responses={
        200: {
            "description": "The summary's rows and total as a file",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                summary_export.XLSX_MEDIA: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **problem_responses(422),
    },
)
async def export_funding_summary(
    session: SessionDep,
    reads: ReadsDep,
    principal: OptionalPrincipal,
    query: SummaryQueryDep,
    file_format: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
) -> Response:
    """The funding summary for the same parameters as a CSV or XLSX file: its rows, in its order, and its total."""
    file = await summary_service.summary_file(session, reads, principal, query, file_format)
    headers = {"Content-Disposition": f'attachment; filename="funding-summary.{file_format}"'}
    return Response(file.body, media_type=file.media_type, headers=headers)
