"""SQL for the indicator catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.pagination import fetch_page
from registry_kit.search import contains_pattern
from reporting_api.frameworks.models import ProjectIndicator
from reporting_api.indicators.models import Indicator


async def get(session: AsyncSession, indicator_id: uuid.UUID) -> Indicator | None:
    return await session.get(Indicator, indicator_id)


async def by_code(session: AsyncSession, code: str) -> Indicator | None:
    return await session.scalar(select(Indicator).where(Indicator.code == code))


async def by_codes(session: AsyncSession, codes: Iterable[str]) -> dict[str, Indicator]:
    wanted = set(codes)
    if not wanted:
        return {}
    return {i.code: i for i in await session.scalars(select(Indicator).where(Indicator.code.in_(wanted)))}


async def by_ids(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Indicator]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {i.id: i for i in await session.scalars(select(Indicator).where(Indicator.id.in_(wanted)))}


async def list_page(
    session: AsyncSession, *, q: str | None, level: str | None, measure: str | None, offset: int, limit: int
) -> tuple[list[Indicator], int]:
    conditions: list[ColumnElement[bool]] = []
    if q:
        pattern = contains_pattern(q)
        conditions.append(or_(func.lower(Indicator.name).like(pattern), func.lower(Indicator.code).like(pattern)))
    if level:
        conditions.append(Indicator.level == level)
    if measure:
        conditions.append(Indicator.measure == measure)
    return await fetch_page(session, Indicator, conditions, [Indicator.code], offset=offset, limit=limit)


async def uses(session: AsyncSession, indicator_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(ProjectIndicator).where(ProjectIndicator.indicator_id == indicator_id)
        )
        or 0
    )
