"""The change feed: which projects changed since a cursor, with their current state.

Events are ordered by the id of the transaction that wrote them and served only once every transaction
that could still write before them has ended (txid below the snapshot's xmin), so a reader that follows
the cursor never skips a change that committed late.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import BigInteger, func, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.models import AuditEvent
from projects_api.organisations.repository import parent_map
from projects_api.projects.models import Project
from projects_api.projects.repository import load_many

SAFE_TXID = select(text("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar_subquery()
# The reader's own transaction, if it wrote anything: its changes are visible to it and final for it.
OWN_TXID = select(text("pg_current_xact_id_if_assigned()::text::bigint")).scalar_subquery()


BIGINT_MAX = 2**63 - 1


def parse_cursor(cursor: str | None) -> tuple[int, int]:
    """The (transaction id, event id) a cursor names; ValueError unless both fit the bigint columns they compare
    with (a larger number is no cursor this feed gave, and the database would refuse to bind it)."""
    if not cursor:
        return (0, 0)
    txid, _, event_id = cursor.partition(".")
    parsed = int(txid), int(event_id)
    if not all(0 <= n <= BIGINT_MAX for n in parsed):
        raise ValueError(cursor)
    return parsed


async def changed_projects(
    session: AsyncSession, cursor: tuple[int, int], limit: int
) -> tuple[list[uuid.UUID], tuple[int, int], bool]:
    """Project ids changed after `cursor` (in order, each once), the next cursor, and whether more wait."""
    rows = (
        await session.execute(
            select(AuditEvent.txid, AuditEvent.id, AuditEvent.project_id)
            .where(
                AuditEvent.project_id.is_not(None),
                tuple_(AuditEvent.txid, AuditEvent.id) > tuple_(cursor[0], cursor[1]),
                or_(AuditEvent.txid < func.cast(SAFE_TXID, BigInteger), AuditEvent.txid == OWN_TXID),
            )
            .order_by(AuditEvent.txid, AuditEvent.id)
            .limit(limit + 1)
        )
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    ids = list(dict.fromkeys(r.project_id for r in rows if r.project_id is not None))
    next_cursor = (rows[-1].txid, rows[-1].id) if rows else cursor
    return ids, next_cursor, has_more


def format_cursor(cursor: tuple[int, int]) -> str:
    return f"{cursor[0]}.{cursor[1]}"


async def current_state(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Project]:
    return {p.id: p for p in await load_many(session, ids)}


async def scope_organisations(session: AsyncSession, projects: list[Project]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Per project, its organisations and every organisation above them: a grant on any of these reaches it.
    Readers keep this so they can apply grants without knowing the organisation tree."""
    participants = {p.organisation_id for project in projects for p in project.participants}
    parents = await parent_map(session, participants)
    out: dict[uuid.UUID, list[uuid.UUID]] = {}
    for project in projects:
        reach: set[uuid.UUID] = set()
        for participant in project.participants:
            org: uuid.UUID | None = participant.organisation_id
            while org is not None and org not in reach:
                reach.add(org)
                org = parents.get(org)
        out[project.id] = sorted(reach)
    return out


def project_state(project: Project, scope: list[uuid.UUID]) -> dict[str, Any]:
    return {
        "id": project.id,
        "code": project.code,
        "title": project.title,
        "status": project.status,
        "is_public": project.is_public,
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "actual_start": project.actual_start,
        "actual_end": project.actual_end,
        "countries": [{"country_code": c.country_code, "percentage": c.percentage} for c in project.countries],
        "themes": [t.theme_code for t in project.themes],
        "participants": [{"organisation_id": p.organisation_id, "role": p.role} for p in project.participants],
        "scope_organisations": scope,
        "version": project.version,
        "updated_at": project.updated_at,
    }
