"""SQL for projects: the filtered list, the full detail, the checks writes need."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import UnaryExpression

from projects_api.organisations.repository import with_descendants
from projects_api.projects.models import (
    Project,
    ProjectCountry,
    ProjectParticipant,
    ProjectSector,
    ProjectTheme,
)
from projects_api.reference.data import REGION_BY_CODE
from registry_kit.search import prefix_match


@dataclass
class ProjectFilters:
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    organisations: list[uuid.UUID] = field(default_factory=list)
    organisation_role: str | None = None
    themes: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    q: str | None = None
    is_public: bool | None = None


SORTS = {
    "code": Project.code,
    "title": Project.title,
    "start": func.coalesce(Project.actual_start, Project.planned_start),
    "end": func.coalesce(Project.actual_end, Project.planned_end),
    "updated": Project.updated_at,
    "created": Project.created_at,
}


async def filter_conditions(session: AsyncSession, f: ProjectFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses for the filters; each one is served by an index (see docs/query-plans.md)."""
    conditions: list[ColumnElement[bool]] = []
    countries = set(f.countries)
    for region in f.regions:
        countries |= set(REGION_BY_CODE[region].countries)
    if countries:
        conditions.append(
            Project.id.in_(select(ProjectCountry.project_id).where(ProjectCountry.country_code.in_(countries)))
        )
    if f.organisations:
        org_ids = await with_descendants(session, f.organisations)
        sub = select(ProjectParticipant.project_id).where(ProjectParticipant.organisation_id.in_(org_ids))
        if f.organisation_role:
            sub = sub.where(ProjectParticipant.role == f.organisation_role)
        conditions.append(Project.id.in_(sub))
    if f.themes:
        conditions.append(Project.id.in_(select(ProjectTheme.project_id).where(ProjectTheme.theme_code.in_(f.themes))))
    if f.sectors:
        conditions.append(
            Project.id.in_(select(ProjectSector.project_id).where(ProjectSector.sector_code.in_(f.sectors)))
        )
    if f.statuses:
        conditions.append(Project.status.in_(f.statuses))
    if f.year_from is not None or f.year_to is not None:
        start = date(f.year_from or 1900, 1, 1)
        end = date(f.year_to or 2999, 12, 31)
        window = func.daterange(start, end, "[]")
        conditions.append(literal_column("project.active").op("&&")(window))
    if f.q:
        conditions.append(prefix_match("project.search", f.q))
    if f.is_public is not None:
        conditions.append(Project.is_public.is_(f.is_public))
    return conditions


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
