"""Budget, transaction, exchange-rate and funding-summary payloads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from projects_api.organisations.schemas import OrganisationRef
from projects_api.reference.data import BudgetStatus, BudgetType, TransactionType
from projects_api.reference.lookups import is_currency
from registry_kit.dates import RegistryDate


def _currency(value: str) -> str:
    if not is_currency(value):
        raise ValueError(f"unknown ISO 4217 currency {value!r}")
    return value


Amount = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
Currency = Annotated[str, Field(min_length=3, max_length=3), AfterValidator(_currency)]


class EurValue(BaseModel):
    """The amount in EUR and how it was derived; null when no rate is known for the currency and date."""

    amount: Decimal = Field(examples=["50000.00"])
    rate: Decimal = Field(description="Units of the original currency per 1 EUR", examples=["1.95583"])
    rate_date: date | None = Field(description="Date of the rate used (none for a fixed peg)")
    source: str = Field(examples=["ECB reference rate"])


class BudgetCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "period_start": "2009-01-01",
                    "period_end": "2009-12-31",
                    "amount": "50000.00",
                    "currency": "EUR",
                }
            ]
        },
    )

    budget_type: BudgetType = BudgetType.original
    status: BudgetStatus = BudgetStatus.indicative
    period_start: RegistryDate
    period_end: RegistryDate
    amount: Amount
    currency: Currency
    value_date: RegistryDate | None = Field(default=None, description="Defaults to the period start")
    is_illustrative: bool = False
    source: str | None = None


class BudgetUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "committed"}]})

    budget_type: BudgetType | None = None
    status: BudgetStatus | None = None
    period_start: RegistryDate | None = None
    period_end: RegistryDate | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    value_date: RegistryDate | None = None
    is_illustrative: bool | None = None
    source: str | None = None


class Budget(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    budget_type: BudgetType
    status: BudgetStatus
    period_start: date
    period_end: date
    amount: Decimal
    currency: str
    value_date: date
    eur: EurValue | None
    is_illustrative: bool
    source: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class TransactionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "transaction_type": "disbursement",
                    "transaction_date": "2009-06-30",
                    "amount": "25000.00",
                    "currency": "USD",
                    "provider_org_id": "00000000-0000-0000-0000-000000000001",
                    "receiver_org_id": "00000000-0000-0000-0000-000000000002",
                }
            ]
        },
    )

    transaction_type: TransactionType
    transaction_date: RegistryDate
    value_date: RegistryDate | None = Field(
        default=None, description="Date for the exchange rate; defaults to the transaction date"
    )
    amount: Amount
    currency: Currency
    description: str | None = Field(default=None, max_length=2000)
    provider_org_id: uuid.UUID | None = None
    receiver_org_id: uuid.UUID | None = None
    is_illustrative: bool = False
    source: str | None = None


class TransactionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount": "26000.00"}]})

    transaction_type: TransactionType | None = None
    transaction_date: RegistryDate | None = None
    value_date: RegistryDate | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    description: str | None = Field(default=None, max_length=2000)
    provider_org_id: uuid.UUID | None = None
    receiver_org_id: uuid.UUID | None = None
    is_illustrative: bool | None = None
    source: str | None = None


class Transaction(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    transaction_type: TransactionType
    transaction_date: date
    value_date: date
    amount: Decimal
    currency: str
    eur: EurValue | None
    description: str | None
    provider: OrganisationRef | None
    receiver: OrganisationRef | None
    is_illustrative: bool
    source: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ExchangeRateIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "currency": "GEL",
                    "rate_date": "2009-06-30",
                    "units_per_eur": "2.3154",
                    "source": "National Bank of Georgia",
                }
            ]
        },
    )

    currency: Currency
    rate_date: RegistryDate
    units_per_eur: Decimal = Field(gt=0, max_digits=20, decimal_places=10)
    source: str = Field(min_length=2, max_length=300)


class ExchangeRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    currency: str
    rate_date: date
    units_per_eur: Decimal
    source: str
    created_at: datetime
    created_by: str | None


class RateImportResult(BaseModel):
    """What a rate upload changed."""

    rates_saved: int
    amounts_converted: int = Field(description="Budgets and transactions that had no EUR value and now have one")


class NotConverted(BaseModel):
    currency: str = Field(examples=["GEL"])
    amount: Decimal = Field(examples=["40000.00"])


class Named(BaseModel):
    code: str
    name: str


class Funder(OrganisationRef):
    """A funder as donors name it: departments (e.g. of a ministry) roll up into the organisation they belong to."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "00000000-0000-0000-0000-000000000001",
                    "name": "Ministry of the Interior of the Czech Republic",
                    "acronym": "MoI CZ",
                    "departments": [
                        {
                            "id": "00000000-0000-0000-0000-000000000002",
                            "name": "Department of Asylum and Migration Policies",
                            "acronym": "OAMP",
                        }
                    ],
                    "label": "Ministry of the Interior of the Czech Republic (OAMP)",
                }
            ]
        }
    )

    departments: list[OrganisationRef] = Field(
        default_factory=list, description="Its departments whose money these figures hold"
    )
    label: str = Field(description="How to name it: the name, and its departments in brackets")


class SummaryRow(BaseModel):
    """One group: the keys asked for, the EUR total and what could not be converted."""

    funder: Funder | None = None
    country: Named | None = None
    region: Named | None = None
    year: int | None = None
    theme: Named | None = None
    status: str | None = None
    project: Named | None = None
    transaction_type: str | None = None
    eur_amount: Decimal | None = Field(
        examples=["250000.00"],
        description="EUR of the converted transactions, rounded so that the rows add up to the total to the cent "
        "(largest remainder); null when all the group's money lacks an exchange rate (see not_converted)",
    )
    not_converted: list[NotConverted] = Field(
        default_factory=list, description="Amounts without a EUR value, by currency (apportioned like the EUR)"
    )
    transactions: int = Field(
        description="Transactions with a share in the group (one split over two countries "
        "counts in both rows, and once in the total)"
    )


class FundingSummary(BaseModel):
    group_by: list[str]
    transaction_types: list[str]
    rows: list[SummaryRow]
    total: SummaryRow
