"""SQL for activities."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from projects_api.activities.models import Activity, ActivityParticipant


def _loaded() -> list[object]:
    return [selectinload(Activity.participants).selectinload(ActivityParticipant.organisation)]


async def list_for_project(
    session: AsyncSession, project_id: uuid.UUID, *, kind: str | None, offset: int, limit: int
) -> tuple[list[Activity], int]:
    conditions = [Activity.project_id == project_id]
    if kind:
        conditions.append(Activity.kind == kind)
    total = await session.scalar(select(func.count()).select_from(Activity).where(*conditions)) or 0
    rows = await session.scalars(
        select(Activity)
        .where(*conditions)
        .order_by(Activity.start_date, Activity.id)
        .offset(offset)
        .limit(limit)
        .options(*_loaded())  # type: ignore[arg-type]
    )
    return list(rows), total


async def get(session: AsyncSession, project_id: uuid.UUID, activity_id: uuid.UUID) -> Activity | None:
    stmt = (
        select(Activity)
        .where(Activity.id == activity_id, Activity.project_id == project_id)
        .options(*_loaded())  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one_or_none()
