"""SQL for context series."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.pagination import fetch_page
from registry_kit.search import contains_pattern
from reporting_api.context.models import ContextSeries, ContextValue


async def get(session: AsyncSession, series_id: uuid.UUID) -> ContextSeries | None:
    return await session.get(ContextSeries, series_id)


async def by_code(session: AsyncSession, code: str) -> ContextSeries | None:
    return await session.scalar(select(ContextSeries).where(ContextSeries.code == code))


async def by_ids(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ContextSeries]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {s.id: s for s in await session.scalars(select(ContextSeries).where(ContextSeries.id.in_(wanted)))}


async def list_page(
    session: AsyncSession, *, country: str | None, q: str | None, offset: int, limit: int
) -> tuple[list[ContextSeries], int]:
    conditions: list[ColumnElement[bool]] = []
    if country:
        conditions.append(ContextSeries.country_code == country)
    if q:
        pattern = contains_pattern(q)
        conditions.append(or_(func.lower(ContextSeries.name).like(pattern), ContextSeries.code.like(pattern)))
    return await fetch_page(session, ContextSeries, conditions, [ContextSeries.code], offset=offset, limit=limit)


async def values_of(session: AsyncSession, series_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[ContextValue]]:
    """The values of several series in one query, each list in period order."""
    ids = set(series_ids)
    out: dict[uuid.UUID, list[ContextValue]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = await session.scalars(
        select(ContextValue)
        .where(ContextValue.series_id.in_(ids))
        .order_by(ContextValue.series_id, ContextValue.period_start, ContextValue.period_end)
    )
    for row in rows:
        out[row.series_id].append(row)
    return out


async def value(session: AsyncSession, series_id: uuid.UUID, period_code: str) -> ContextValue | None:
    return await session.scalar(
        select(ContextValue).where(ContextValue.series_id == series_id, ContextValue.period_code == period_code)
    )


async def dependants(session: AsyncSession, series_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(ContextSeries)
            .where(or_(ContextSeries.numerator_id == series_id, ContextSeries.denominator_id == series_id))
        )
        or 0
    )
