"""The hot reads (the filtered list and the detail) selected straight into response models.

One statement returns each project's row with its related records already aggregated as JSON by PostgreSQL, so a
page costs two statements (the count and the page) and a detail one, with no ORM objects hydrated. Measured with
`make bench` (BENCHMARKS.md): the ORM path with selectin loads cost 6 and 8 statements per request.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from sqlalchemy import JSON, ColumnElement, Text, func, literal_column, select, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import scope_for, visible_clause
from projects_api.organisations.models import Organisation
from projects_api.projects.models import (
    Project,
    ProjectCountry,
    ProjectLocation,
    ProjectParticipant,
    ProjectSector,
    ProjectTheme,
)
from projects_api.projects.repository import order_by
from projects_api.projects.schemas import Project as ProjectOut
from projects_api.projects.schemas import ProjectSummary
from projects_api.reference.data import DAC_SECTORS, THEMES, ParticipantRole
from projects_api.reference.lookups import country_names
from registry_kit.auth import Principal, Role
from registry_kit.errors import NotFound

_THEME_NAMES = {t.code: t.name for t in THEMES}
_SECTOR_NAMES = {s.code: s.name for s in DAC_SECTORS}
_EMPTY: ColumnElement[Any] = literal_column("'[]'::json")
_FUNDING = ParticipantRole.funding.value


def _json_list(where: list[Any], fields: dict[str, Any], order: Any, *joins: Any) -> Any:
    """A correlated subquery: matching rows as a JSON array of objects in `order` ([] when none)."""
    pairs: list[Any] = [part for name, column in fields.items() for part in (name, column)]
    aggregated = func.coalesce(func.json_agg(aggregate_order_by(func.json_build_object(*pairs), order)), _EMPTY)
    stmt = select(aggregated)
    for target, on in joins:
        stmt = stmt.join_from(ProjectParticipant, target, on)
    return type_coerce(stmt.where(*where).scalar_subquery(), JSON)


def _text(column: Any) -> Any:
    """Decimals travel as text so they keep their scale (70.00, not 70.0)."""
    return column.cast(Text)


def _countries() -> Any:
    pc = ProjectCountry
    fields = {"country_code": pc.country_code, "percentage": _text(pc.percentage)}
    return _json_list([pc.project_id == Project.id], fields, pc.country_code).label("countries")


def _themes() -> Any:
    pt = ProjectTheme
    return _json_list([pt.project_id == Project.id], {"code": pt.theme_code}, pt.theme_code).label("themes")


def _sectors() -> Any:
    ps = ProjectSector
    fields = {"sector_code": ps.sector_code, "percentage": _text(ps.percentage)}
    return _json_list([ps.project_id == Project.id], fields, ps.sector_code).label("sectors")


def _locations() -> Any:
    pl = ProjectLocation
    fields = {
        "id": pl.id, "country_code": pl.country_code, "name": pl.name, "admin_area": pl.admin_area,
        "description": pl.description, "latitude": _text(pl.latitude), "longitude": _text(pl.longitude),
    }  # fmt: skip
    return _json_list([pl.project_id == Project.id], fields, pl.name).label("locations")


def _participants(*, funders_only: bool) -> Any:
    pp, org = ProjectParticipant, Organisation
    where = [pp.project_id == Project.id] + ([pp.role == _FUNDING] if funders_only else [])
    fields = {"id": org.id, "name": org.name, "acronym": org.acronym, "role": pp.role}
    return _json_list(where, fields, pp.position, (org, org.id == pp.organisation_id)).label("participants")


_SUMMARY_COLUMNS = (
    Project.id, Project.code, Project.title, Project.status, Project.planned_start, Project.planned_end,
    Project.actual_start, Project.actual_end, Project.is_public, Project.is_illustrative, Project.updated_at,
)  # fmt: skip


def _countries_out(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = country_names()
    return [{**c, "name": names.get(c["country_code"], c["country_code"])} for c in rows]


def _org(p: dict[str, Any]) -> dict[str, Any]:
    return {"id": p["id"], "name": p["name"], "acronym": p["acronym"]}


@cache
def _page_select() -> Any:
    """Built once: the columns and subqueries of a list page (building them cost a fifth of a request's CPU)."""
    return select(*_SUMMARY_COLUMNS, _countries(), _themes(), _participants(funders_only=True))


@cache
def _detail_select() -> Any:
    return select(
        *_SUMMARY_COLUMNS, Project.description, Project.source, Project.version, Project.created_at,
        _countries(), _themes(), _sectors(), _locations(), _participants(funders_only=False),
    )  # fmt: skip


async def summaries_page(
    session: AsyncSession, conditions: list[ColumnElement[bool]], *, sort: str, offset: int, limit: int
) -> tuple[list[ProjectSummary], int]:
    """The page of the filtered list and the total, as response models (two statements)."""
    total = await session.scalar(select(func.count()).select_from(Project).where(*conditions)) or 0
    stmt = _page_select().where(*conditions).order_by(*order_by(sort)).offset(offset).limit(limit)
    items = []
    for row in (await session.execute(stmt)).mappings():
        data = dict(row)
        data["countries"] = _countries_out(data["countries"])
        data["themes"] = [t["code"] for t in data["themes"]]
        data["funders"] = [_org(p) for p in data.pop("participants")]
        items.append(ProjectSummary.model_validate(data))
    return items, total


async def detail(session: AsyncSession, project_id: uuid.UUID, visible: ColumnElement[bool]) -> ProjectOut | None:
    """The project with all its relations as the response model, if `visible` lets the caller see it (one statement)."""
    stmt = _detail_select().where(Project.id == project_id, visible)
    row = (await session.execute(stmt)).mappings().one_or_none()
    if row is None:
        return None
    data = dict(row)
    data["countries"] = _countries_out(data["countries"])
    data["themes"] = [{"code": t["code"], "name": _THEME_NAMES.get(t["code"], t["code"])} for t in data["themes"]]
    data["sectors"] = [{**s, "name": _SECTOR_NAMES.get(s["sector_code"], s["sector_code"])} for s in data["sectors"]]
    data["participants"] = [{"organisation": _org(p), "role": p["role"]} for p in data["participants"]]
    return ProjectOut.model_validate(data)


async def visible_detail(session: AsyncSession, principal: Principal | None, project_id: uuid.UUID) -> ProjectOut:
    """The detail if the caller may read the project; 404 otherwise (non-public projects are not revealed)."""
    scope = await scope_for(session, principal, Role.viewer)
    project = await detail(session, project_id, visible_clause(scope))
    if project is None:
        raise NotFound(f"No project {project_id}.")
    return project
