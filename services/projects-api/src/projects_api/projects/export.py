"""The project list as rows for a CSV download: one SQL statement, streamed from a server-side cursor."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from decimal import Decimal

from sqlalchemy import ColumnElement, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from projects_api.funding.models import Transaction
from projects_api.organisations.models import Organisation
from projects_api.projects.models import Project, ProjectCountry, ProjectParticipant, ProjectTheme
from projects_api.projects.repository import order_by

HEADER = (
    "code",
    "title",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "countries",
    "themes",
    "funders",
    "implementers",
    "eur_committed",
    "eur_disbursed",
    "not_converted_transactions",
    "is_public",
    "is_illustrative",
    "id",
)


def _countries() -> ColumnElement[str]:
    return (
        select(func.string_agg(ProjectCountry.country_code + " " + func.cast(ProjectCountry.percentage, String), "; "))
        .where(ProjectCountry.project_id == Project.id)
        .scalar_subquery()
    )


def _themes() -> ColumnElement[str]:
    return (
        select(func.string_agg(ProjectTheme.theme_code, "; "))
        .where(ProjectTheme.project_id == Project.id)
        .scalar_subquery()
    )


def _organisations(role: str) -> ColumnElement[str]:
    return (
        select(func.string_agg(Organisation.name, "; "))
        .join(ProjectParticipant, ProjectParticipant.organisation_id == Organisation.id)
        .where(ProjectParticipant.project_id == Project.id, ProjectParticipant.role == role)
        .scalar_subquery()
    )


def _eur(kind: str) -> ColumnElement[Decimal | None]:
    return (
        select(func.sum(Transaction.eur_amount))
        .where(Transaction.project_id == Project.id, Transaction.transaction_type == kind)
        .scalar_subquery()
    )


def _unconverted() -> ColumnElement[int]:
    return (
        select(func.count())
        .where(Transaction.project_id == Project.id, Transaction.eur_amount.is_(None))
        .scalar_subquery()
    )


async def rows(
    maker: async_sessionmaker[AsyncSession], conditions: Sequence[ColumnElement[bool]], sort: str
) -> AsyncIterator[Sequence[object]]:
    """Every matching project, in list order; its own session, as the download outlives the request's."""
    stmt = (
        select(
            Project.code,
            Project.title,
            Project.status,
            Project.planned_start,
            Project.planned_end,
            Project.actual_start,
            Project.actual_end,
            _countries(),
            _themes(),
            _organisations("funding"),
            _organisations("implementing"),
            _eur("commitment"),
            _eur("disbursement"),
            _unconverted(),
            Project.is_public,
            Project.is_illustrative,
            Project.id,
        )
        .where(*conditions)
        .order_by(*order_by(sort))
        .execution_options(yield_per=500)
    )
    async with maker() as session:
        result = await session.stream(stmt)
        async for row in result:
            yield tuple(row)
