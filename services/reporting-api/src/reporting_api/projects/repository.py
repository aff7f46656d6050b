"""SQL for the local copy of projects."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, false, func, insert, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from reporting_api.projects.models import (
    ProjectCopy,
    ProjectCountryCopy,
    ProjectOrganisationCopy,
    ProjectThemeCopy,
    RegionCountry,
    SyncState,
)


async def get_copy(session: AsyncSession, project_id: uuid.UUID) -> ProjectCopy | None:
    return await session.get(ProjectCopy, project_id)


async def by_codes(session: AsyncSession, codes: Iterable[str]) -> dict[str, uuid.UUID]:
    wanted = set(codes)
    if not wanted:
        return {}
    rows = await session.execute(select(ProjectCopy.code, ProjectCopy.id).where(ProjectCopy.code.in_(wanted)))
    return dict(rows.all())


async def known_ids(session: AsyncSession, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    wanted = set(ids)
    if not wanted:
        return set()
    return set(await session.scalars(select(ProjectCopy.id).where(ProjectCopy.id.in_(wanted))))


def scope_clause(principal: Principal | None, role: Role, project_id: Any) -> ColumnElement[bool]:
    """Projects (by the local copy) that the caller's grants of at least `role` reach."""
    if principal is None:
        return false()
    grants = principal.grants_at_least(role)
    if any(g.is_global for g in grants):
        return true()
    clauses: list[ColumnElement[bool]] = []
    countries = {g.country for g in grants if g.country}
    orgs = {g.organisation_id for g in grants if g.organisation_id}
    if countries:
        clauses.append(
            project_id.in_(select(ProjectCountryCopy.project_id).where(ProjectCountryCopy.country_code.in_(countries)))
        )
    if orgs:
        clauses.append(
            project_id.in_(
                select(ProjectOrganisationCopy.project_id).where(ProjectOrganisationCopy.organisation_id.in_(orgs))
            )
        )
    return or_(*clauses) if clauses else false()


def public_clause(project_id: Any) -> ColumnElement[bool]:
    clause: ColumnElement[bool] = project_id.in_(select(ProjectCopy.id).where(ProjectCopy.is_public))
    return clause


async def in_scope(session: AsyncSession, principal: Principal | None, role: Role, project_id: uuid.UUID) -> bool:
    clause = scope_clause(principal, role, ProjectCopy.id)
    return bool(await session.scalar(select(clause).select_from(ProjectCopy).where(ProjectCopy.id == project_id)))


IN_SCOPE = "in-scope"  # not a participant: an organisation above one


async def upsert_projects(session: AsyncSession, states: Sequence[dict[str, Any]]) -> None:
    """Replace the copies of these projects (and their countries, themes, organisations) in a few statements."""
    if not states:
        return
    ids = [uuid.UUID(str(s["id"])) for s in states]
    await session.execute(delete(ProjectCopy).where(ProjectCopy.id.in_(ids)))
    now = datetime.now(UTC)
    await session.execute(
        insert(ProjectCopy),
        [
            {
                "id": pid,
                "code": s["code"],
                "title": s["title"],
                "status": s["status"],
                "is_public": bool(s["is_public"]),
                "source_version": int(s.get("version") or 0),
                "synced_at": now,
                "start_date": _day(s.get("actual_start") or s.get("planned_start")),
                "end_date": _day(s.get("actual_end") or s.get("planned_end")),
            }
            for pid, s in zip(ids, states, strict=True)
        ],
    )
    countries = [
        {"project_id": pid, "country_code": c["country_code"], "percentage": c["percentage"]}
        for pid, s in zip(ids, states, strict=True)
        for c in s.get("countries") or []
    ]
    themes = [
        {"project_id": pid, "theme_code": t}
        for pid, s in zip(ids, states, strict=True)
        for t in dict.fromkeys(s.get("themes") or [])
    ]
    orgs = list(
        {
            (pid, p["organisation_id"], p["role"]): {
                "project_id": pid,
                "organisation_id": uuid.UUID(str(p["organisation_id"])),
                "role": p["role"],
            }
            for pid, s in zip(ids, states, strict=True)
            for p in s.get("participants") or []
        }.values()
    )
    # Organisations above the participants (from projects-api's feed): grants on a parent reach its children's projects.
    participating = {(row["project_id"], row["organisation_id"]) for row in orgs}
    orgs += [
        {"project_id": pid, "organisation_id": org, "role": IN_SCOPE}
        for pid, s in zip(ids, states, strict=True)
        for org in dict.fromkeys(uuid.UUID(str(o)) for o in s.get("scope_organisations") or [])
        if (pid, org) not in participating
    ]
    for table, rows in ((ProjectCountryCopy, countries), (ProjectThemeCopy, themes), (ProjectOrganisationCopy, orgs)):
        if rows:
            await session.execute(insert(table), rows)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


async def delete_projects(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    if ids:
        await session.execute(delete(ProjectCopy).where(ProjectCopy.id.in_(ids)))


async def replace_regions(session: AsyncSession, regions: Sequence[dict[str, Any]]) -> None:
    rows = [
        {"region_code": r["code"], "region_name": r["name"], "country_code": c}
        for r in regions
        for c in dict.fromkeys(r.get("countries") or [])
    ]
    await session.execute(delete(RegionCountry))
    if rows:
        await session.execute(insert(RegionCountry), rows)


async def sync_state(session: AsyncSession, name: str) -> SyncState:
    state = await session.get(SyncState, name, with_for_update=True)
    if state is None:
        state = SyncState(name=name, projects_seen=0)
        session.add(state)
        await session.flush()
    return state


async def read_sync_state(session: AsyncSession, name: str) -> SyncState | None:
    return await session.get(SyncState, name)


async def count_copies(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(ProjectCopy)) or 0)
