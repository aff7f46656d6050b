"""The funding explorer's use cases: the summary (kept answers with their ETag), its funders and its download."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import scope_for, visible_clause
from projects_api.funding import cube, funders, kept_answer, summary_cache, summary_export
from projects_api.funding.schemas import Funder
from projects_api.funding.summary import SummaryQuery, summarise_transactions
from projects_api.funding.summary_cache import SummaryCache
from projects_api.funding.summary_query import answer
from registry_kit.auth import Principal, Role
from registry_kit.pagination import Page, PageParams
from registry_kit.raw_reads import Reads


@dataclass(frozen=True)
class SummaryAnswer:
    """The summary as JSON, with its ETag when it is a kept answer; no body when `If-None-Match` named that ETag."""

    body: bytes | None
    etag: str | None = None


async def summary(
    session: AsyncSession,
    reads: Reads,
    cache: SummaryCache,
    principal: Principal | None,
    query: SummaryQuery,
    if_none_match: str | None,
) -> SummaryAnswer:
    """EUR totals of the transactions the caller may see. Answers the funding cube serves (everyone's or the public's)
    are kept until the data changes and carry an ETag; others are summed from the transactions each time."""
    scope = await scope_for(session, principal, Role.viewer)
    if not cube.serves(query, scope):
        result = await summarise_transactions(session, query, visible_clause(scope))
        return SummaryAnswer(_summary_json(query, result))
    key = (query.key(), scope.everything)
    version = await cube.version(reads)
    tag = summary_cache.etag(key, version)
    if if_none_match and tag in (t.strip().removeprefix("W/") for t in if_none_match.split(",")):
        return SummaryAnswer(None, tag)
    body = cache.get(key, version)
    if body is None:
        # End the session's read-only transaction before taking a connection of the hot-read pool: behind PgBouncer
        # in transaction mode both pools draw on one small server pool, and requests each holding one connection
        # while waiting for a second would wait for each other (deploy/tests/test_database_tls.py found it).
        await session.commit()
        async with cache.lock(key):  # one request brings the answer up to date; the others then read it
            version = await cube.version(reads)
            tag = summary_cache.etag(key, version)
            kept = cache.kept(key)
            if kept is not None and kept.version == version:
                body = kept.body
            else:
                # Only the cube rows changed since the kept version, if there is one. A version that went back (a
                # kept answer saw writes that were then rolled back: possible only where reads share a writer's
                # transaction, as in tests) starts again from the whole cube.
                behind = kept is not None and kept.state is not None and kept.version < version
                state, since = (kept.state, kept.version) if behind and kept is not None else (None, -1)
                state = await cube.up_to_date(reads, query, scope, state, since)
                body = await kept_answer.render(session, reads, query, state, _json_default)
                cache.put(key, version, body, state)
    return SummaryAnswer(body, tag)


def _summary_json(query: SummaryQuery, result: dict[str, Any]) -> bytes:
    # Thousands of rows, built from typed database values: written straight to JSON in FundingSummary's shape
    # (every SummaryRow field, Decimals as strings) rather than validated row by row (see BENCHMARKS.md).
    body = {"group_by": query.group_by, "transaction_types": query.transaction_types, **result}
    return orjson.dumps(body, default=_json_default)


def _json_default(value: object) -> str:
    """Decimals as strings (every digit, as pydantic writes them); asyncpg's UUID subclass as its text."""
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


async def funders_page(
    session: AsyncSession, principal: Principal | None, q: str | None, page: PageParams
) -> Page[Funder]:
    """Organisations that funded projects the caller may see, departments rolled up into their ministry, by label."""
    scope = await scope_for(session, principal, Role.viewer)
    found = await funders.funders(session, scope, q.strip() if q else None)
    items = [Funder.model_validate(f) for f in found[page.offset : page.offset + page.page_size]]
    return Page.of(items, len(found), page)


@dataclass(frozen=True)
class SummaryFile:
    body: bytes
    media_type: str


async def summary_file(
    session: AsyncSession,
    reads: Reads,
    principal: Principal | None,
    query: SummaryQuery,
    file_format: Literal["csv", "xlsx"],
) -> SummaryFile:
    """The summary for the caller as a CSV or XLSX file: its rows, in its order, and its total (the XLSX with a sheet
    saying what was asked, the funders by name)."""
    scope = await scope_for(session, principal, Role.viewer)
    result = await answer(session, reads, query, scope)
    if file_format == "csv":
        return SummaryFile(summary_export.as_csv(query, result), summary_export.CSV_MEDIA)
    labels = await funders.names(session, query.funders)
    body = summary_export.as_xlsx(query, result, summary_export.about(query, labels))
    return SummaryFile(body, summary_export.XLSX_MEDIA)
