"""The DHIS2 mapping table: its SQL and its rules (admins change it; reporters, who import, may read it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from registry_kit.errors import NotFound, invalid
from registry_kit.etag import check_if_match
from reporting_api.imports.dhis2_schemas import Mapping, MappingIn, MappingUpdate, as_mapping
from reporting_api.imports.models import Dhis2Mapping
from reporting_api.indicators.models import Indicator
from reporting_api.projects.models import ProjectCopy


async def _indicator_id(session: AsyncSession, code: str) -> uuid.UUID:
    found = await session.scalar(select(Indicator.id).where(Indicator.code == code))
    if found is None:
        raise invalid("body.indicator_code", f"no indicator with code {code}", "unknown")
    return found


async def _check_project(session: AsyncSession, project_id: uuid.UUID) -> None:
    """The project must be one reporting-api knows (its copy of projects-api's projects)."""
    if await session.scalar(select(ProjectCopy.id).where(ProjectCopy.id == project_id)) is None:
        raise invalid("body.project_id", f"no project {project_id}", "unknown")


async def present(session: AsyncSession, rows: Sequence[Dhis2Mapping]) -> list[Mapping]:
    ids = {r.indicator_id for r in rows if r.indicator_id}
    found = await session.execute(select(Indicator.id, Indicator.code).where(Indicator.id.in_(ids)))
    codes: dict[uuid.UUID, str] = {row[0]: row[1] for row in found}
    return [as_mapping(r, codes.get(r.indicator_id) if r.indicator_id else None) for r in rows]


async def listed(
    session: AsyncSession, principal: Principal, kind: str | None, offset: int, limit: int
) -> tuple[list[Dhis2Mapping], int]:
    principal.require(Role.reporter)
    where = [Dhis2Mapping.kind == kind] if kind else []
    total = await session.scalar(select(func.count()).select_from(Dhis2Mapping).where(*where)) or 0
    rows = await session.scalars(
        select(Dhis2Mapping)
        .where(*where)
        .order_by(Dhis2Mapping.kind, Dhis2Mapping.dhis2_id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


async def get(session: AsyncSession, principal: Principal, mapping_id: uuid.UUID) -> Dhis2Mapping:
    principal.require(Role.reporter)
    row = await session.get(Dhis2Mapping, mapping_id)
    if row is None:
        raise NotFound(f"No DHIS2 mapping {mapping_id}.")
    return row


async def create(session: AsyncSession, principal: Principal, data: MappingIn) -> Dhis2Mapping:
    principal.require_admin()
    if data.project_id is not None:
        await _check_project(session, data.project_id)
    row = Dhis2Mapping(
        kind=data.kind,
        dhis2_id=data.dhis2_id,
        dhis2_code=data.dhis2_code,
        name=data.name,
        project_id=data.project_id,
        country_code=data.country_code,
        disaggregation=data.disaggregation,
        created_by=principal.subject,
        indicator_id=await _indicator_id(session, data.indicator_code) if data.indicator_code else None,
    )
    session.add(row)
    await session.flush()  # a second mapping of the same id or code is a 409 (the unique constraints)
    return row


async def update(
    session: AsyncSession, principal: Principal, mapping_id: uuid.UUID, data: MappingUpdate, if_match: str | None
) -> Dhis2Mapping:
    principal.require_admin()
    row = await get(session, principal, mapping_id)
    check_if_match(if_match, row.id, row.version)
    changes = data.model_dump(exclude_unset=True)
    allowed = {
        "orgUnit": {"project_id", "country_code"},
        "dataElement": {"indicator_code"},
        "categoryOptionCombo": {"disaggregation"},
    }[row.kind]
    targets = {"project_id", "country_code", "indicator_code", "disaggregation"} & changes.keys()
    if targets - allowed or (targets and changes[next(iter(targets))] is None) or len(targets) > 1:
        raise invalid("body", f"a {row.kind} maps to exactly one of {', '.join(sorted(allowed))}", "target")
    if "project_id" in targets:
        await _check_project(session, changes["project_id"])
        row.project_id, row.country_code = changes["project_id"], None
    if "country_code" in targets:
        row.project_id, row.country_code = None, changes["country_code"]
    if "indicator_code" in targets:
        row.indicator_id = await _indicator_id(session, changes["indicator_code"])
    if "disaggregation" in targets:
        row.disaggregation = changes["disaggregation"]
    for name in ("dhis2_code", "name"):
        if name in changes:
            setattr(row, name, changes[name])
    await session.flush()
    return row


async def delete(session: AsyncSession, principal: Principal, mapping_id: uuid.UUID, if_match: str | None) -> None:
    principal.require_admin()
    row = await get(session, principal, mapping_id)
    check_if_match(if_match, row.id, row.version)
    await session.delete(row)
    await session.flush()


@dataclass
class Lookup:
    """The mapping table in memory for one import (it is small: an admin writes it), by UID and by code."""

    by_id: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    by_code: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # (country, indicator code) → the one project of that country whose framework has the indicator, or why not.
    country_projects: dict[tuple[str, str], str] = field(default_factory=dict)

    def find(self, kind: str, identifier: str, scheme: str) -> dict[str, Any] | None:
        table = self.by_code if scheme == "code" else self.by_id
        return table.get((kind, identifier))


async def lookup(session: AsyncSession) -> Lookup:
    rows = (
        await session.execute(
            select(Dhis2Mapping, Indicator.code).outerjoin(Indicator, Indicator.id == Dhis2Mapping.indicator_id)
        )
    ).all()
    out = Lookup()
    for row, code in rows:
        target = {
            "project": str(row.project_id) if row.project_id else None,
            "country": row.country_code,
            "indicator": code,
            "disaggregation": row.disaggregation,
        }
        out.by_id[(row.kind, row.dhis2_id)] = target
        if row.dhis2_code:
            out.by_code[(row.kind, row.dhis2_code)] = target
    countries = {r[0].country_code for r in rows if r[0].country_code}
    if countries:
        out.country_projects = await _country_projects(session, countries)
    return out


async def _country_projects(session: AsyncSession, countries: set[str]) -> dict[tuple[str, str], str]:
    """For each mapped country and indicator: the project there whose framework has the indicator, when exactly one
    does (a country-level orgUnit cannot say which of several projects a value belongs to)."""
    rows = await session.execute(
        text(
            "SELECT c.country_code, i.code, array_agg(DISTINCT pi.project_id::text) "
            "FROM project_country_copy c JOIN project_indicator pi ON pi.project_id = c.project_id "
            "JOIN indicator i ON i.id = pi.indicator_id WHERE c.country_code = ANY(:countries) "
            "GROUP BY c.country_code, i.code"
        ),
        {"countries": sorted(countries)},
    )
    return {(country, code): projects[0] if len(projects) == 1 else "" for country, code, projects in rows}
