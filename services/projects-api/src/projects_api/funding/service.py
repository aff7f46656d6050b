"""The rules for money: amounts kept as given, EUR derived and stored with its rate."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.service import decimal_text, record
from projects_api.funding import fx, repository
from projects_api.funding.models import Budget, ExchangeRate, Transaction
from projects_api.funding.schemas import Budget as BudgetOut
from projects_api.funding.schemas import (
    BudgetCreate,
    BudgetUpdate,
    EurValue,
    ExchangeRateIn,
    TransactionCreate,
    TransactionUpdate,
)
from projects_api.funding.schemas import Transaction as TransactionOut
from projects_api.organisations.repository import existing_ids
from projects_api.organisations.schemas import OrganisationRef
from projects_api.projects.service import require_project_role
from projects_api.reference.data import BudgetStatus, BudgetType, TransactionType
from registry_kit.auth import Principal, Role
from registry_kit.errors import NotFound, ValidationFailed, field_error, invalid
from registry_kit.etag import check_if_match

_EUR_FIELDS = ("eur_amount", "fx_rate", "fx_rate_date", "fx_source")


def plain(value: Decimal) -> Decimal:
    """A rate without the storage scale's trailing zeros (1.9558300000 → 1.95583), never in exponent form."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def _eur(row: Budget | Transaction) -> EurValue | None:
    if row.eur_amount is None or row.fx_rate is None or row.fx_source is None:
        return None
    return EurValue(amount=row.eur_amount, rate=plain(row.fx_rate), rate_date=row.fx_rate_date, source=row.fx_source)


def present_transaction(t: Transaction) -> TransactionOut:
    return TransactionOut(
        id=t.id, project_id=t.project_id, transaction_type=TransactionType(t.transaction_type),
        transaction_date=t.transaction_date, value_date=t.value_date, amount=t.amount, currency=t.currency,
        eur=_eur(t), description=t.description,
        provider=OrganisationRef.model_validate(t.provider) if t.provider else None,
        receiver=OrganisationRef.model_validate(t.receiver) if t.receiver else None,
        is_illustrative=t.is_illustrative, source=t.source, version=t.version,
        created_at=t.created_at, updated_at=t.updated_at,
    )  # fmt: skip


def present_budget(b: Budget) -> BudgetOut:
    return BudgetOut(
        id=b.id, project_id=b.project_id, budget_type=BudgetType(b.budget_type), status=BudgetStatus(b.status),
        period_start=b.period_start, period_end=b.period_end, amount=b.amount, currency=b.currency,
        value_date=b.value_date, eur=_eur(b), is_illustrative=b.is_illustrative, source=b.source,
        version=b.version, created_at=b.created_at, updated_at=b.updated_at,
    )  # fmt: skip


def _snapshot(row: Budget | Transaction, fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in (*fields, "amount", "currency", "value_date", *_EUR_FIELDS):
        value = getattr(row, name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = decimal_text(value)
        elif isinstance(value, uuid.UUID):
            value = str(value)
        out[name] = value
    return out


_TX_FIELDS = ("transaction_type", "transaction_date", "description", "provider_org_id", "receiver_org_id")
_BUDGET_FIELDS = ("budget_type", "status", "period_start", "period_end")


async def _set_eur(session: AsyncSession, row: Budget | Transaction) -> None:
    conversion = await fx.convert(session, row.amount, row.currency, row.value_date)
    row.eur_amount = conversion.eur_amount if conversion else None
    row.fx_rate = conversion.rate if conversion else None
    row.fx_rate_date = conversion.rate_date if conversion else None
    row.fx_source = conversion.source if conversion else None


async def _check_orgs(session: AsyncSession, values: dict[str, Any]) -> None:
    wanted = {k: v for k, v in values.items() if k in ("provider_org_id", "receiver_org_id") and v is not None}
    known = await existing_ids(session, wanted.values())
    for key, org_id in wanted.items():
        if org_id not in known:
            raise invalid(f"body.{key}", f"no organisation {org_id}", "unknown")


def _required(changes: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in changes and changes[name] is None:
            raise ValidationFailed(
                f"{name} may not be null", errors=[field_error(f"body.{name}", "may not be null", "required")]
            )


# --- transactions -------------------------------------------------------------------------------------------


async def get_transaction_or_404(session: AsyncSession, project_id: uuid.UUID, tx_id: uuid.UUID) -> Transaction:
    tx = await repository.get_transaction(session, project_id, tx_id)
    if tx is None:
        raise NotFound(f"No transaction {tx_id} in project {project_id}.")
    return tx


async def create_transaction(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: TransactionCreate
) -> uuid.UUID:
    await require_project_role(session, principal, project_id, Role.manager)
    values = data.model_dump()
    await _check_orgs(session, values)
    values["value_date"] = values["value_date"] or values["transaction_date"]
    tx = Transaction(project_id=project_id, **values)
    await _set_eur(session, tx)
    session.add(tx)
    await session.flush()
    record(
        session,
        principal,
        entity_type="transaction",
        entity_id=tx.id,
        project_id=project_id,
        action="create",
        after=_snapshot(tx, _TX_FIELDS),
    )
    return tx.id


async def update_transaction(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    tx_id: uuid.UUID,
    data: TransactionUpdate,
    if_match: str | None,
) -> None:
    await require_project_role(session, principal, project_id, Role.manager)
    tx = await get_transaction_or_404(session, project_id, tx_id)
    check_if_match(if_match, tx.id, tx.version)
    changes = data.model_dump(exclude_unset=True)
    _required(
        changes,
        ("transaction_type", "transaction_date", "amount", "currency", "value_date", "is_illustrative"),
    )
    await _check_orgs(session, changes)
    before = _snapshot(tx, _TX_FIELDS)
    for key, value in changes.items():
        setattr(tx, key, value)
    if {"amount", "currency", "value_date"} & changes.keys():
        await _set_eur(session, tx)
    tx.updated_at = func.now()
    await session.flush()
    record(
        session,
        principal,
        entity_type="transaction",
        entity_id=tx.id,
        project_id=project_id,
        action="update",
        before=before,
        after=_snapshot(tx, _TX_FIELDS),
    )


async def delete_transaction(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, tx_id: uuid.UUID, if_match: str | None
) -> None:
    await require_project_role(session, principal, project_id, Role.manager)
    tx = await get_transaction_or_404(session, project_id, tx_id)
    check_if_match(if_match, tx.id, tx.version)
    before = _snapshot(tx, _TX_FIELDS)
    await session.delete(tx)
    record(
        session,
        principal,
        entity_type="transaction",
        entity_id=tx_id,
        project_id=project_id,
        action="delete",
        before=before,
    )


# --- budgets ------------------------------------------------------------------------------------------------


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise invalid("body.period_end", f"period end {end} is before period start {start}", "date_order")


async def get_budget_or_404(session: AsyncSession, project_id: uuid.UUID, budget_id: uuid.UUID) -> Budget:
    budget = await repository.get_budget(session, project_id, budget_id)
    if budget is None:
        raise NotFound(f"No budget {budget_id} in project {project_id}.")
    return budget


async def create_budget(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: BudgetCreate
) -> uuid.UUID:
    await require_project_role(session, principal, project_id, Role.manager)
    _check_period(data.period_start, data.period_end)
    values = data.model_dump()
    values["value_date"] = values["value_date"] or values["period_start"]
    budget = Budget(project_id=project_id, **values)
    await _set_eur(session, budget)
    session.add(budget)
    await session.flush()
    record(
        session,
        principal,
        entity_type="budget",
        entity_id=budget.id,
        project_id=project_id,
        action="create",
        after=_snapshot(budget, _BUDGET_FIELDS),
    )
    return budget.id


async def update_budget(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    budget_id: uuid.UUID,
    data: BudgetUpdate,
    if_match: str | None,
) -> None:
    await require_project_role(session, principal, project_id, Role.manager)
    budget = await get_budget_or_404(session, project_id, budget_id)
    check_if_match(if_match, budget.id, budget.version)
    changes = data.model_dump(exclude_unset=True)
    _required(
        changes,
        (
            "budget_type",
            "status",
            "period_start",
            "period_end",
            "amount",
            "currency",
            "value_date",
            "is_illustrative",
        ),
    )
    _check_period(changes.get("period_start", budget.period_start), changes.get("period_end", budget.period_end))
    before = _snapshot(budget, _BUDGET_FIELDS)
    for key, value in changes.items():
        setattr(budget, key, value)
    if {"amount", "currency", "value_date"} & changes.keys():
        await _set_eur(session, budget)
    budget.updated_at = func.now()
    await session.flush()
    record(
        session,
        principal,
        entity_type="budget",
        entity_id=budget.id,
        project_id=project_id,
        action="update",
        before=before,
        after=_snapshot(budget, _BUDGET_FIELDS),
    )


async def delete_budget(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    budget_id: uuid.UUID,
    if_match: str | None,
) -> None:
    await require_project_role(session, principal, project_id, Role.manager)
    budget = await get_budget_or_404(session, project_id, budget_id)
    check_if_match(if_match, budget.id, budget.version)
    before = _snapshot(budget, _BUDGET_FIELDS)
    await session.delete(budget)
    record(
        session,
        principal,
        entity_type="budget",
        entity_id=budget_id,
        project_id=project_id,
        action="delete",
        before=before,
    )


# --- exchange rates -----------------------------------------------------------------------------------------


async def save_rates(session: AsyncSession, principal: Principal, rates: list[ExchangeRateIn]) -> int:
    """Store admin-entered rates, then convert every amount they newly cover (one audit event per currency)."""
    principal.require_admin()
    for r in rates:
        await repository.upsert_rate(session, ExchangeRate(**r.model_dump(), created_by=principal.subject))
    await session.flush()
    converted_total = 0
    for currency in sorted({r.currency for r in rates}):
        converted = await repository.convert_pending(session, currency)
        converted_total += len(converted)
        record(
            session, principal, entity_type="exchange_rate", entity_id=None, action="update",
            after={
                "currency": currency,
                "rates": sorted(r.rate_date.isoformat() for r in rates if r.currency == currency),
                "converted": [f"{kind}:{row_id}" for kind, row_id, _ in converted],
            },
        )  # fmt: skip
        for kind, row_id, project_id in converted:
            record(
                session,
                principal,
                entity_type=kind,
                entity_id=row_id,
                project_id=project_id,
                action="convert",
                after={"converted_with_rate_for": currency},
            )
    return converted_total
