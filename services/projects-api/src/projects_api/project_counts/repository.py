"""SQL for project counts: GROUP BY over the link tables' (code, project_id) indexes, restricted to visible projects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.project_counts.schemas import CountBy
from projects_api.projects.models import Project, ProjectCountry, ProjectTheme


def grouped(by: CountBy, matching: Select[Any]) -> Select[str, int]:
    """Projects per value of one dimension, among the matching ones (GROUP BY over the link table's index)."""
    if by is CountBy.status:
        return select(Project.status, func.count()).where(Project.id.in_(matching)).group_by(Project.status)
    column = ProjectCountry.country_code if by is CountBy.country else ProjectTheme.theme_code
    link = ProjectCountry if by is CountBy.country else ProjectTheme
    return select(column, func.count()).where(link.project_id.in_(matching)).group_by(column)


async def counts(
    session: AsyncSession, conditions: list[ColumnElement[bool]], dimensions: list[CountBy]
) -> tuple[int, dict[CountBy, list[tuple[str, int]]]]:
    """(matching projects, rows per dimension sorted by count then key), one query per dimension plus the total."""
    matching = select(Project.id).where(*conditions)
    total = await session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    out: dict[CountBy, list[tuple[str, int]]] = {}
    for by in dimensions:
        rows = (await session.execute(grouped(by, matching))).all()
        out[by] = sorted(((str(key), int(n)) for key, n in rows), key=lambda r: (-r[1], r[0]))
    return total, out
