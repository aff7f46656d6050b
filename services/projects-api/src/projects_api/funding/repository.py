"""SQL for budgets, transactions and exchange rates."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from projects_api.funding.fx import TABLE_LOOKBACK_DAYS
from projects_api.funding.models import Budget, ExchangeRate, Transaction
from registry_kit.pagination import fetch_page


async def list_transactions(
    session: AsyncSession, project_id: uuid.UUID, *, transaction_type: str | None, offset: int, limit: int
) -> tuple[list[Transaction], int]:
    conditions = [Transaction.project_id == project_id]
    if transaction_type:
        conditions.append(Transaction.transaction_type == transaction_type)
    return await fetch_page(
        session,
        Transaction,
        conditions,
        [Transaction.transaction_date, Transaction.id],
        offset=offset,
        limit=limit,
        options=[selectinload(Transaction.provider), selectinload(Transaction.receiver)],
    )


async def get_transaction(
    session: AsyncSession, project_id: uuid.UUID, transaction_id: uuid.UUID
) -> Transaction | None:
    stmt = (
        select(Transaction)
        .where(Transaction.id == transaction_id, Transaction.project_id == project_id)
        .options(selectinload(Transaction.provider), selectinload(Transaction.receiver))
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one_or_none()


async def list_budgets(
    session: AsyncSession, project_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[list[Budget], int]:
    return await fetch_page(
        session, Budget, [Budget.project_id == project_id], [Budget.period_start, Budget.id], offset=offset, limit=limit
    )


async def get_budget(session: AsyncSession, project_id: uuid.UUID, budget_id: uuid.UUID) -> Budget | None:
    stmt = (
        select(Budget)
        .where(Budget.id == budget_id, Budget.project_id == project_id)
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one_or_none()


async def list_rates(
    session: AsyncSession, *, currency: str | None, offset: int, limit: int
) -> tuple[list[ExchangeRate], int]:
    conditions = [ExchangeRate.currency == currency] if currency else []
    return await fetch_page(
        session,
        ExchangeRate,
        conditions,
        [ExchangeRate.currency, ExchangeRate.rate_date.desc()],
        offset=offset,
        limit=limit,
    )


async def upsert_rate(session: AsyncSession, rate: ExchangeRate) -> None:
    await session.merge(rate)


async def convert_pending(session: AsyncSession, currency: str) -> list[tuple[str, uuid.UUID, uuid.UUID]]:
    """Give a EUR value to every amount in `currency` that has none and that a stored rate now covers.

    Returns (kind, id, project_id) of each amount converted.
    """
    converted: list[tuple[str, uuid.UUID, uuid.UUID]] = []
    for model, kind in ((Transaction, "transaction"), (Budget, "budget")):
        best = (
            select(ExchangeRate)
            .where(
                ExchangeRate.currency == model.currency,
                ExchangeRate.rate_date <= model.value_date,
                ExchangeRate.rate_date > model.value_date - timedelta(days=TABLE_LOOKBACK_DAYS),
            )
            .order_by(ExchangeRate.rate_date.desc())
            .limit(1)
            .correlate(model)
        )
        rate = best.with_only_columns(ExchangeRate.units_per_eur).scalar_subquery()
        rate_date = best.with_only_columns(ExchangeRate.rate_date).scalar_subquery()
        source = best.with_only_columns(ExchangeRate.source).scalar_subquery()
        stmt = (
            update(model)
            .where(and_(model.currency == currency, model.eur_amount.is_(None), rate.is_not(None)))
            .values(
                eur_amount=func.round(model.amount / rate, 2),
                fx_rate=rate,
                fx_rate_date=rate_date,
                fx_source=source,
                version=model.version + 1,
            )
            .returning(model.id, model.project_id)
            .execution_options(synchronize_session=False)
        )
        rows = (await session.execute(stmt)).all()
        converted.extend((kind, r[0], r[1]) for r in rows)
    return converted
