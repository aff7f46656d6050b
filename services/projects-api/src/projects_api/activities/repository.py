"""SQL for activities."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import ORMOption

from projects_api.activities.models import Activity, ActivityParticipant
from registry_kit.pagination import fetch_page


def _loaded() -> list[ORMOption]:
    return [selectinload(Activity.participants).selectinload(ActivityParticipant.organisation)]


async def list_for_project(
    session: AsyncSession, project_id: uuid.UUID, *, kind: str | None, offset: int, limit: int
) -> tuple[list[Activity], int]:
    conditions = [Activity.project_id == project_id]
    if kind:
        conditions.append(Activity.kind == kind)
    return await fetch_page(
        session, Activity, conditions, [Activity.start_date, Activity.id], offset=offset, limit=limit, options=_loaded()
    )


async def get(session: AsyncSession, project_id: uuid.UUID, activity_id: uuid.UUID) -> Activity | None:
    stmt = (
        select(Activity)
        .where(Activity.id == activity_id, Activity.project_id == project_id)
        .options(*_loaded())
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one_or_none()
