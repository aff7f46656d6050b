"""SQL for results frameworks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from reporting_api.frameworks.models import ProjectIndicator, Result
from reporting_api.reports.models import ReportValue

_FULL = (
    selectinload(Result.indicators).selectinload(ProjectIndicator.indicator),
    selectinload(Result.indicators).selectinload(ProjectIndicator.targets),
)


async def framework(session: AsyncSession, project_id: uuid.UUID) -> list[Result]:
    rows = await session.scalars(
        select(Result)
        .where(Result.project_id == project_id)
        .options(*_FULL)
        .order_by(Result.position, Result.created_at)
    )
    return list(rows)


async def result(session: AsyncSession, project_id: uuid.UUID, result_id: uuid.UUID) -> Result | None:
    return await session.scalar(
        select(Result)
        .where(Result.id == result_id, Result.project_id == project_id)
        .options(*_FULL)
        .execution_options(populate_existing=True)
    )


async def project_indicator(session: AsyncSession, project_id: uuid.UUID, pi_id: uuid.UUID) -> ProjectIndicator | None:
    return await session.scalar(
        select(ProjectIndicator)
        .where(ProjectIndicator.id == pi_id, ProjectIndicator.project_id == project_id)
        .options(selectinload(ProjectIndicator.indicator), selectinload(ProjectIndicator.targets))
        .execution_options(populate_existing=True)
    )


async def indicators_of(session: AsyncSession, project_ids: Iterable[uuid.UUID]) -> list[ProjectIndicator]:
    """Every framework indicator of these projects, with its indicator and targets loaded."""
    ids = set(project_ids)
    if not ids:
        return []
    rows = await session.scalars(
        select(ProjectIndicator)
        .where(ProjectIndicator.project_id.in_(ids))
        .options(selectinload(ProjectIndicator.indicator), selectinload(ProjectIndicator.targets))
    )
    return list(rows)


async def used_indicator_ids(session: AsyncSession, project_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        await session.scalars(select(ProjectIndicator.indicator_id).where(ProjectIndicator.project_id == project_id))
    )


async def value_count(session: AsyncSession, pi_ids: Iterable[uuid.UUID]) -> int:
    ids = set(pi_ids)
    if not ids:
        return 0
    return int(
        await session.scalar(
            select(func.count()).select_from(ReportValue).where(ReportValue.project_indicator_id.in_(ids))
        )
        or 0
    )
