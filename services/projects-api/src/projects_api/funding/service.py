"""The rules for money: amounts kept as given, EUR derived and stored with its rate."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.service import audited_create, audited_delete, audited_update, decimal_text, record
from projects_api.funding import fx, repository
from projects_api.funding.models import Budget as BudgetRow
from projects_api.funding.models import ExchangeRate
from projects_api.funding.models import Transaction as TransactionRow
from projects_api.funding.schemas import (
    Budget,
    BudgetCreate,
    BudgetUpdate,
    EurValue,
    ExchangeRateIn,
    ExchangeRateOut,
    Transaction,
    TransactionCreate,
    TransactionUpdate,
)
from projects_api.organisations.repository import existing_ids
from projects_api.organisations.schemas import OrganisationRef
from projects_api.projects.service import ensure_visible, require_project_role
from projects_api.reference.data import BudgetStatus, BudgetType, TransactionType
from registry_kit.auth import Principal, Role
from registry_kit.errors import NotFound, invalid, reject_nulls
from registry_kit.etag import check_if_match
from registry_kit.pagination import Page, PageParams

_EUR_FIELDS = ("eur_amount", "fx_rate", "fx_rate_date", "fx_source")


def plain(value: Decimal) -> Decimal:
    """A rate without the storage scale's trailing zeros (1.9558300000 → 1.95583), never in exponent form."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def _eur(row: BudgetRow | TransactionRow) -> EurValue | None:
    if row.eur_amount is None or row.fx_rate is None or row.fx_source is None:
        return None
    return EurValue(amount=row.eur_amount, rate=plain(row.fx_rate), rate_date=row.fx_rate_date, source=row.fx_source)


def present_transaction(t: TransactionRow) -> Transaction:
    return Transaction(
        id=t.id,
        project_id=t.project_id,
        transaction_type=TransactionType(t.transaction_type),
        transaction_date=t.transaction_date,
        value_date=t.value_date,
        amount=t.amount,
        currency=t.currency,
        eur=_eur(t),
        description=t.description,
        provider=OrganisationRef.model_validate(t.provider) if t.provider else None,
        receiver=OrganisationRef.model_validate(t.receiver) if t.receiver else None,
        is_illustrative=t.is_illustrative,
        source=t.source,
        version=t.version,
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


def present_budget(b: BudgetRow) -> Budget:
    return Budget(
        id=b.id,
        project_id=b.project_id,
        budget_type=BudgetType(b.budget_type),
        status=BudgetStatus(b.status),
        period_start=b.period_start,
        period_end=b.period_end,
        amount=b.amount,
        currency=b.currency,
        value_date=b.value_date,
        eur=_eur(b),
        is_illustrative=b.is_illustrative,
        source=b.source,
        version=b.version,
        created_at=b.created_at,
        updated_at=b.updated_at,
    )


def _snapshot(row: BudgetRow | TransactionRow, fields: tuple[str, ...]) -> dict[str, Any]:
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


E = TypeVar("E", BudgetRow, TransactionRow)
C = TypeVar("C", bound=BaseModel)  # the body that creates one
U = TypeVar("U", bound=BaseModel)  # the body that changes one


async def _set_eur(session: AsyncSession, row: BudgetRow | TransactionRow) -> None:
    conversion = await fx.convert(session, row.amount, row.currency, row.value_date)
    row.eur_amount = conversion.eur_amount if conversion else None
    row.fx_rate = conversion.rate if conversion else None
    row.fx_rate_date = conversion.rate_date if conversion else None
    row.fx_source = conversion.source if conversion else None


@dataclass(frozen=True)
class _Kind(Generic[E, C, U]):
    """A project's money entry (a transaction or a budget): how its audit events name and capture it, how it loads,
    which fields an update may not empty, which date a missing value date is, and the checks of its own fields."""

    entity_type: str
    row_type: type[E]
    fields: tuple[str, ...]
    required: tuple[str, ...]
    value_date_default: str
    find: Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[E | None]]
    check: Callable[[AsyncSession, dict[str, Any], E | None], Awaitable[None]]

    def snapshot(self, row: E) -> dict[str, Any]:
        return _snapshot(row, self.fields)

    async def get_or_404(self, session: AsyncSession, project_id: uuid.UUID, row_id: uuid.UUID) -> E:
        row = await self.find(session, project_id, row_id)
        if row is None:
            raise NotFound(f"No {self.entity_type} {row_id} in project {project_id}.")
        return row

    async def create(self, session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: C) -> uuid.UUID:
        """The new entry (managers of its project), with its EUR value derived at its value date, audited."""
        await require_project_role(session, principal, project_id, Role.manager)
        values = data.model_dump()
        await self.check(session, values, None)
        values["value_date"] = values["value_date"] or values[self.value_date_default]
        row = self.row_type(project_id=project_id, **values)
        await _set_eur(session, row)
        await audited_create(
            session, principal, row, entity_type=self.entity_type, snapshot=self.snapshot, project_id=project_id
        )
        return row.id

    async def _writable(
        self,
        session: AsyncSession,
        principal: Principal,
        project_id: uuid.UUID,
        row_id: uuid.UUID,
        if_match: str | None,
    ) -> E:
        """The entry, for a manager of its project who read its current version."""
        await require_project_role(session, principal, project_id, Role.manager)
        row = await self.get_or_404(session, project_id, row_id)
        check_if_match(if_match, row.id, row.version)
        return row

    async def update(
        self,
        session: AsyncSession,
        principal: Principal,
        project_id: uuid.UUID,
        row_id: uuid.UUID,
        data: U,
        if_match: str | None,
    ) -> None:
        """The change, with the EUR value derived again when the amount, currency or value date moved."""
        row = await self._writable(session, principal, project_id, row_id, if_match)
        changes = data.model_dump(exclude_unset=True)
        reject_nulls(changes, *self.required)
        await self.check(session, changes, row)
        async with audited_update(
            session,
            principal,
            row,
            changes,
            entity_type=self.entity_type,
            snapshot=self.snapshot,
            project_id=project_id,
        ):
            if {"amount", "currency", "value_date"} & changes.keys():
                await _set_eur(session, row)

    async def delete(
        self,
        session: AsyncSession,
        principal: Principal,
        project_id: uuid.UUID,
        row_id: uuid.UUID,
        if_match: str | None,
    ) -> None:
        row = await self._writable(session, principal, project_id, row_id, if_match)
        await audited_delete(
            session, principal, row, entity_type=self.entity_type, snapshot=self.snapshot, project_id=project_id
        )


# --- transactions -------------------------------------------------------------------------------------------


async def transactions_page(
    session: AsyncSession,
    principal: Principal | None,
    project_id: uuid.UUID,
    kind: TransactionType | None,
    page: PageParams,
) -> Page[Transaction]:
    await ensure_visible(session, principal, project_id)
    kind_code = kind.value if kind else None
    rows, total = await repository.list_transactions(
        session, project_id, transaction_type=kind_code, offset=page.offset, limit=page.page_size
    )
    return Page.of([present_transaction(t) for t in rows], total, page)


async def _check_transaction(session: AsyncSession, values: dict[str, Any], _: TransactionRow | None) -> None:
    """The provider and receiver sent are organisations the registry knows."""
    wanted = {k: v for k, v in values.items() if k in ("provider_org_id", "receiver_org_id") and v is not None}
    known = await existing_ids(session, wanted.values())
    for key, org_id in wanted.items():
        if org_id not in known:
            raise invalid(f"body.{key}", f"no organisation {org_id}", "unknown")


_TRANSACTION: _Kind[TransactionRow, TransactionCreate, TransactionUpdate] = _Kind(
    entity_type="transaction",
    row_type=TransactionRow,
    fields=("transaction_type", "transaction_date", "description", "provider_org_id", "receiver_org_id"),
    required=("transaction_type", "transaction_date", "amount", "currency", "value_date", "is_illustrative"),
    value_date_default="transaction_date",
    find=repository.get_transaction,
    check=_check_transaction,
)
get_transaction_or_404 = _TRANSACTION.get_or_404
create_transaction = _TRANSACTION.create
update_transaction = _TRANSACTION.update
delete_transaction = _TRANSACTION.delete


# --- budgets ------------------------------------------------------------------------------------------------


async def budgets_page(
    session: AsyncSession, principal: Principal | None, project_id: uuid.UUID, page: PageParams
) -> Page[Budget]:
    await ensure_visible(session, principal, project_id)
    rows, total = await repository.list_budgets(session, project_id, offset=page.offset, limit=page.page_size)
    return Page.of([present_budget(b) for b in rows], total, page)


async def _check_budget(_: AsyncSession, values: dict[str, Any], budget: BudgetRow | None) -> None:
    """The period ends on or after its start (an update may send one side only)."""
    period = ({"period_start": budget.period_start, "period_end": budget.period_end} if budget else {}) | values
    start, end = period["period_start"], period["period_end"]
    if end < start:
        raise invalid("body.period_end", f"period end {end} is before period start {start}", "date_order")


_BUDGET: _Kind[BudgetRow, BudgetCreate, BudgetUpdate] = _Kind(
    entity_type="budget",
    row_type=BudgetRow,
    fields=("budget_type", "status", "period_start", "period_end"),
    required=(
        "budget_type",
        "status",
        "period_start",
        "period_end",
        "amount",
        "currency",
        "value_date",
        "is_illustrative",
    ),
    value_date_default="period_start",
    find=repository.get_budget,
    check=_check_budget,
)
get_budget_or_404 = _BUDGET.get_or_404
create_budget = _BUDGET.create
update_budget = _BUDGET.update
delete_budget = _BUDGET.delete


async def rates_page(session: AsyncSession, currency: str | None, page: PageParams) -> Page[ExchangeRateOut]:
    rows, total = await repository.list_rates(session, currency=currency, offset=page.offset, limit=page.page_size)
    return Page.of([ExchangeRateOut.model_validate(r) for r in rows], total, page)


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
            session,
            principal,
            entity_type="exchange_rate",
            entity_id=None,
            action="update",
            after={
                "currency": currency,
                "rates": sorted(r.rate_date.isoformat() for r in rates if r.currency == currency),
                "converted": [f"{kind}:{row_id}" for kind, row_id, _ in converted],
            },
        )
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
