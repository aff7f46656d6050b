"""The hot reads (the filtered list and the detail), from the read tables the database keeps to the response's bytes.

Each project's list item and detail are kept as JSON text by the database (projects/read_tables.py, migration 0016),
so a read filters and orders as before and passes the kept text through: no related rows gathered per request, no
JSON parsed and written again. A page of one country's list (the most common request) reads a range of
`project_listing_country` in code order and the country's kept count: one statement, whatever the registry's size.
Every other combination of filters, sort and visibility runs the filters on `project` as before and joins the kept
items. The statements are compiled once per shape and run on asyncpg directly (registry_kit.raw_reads). Measured
with `make bench` (BENCHMARKS.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson
from fastapi import Response
from sqlalchemy import Integer, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from projects_api.access import read_visibility, visibility_clause
from projects_api.projects import filters
from projects_api.projects.filters import ProjectFilters
from projects_api.projects.models import Project
from projects_api.projects.read_tables import ProjectDocument, ProjectListing
from projects_api.projects.repository import order_by
from registry_kit.auth import Principal
from registry_kit.errors import NotFound
from registry_kit.pagination import PageParams
from registry_kit.raw_reads import CompiledRead, ReadCache, Reads

_READS = ReadCache()


def count_read(visibility: str, filter_names: tuple[str, ...]) -> CompiledRead:
    def build() -> Any:
        where = [visibility_clause(visibility), *(filters.CLAUSES[n](filters.unbound) for n in filter_names)]
        return select(func.count()).select_from(Project).where(*where)

    return _READS.get(("count", visibility, filter_names), build)


def page_read(visibility: str, filter_names: tuple[str, ...], sort: str) -> CompiledRead:
    """The page's kept items, joined to the projects the filters and the visibility rule select, in the sort's order,
    as one text (the items separated by commas)."""

    def build() -> Any:
        where = [visibility_clause(visibility), *(filters.CLAUSES[n](filters.unbound) for n in filter_names)]
        sorted_by = order_by(sort)
        position = func.row_number().over(order_by=sorted_by).label("position")  # the order, kept through the join
        page = (
            select(Project.id, position)
            .where(*where)
            .order_by(*sorted_by)
            .offset(bindparam("offset", type_=Integer))
            .limit(bindparam("limit", type_=Integer))
            .subquery("page")
        )
        items = func.string_agg(ProjectListing.item, aggregate_order_by(literal_column("','"), page.c.position))
        return select(items).select_from(page.join(ProjectListing, ProjectListing.project_id == page.c.id))

    return _READS.get(("page", visibility, filter_names, sort), build)


# One country, everyone's or the public's list, in code order: a range of the kept entries and the kept count.
_COUNTRY_PAGE = """
SELECT (SELECT {count} FROM project_country_count WHERE country_code = $1),
       (SELECT string_agg(item, ',' ORDER BY code {direction}, project_id {direction}) FROM (
            SELECT code, project_id, item FROM project_listing_country
            WHERE country_code = $1{public}
            ORDER BY code {direction}, project_id {direction} OFFSET $2 LIMIT $3) page)
"""
_COUNTRY_PAGES = {
    (visibility, sort): _COUNTRY_PAGE.format(
        count="projects" if visibility == "everything" else "public_projects",
        public="" if visibility == "everything" else " AND is_public",
        direction="DESC" if sort.startswith("-") else "ASC",
    )
    for visibility in ("everything", "public")
    for sort in ("code", "-code")
}  # codes are unique: the id only makes the order total


def _country_page(visibility: str, filter_names: tuple[str, ...], values: Mapping[str, Any], sort: str) -> str | None:
    """The one-country statement when it answers this request exactly (else None)."""
    if filter_names != ("countries",) or len(values["f_countries"]) != 1:
        return None
    return _COUNTRY_PAGES.get((visibility, sort))


def _page_bytes(items: str | None, total: int, page: PageParams) -> bytes:
    return b'{"items":[%s],"total":%d,"page":%d,"page_size":%d}' % (
        (items or "").encode(),
        total,
        page.page,
        page.page_size,
    )


async def list_page(
    reads: Reads, principal: Principal | None, f: ProjectFilters, *, sort: str, page: PageParams
) -> bytes:
    """A page of the filtered list the caller may see, and the total, as the response's JSON (Page[ProjectSummary])."""
    visibility, values = read_visibility(principal)
    filter_names, filter_values = filters.bound(f)
    values |= filter_values
    country_page = _country_page(visibility, filter_names, values, sort)
    async with reads.connection() as conn:
        if country_page is not None:
            total, items = await conn.fetchrow(country_page, values["f_countries"][0], page.offset, page.page_size)
            return _page_bytes(items, total or 0, page)
        count, rows = count_read(visibility, filter_names), page_read(visibility, filter_names, sort)
        total = await conn.fetchval(count.sql, *count.args(values))
        page_values = values | {"offset": page.offset, "limit": page.page_size}
        items = await conn.fetchval(rows.sql, *rows.args(page_values))
    return _page_bytes(items, total, page)


def _detail_read(visibility: str) -> CompiledRead:
    def build() -> Any:
        return (
            select(ProjectDocument.body, Project.version)
            .select_from(Project)
            .join(ProjectDocument, ProjectDocument.project_id == Project.id)
            .where(Project.id == bindparam("project_id"), visibility_clause(visibility))
        )

    return _READS.get(("detail", visibility), build)


async def visible_detail(reads: Reads, principal: Principal | None, project_id: uuid.UUID) -> tuple[bytes, int]:
    """The project with all its relations, as the response's JSON (Project, kept by the database), and its version,
    if the caller may read it; 404 otherwise (non-public projects are not revealed). One statement."""
    visibility, values = read_visibility(principal)
    read = _detail_read(visibility)
    row = await reads.fetchrow(read, values | {"project_id": project_id})
    if row is None:
        raise NotFound(f"No project {project_id}.")
    body, version = row
    return body.encode(), version


def json_response(body: Any, headers: Mapping[str, str] | None = None) -> Response:
    """A body already written (bytes), or rows the database typed, written straight to JSON (no model validation: the
    tests compare these bodies with the validated ORM answers)."""
    content = body if isinstance(body, bytes) else orjson.dumps(body, default=_json_default, option=orjson.OPT_UTC_Z)
    return Response(content, headers=headers, media_type="application/json")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)  # asyncpg's UUID type is not the one orjson knows
    raise TypeError(type(value).__name__)
