"""SQL of the IATI exchange: the readable projects among those asked for, their frameworks, their approved values."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from registry_kit.auth import Principal, Role
from reporting_api.frameworks.models import ProjectIndicator, Result
from reporting_api.projects.models import ProjectCopy
from reporting_api.projects.repository import scope_clause
from reporting_api.reports.models import Report, ReportValue


async def readable_by_copy(
    session: AsyncSession, principal: Principal | None, ids: Sequence[uuid.UUID]
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """(ids the local copy says the caller may read, ids the copy does not hold yet)."""
    rows = await session.execute(
        select(ProjectCopy.id, or_(ProjectCopy.is_public, scope_clause(principal, Role.viewer, ProjectCopy.id))).where(
            ProjectCopy.id.in_(ids)
        )
    )
    held = {pid: bool(ok) for pid, ok in rows.all()}
    return {pid for pid, ok in held.items() if ok}, set(ids) - set(held)


async def frameworks(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Result]:
    if not ids:
        return []
    rows = await session.scalars(
        select(Result)
        .where(Result.project_id.in_(ids))
        .options(
            selectinload(Result.indicators).selectinload(ProjectIndicator.indicator),
            selectinload(Result.indicators).selectinload(ProjectIndicator.targets),
        )
        .order_by(Result.project_id, Result.position, Result.created_at, Result.id)
    )
    return list(rows)


async def approved_values(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Any]:
    """Every approved value of these projects, with its report's period."""
    if not ids:
        return []
    rows = await session.execute(
        select(
            ReportValue.project_indicator_id,
            ReportValue.disaggregation,
            ReportValue.value,
            ReportValue.text_value,
            ReportValue.comment,
            Report.period_code,
            Report.period_start,
            Report.period_end,
        )
        .join(Report, Report.id == ReportValue.report_id)
        .where(Report.project_id.in_(ids), Report.status == "approved")
        .order_by(Report.period_start, ReportValue.disaggregation_key)
    )
    return list(rows)


async def reported_value_count(session: AsyncSession, project_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(ReportValue)
        .join(Report, Report.id == ReportValue.report_id)
        .where(Report.project_id == project_id)
    )
    return int(count or 0)


async def drop_framework(session: AsyncSession, project_id: uuid.UUID) -> None:
    """The project's reports (without values: checked before) and results, for a framework replaced from IATI."""
    await session.execute(delete(Report).where(Report.project_id == project_id))
    await session.execute(delete(Result).where(Result.project_id == project_id))
