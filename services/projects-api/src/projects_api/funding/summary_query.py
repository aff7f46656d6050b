"""The funding summary's query parameters, read once for the summary and its download, and the one way to answer."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import Scope, visible_clause
from projects_api.funding import cube
from projects_api.funding.summary import SummaryQuery, summarise_transactions
from projects_api.reference.data import REGION_BY_CODE, ActivityStatus, TransactionType
from registry_kit.errors import invalid
from registry_kit.raw_reads import Reads

Dimension = Literal["funder", "country", "region", "year", "theme", "status", "project", "transaction_type"]


async def _summary_query(
    group_by: Annotated[list[Dimension] | None, Query(description="Repeat to group by several dimensions")] = None,
    transaction_type: Annotated[list[TransactionType] | None, Query(description="Default: disbursement")] = None,
    funder: Annotated[list[uuid.UUID] | None, Query(description="Provider organisation, or a parent of it")] = None,
    country: Annotated[list[str] | None, Query()] = None,
    region: Annotated[list[str] | None, Query()] = None,
    theme: Annotated[list[str] | None, Query()] = None,
    status_: Annotated[list[ActivityStatus] | None, Query(alias="status")] = None,
    project: Annotated[list[uuid.UUID] | None, Query()] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2999)] = None,
) -> SummaryQuery:
    for i, r in enumerate(region or []):
        if r not in REGION_BY_CODE:
            raise invalid(f"query.region[{i}]", f"unknown region {r!r}", "unknown")
    return SummaryQuery(
        group_by=list(dict.fromkeys(group_by or [])),
        transaction_types=[t.value for t in transaction_type or [TransactionType.disbursement]],
        funders=funder or [],
        countries=country or [],
        regions=region or [],
        themes=theme or [],
        statuses=[s.value for s in status_ or []],
        projects=project or [],
        year_from=year_from,
        year_to=year_to,
    )


SummaryQueryDep = Annotated[SummaryQuery, Depends(_summary_query)]


async def answer(session: AsyncSession, reads: Reads, query: SummaryQuery, scope: Scope) -> dict[str, Any]:
    """The summary's rows and total: from the funding cube when it holds the answer, else from the transactions."""
    if cube.serves(query, scope):
        return await cube.summarise(session, reads, query, scope)
    return await summarise_transactions(session, query, visible_clause(scope))
