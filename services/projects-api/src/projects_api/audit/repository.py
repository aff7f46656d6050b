"""SQL for the audit trail and the change feed built on it."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
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
