"""SQL for projects: the filtered list, the full detail, the checks writes need."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import UnaryExpression

from projects_api.projects.models import (
    Project,
    ProjectParticipant,
)

SORTS = {
    "code": Project.code,
    "title": Project.title,
    "start": func.coalesce(Project.actual_start, Project.planned_start),
    "end": func.coalesce(Project.actual_end, Project.planned_end),
    "updated": Project.updated_at,
    "created": Project.created_at,
}


def order_by(sort: str) -> list[UnaryExpression[Any]]:
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    primary = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return [primary, Project.id.asc()]


async def get_full(session: AsyncSession, project_id: uuid.UUID) -> Project | None:
    stmt = (
        select(Project)
        .where(Project.id == project_id)
        .options(
            selectinload(Project.countries),
            selectinload(Project.themes),
            selectinload(Project.sectors),
            selectinload(Project.locations),
            selectinload(Project.participants).selectinload(ProjectParticipant.organisation),
            selectinload(Project.reporting_org),
        )
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one_or_none()


async def get_light(session: AsyncSession, project_id: uuid.UUID) -> Project | None:
    return await session.get(Project, project_id)


async def id_for_code(session: AsyncSession, code: str) -> uuid.UUID | None:
    return await session.scalar(select(Project.id).where(Project.code == code))


async def is_visible(session: AsyncSession, project_id: uuid.UUID, clause: ColumnElement[bool]) -> bool:
    return bool(await session.scalar(select(clause).where(Project.id == project_id)))


async def load_many(session: AsyncSession, ids: list[uuid.UUID]) -> list[Project]:
    """Projects with countries, themes and participants (not their organisations), in one batch."""
    if not ids:
        return []
    stmt = (
        select(Project)
        .where(Project.id.in_(ids))
        .options(selectinload(Project.countries), selectinload(Project.themes), selectinload(Project.participants))
    )
    return list(await session.scalars(stmt))
