"""SQL for the audit trail and the change feed built on it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, func, insert, literal, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.models import AuditEvent


async def for_project(
    session: AsyncSession, project_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[list[AuditEvent], int]:
    total = await session.scalar(select(func.count()).where(AuditEvent.project_id == project_id)) or 0
    rows = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.project_id == project_id)
        .order_by(AuditEvent.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


def touch(row: Any) -> None:
    """The row's `updated_at` set to the transaction's time when it is flushed, so its version moves even when only
    its lists changed (no column of its own is dirty, so no `onupdate` would fire)."""
    row.updated_at = func.now()


async def insert_for_projects(session: AsyncSession, project_ids: Select[Any], values: Mapping[str, Any]) -> None:
    """One event with `values` on every project `project_ids` selects, in one INSERT … SELECT."""
    projects = project_ids.subquery()
    columns = [*values, "project_id"]
    rows = select(
        *(type_coerce(v, JSONB) if isinstance(v, dict) else literal(v) for v in values.values()), projects.c[0]
    )
    await session.execute(insert(AuditEvent).from_select(columns, rows))
