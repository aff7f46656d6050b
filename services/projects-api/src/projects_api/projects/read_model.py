"""The hot reads (the filtered list and the detail), from SQL straight to the response's JSON.

One statement returns each project's row with its related records already aggregated as JSON by PostgreSQL, so a
page costs two statements (the count and the page) and a detail one, with no ORM objects hydrated. The statements
are compiled once per shape and run on asyncpg directly (registry_kit.raw_reads). Measured with `make bench`
(BENCHMARKS.md): the ORM path with selectin loads cost 6 and 8 statements per request; the session around the
single-statement reads cost more CPU than the JSON.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import orjson
from fastapi import Response
from sqlalchemy import ColumnElement, Integer, Text, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from projects_api.access import read_visibility, visibility_clause
from projects_api.organisations.models import Organisation
from projects_api.projects import filters
from projects_api.projects.filters import ProjectFilters
from projects_api.projects.models import (
    Project,
    ProjectCountry,
    ProjectLocation,
    ProjectParticipant,
    ProjectSector,
    ProjectTheme,
)
from projects_api.projects.repository import order_by
from projects_api.reference.data import DAC_SECTORS, THEMES, ParticipantRole
from projects_api.reference.lookups import country_names
from registry_kit.auth import Principal
from registry_kit.errors import NotFound
from registry_kit.pagination import PageParams
from registry_kit.raw_reads import CompiledRead, ReadCache, Reads

_THEME_NAMES = {t.code: t.name for t in THEMES}
_SECTOR_NAMES = {s.code: s.name for s in DAC_SECTORS}
_EMPTY: ColumnElement[Any] = literal_column("'[]'::json")
_FUNDING = ParticipantRole.funding.value


def _json_list(where: list[Any], fields: dict[str, Any], order: Any, *joins: Any) -> Any:
    """A correlated subquery: matching rows as a JSON array of objects in `order` ([] when none), as text: parsed
    here by orjson in one call, rather than value by value through the driver's codec."""
    pairs: list[Any] = [part for name, column in fields.items() for part in (name, column)]
    aggregated = func.coalesce(func.json_agg(aggregate_order_by(func.json_build_object(*pairs), order)), _EMPTY)
    stmt = select(aggregated)
    for target, on in joins:
        stmt = stmt.join_from(ProjectParticipant, target, on)
    return stmt.where(*where).scalar_subquery().cast(Text)


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
    Project.id, Project.code, Project.title, Project.language, Project.titles.cast(Text).label("titles"), Project.status,
    Project.planned_start, Project.planned_end, Project.actual_start, Project.actual_end, Project.is_public,
    Project.is_illustrative, Project.updated_at,
)  # fmt: skip


def _reporting_org() -> Any:
    org = Organisation
    fields = {"id": org.id, "name": org.name, "acronym": org.acronym}
    one = select(func.json_build_object(*[p for n, c in fields.items() for p in (n, c)]))
    return one.where(org.id == Project.reporting_org_id).scalar_subquery().cast(Text).label("reporting_organisation")


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
        *_SUMMARY_COLUMNS, Project.description, Project.descriptions.cast(Text).label("descriptions"), Project.source,
        Project.version, Project.created_at, _reporting_org(), _countries(), _themes(), _sectors(), _locations(), _participants(funders_only=False),
    )  # fmt: skip


_READS = ReadCache()


def count_read(visibility: str, filter_names: tuple[str, ...]) -> CompiledRead:
    def build() -> Any:
        where = [visibility_clause(visibility), *(filters.CLAUSES[n](filters.unbound) for n in filter_names)]
        return select(func.count()).select_from(Project).where(*where)

    return _READS.get(("count", visibility, filter_names), build)


def page_read(visibility: str, filter_names: tuple[str, ...], sort: str) -> CompiledRead:
    def build() -> Any:
        where = [visibility_clause(visibility), *(filters.CLAUSES[n](filters.unbound) for n in filter_names)]
        stmt = _page_select().where(*where).order_by(*order_by(sort))
        return stmt.offset(bindparam("offset", type_=Integer)).limit(bindparam("limit", type_=Integer))

    return _READS.get(("page", visibility, filter_names, sort), build)


def _detail_read(visibility: str) -> CompiledRead:
    def build() -> Any:
        return _detail_select().where(Project.id == bindparam("project_id"), visibility_clause(visibility))

    return _READS.get(("detail", visibility), build)


def _summary(row: Mapping[str, Any]) -> dict[str, Any]:
    item = dict(row)
    item["titles"] = orjson.loads(item["titles"])
    item["countries"] = _countries_out(orjson.loads(item["countries"]))
    item["themes"] = [t["code"] for t in orjson.loads(item["themes"])]
    item["funders"] = [_org(p) for p in orjson.loads(item.pop("participants"))]
    return item


def _detail(row: Mapping[str, Any]) -> dict[str, Any]:
    item = dict(row)
    item["titles"], item["descriptions"] = orjson.loads(item["titles"]), orjson.loads(item["descriptions"])
    reporting = item["reporting_organisation"]
    item["reporting_organisation"] = orjson.loads(reporting) if reporting else None
    item["countries"] = _countries_out(orjson.loads(item["countries"]))
    themes, sectors = orjson.loads(item["themes"]), orjson.loads(item["sectors"])
    item["themes"] = [{"code": t["code"], "name": _THEME_NAMES.get(t["code"], t["code"])} for t in themes]
    item["sectors"] = [{**x, "name": _SECTOR_NAMES.get(x["sector_code"], x["sector_code"])} for x in sectors]
    item["locations"] = orjson.loads(item["locations"])
    item["participants"] = [{"organisation": _org(p), "role": p["role"]} for p in orjson.loads(item["participants"])]
    return item


def json_response(body: Any, headers: Mapping[str, str] | None = None) -> Response:
    """Rows the database typed, written straight to JSON in the response model's shape (no model validation: the
    tests compare these bodies with the validated ORM answers)."""
    return Response(orjson.dumps(body, default=_json_default, option=orjson.OPT_UTC_Z), headers=headers,
                    media_type="application/json")  # fmt: skip


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)  # asyncpg's UUID type is not the one orjson knows
    raise TypeError(type(value).__name__)


async def list_page(
    reads: Reads, principal: Principal | None, f: ProjectFilters, *, sort: str, page: PageParams
) -> dict[str, Any]:
    """A page of the filtered list the caller may see, and the total (two statements on one connection)."""
    visibility, values = read_visibility(principal)
    filter_names, filter_values = filters.bound(f)
    values |= filter_values
    count, rows = count_read(visibility, filter_names), page_read(visibility, filter_names, sort)
    async with reads.connection() as conn:
        total = await conn.fetchval(count.sql, *count.args(values))
        page_values = values | {"offset": page.offset, "limit": page.page_size}
        found = await conn.fetch(rows.sql, *rows.args(page_values))
    items = [_summary(r) for r in found]
    return {"items": items, "total": total, "page": page.page, "page_size": page.page_size}


async def visible_detail(reads: Reads, principal: Principal | None, project_id: uuid.UUID) -> dict[str, Any]:
    """The project with all its relations if the caller may read it; 404 otherwise (non-public projects are not
    revealed). One statement."""
    visibility, values = read_visibility(principal)
    read = _detail_read(visibility)
    row = await reads.fetchrow(read, values | {"project_id": project_id})
    if row is None:
        raise NotFound(f"No project {project_id}.")
    return _detail(row)
