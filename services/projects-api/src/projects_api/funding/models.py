"""Money: budgets, transactions and the exchange rates that give them EUR values."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projects_api.database import Base, Timestamped
from projects_api.organisations.models import Organisation

AMOUNT = Numeric(18, 2)
RATE = Numeric(20, 10)


class EurValue:
    """The stored EUR derivation of an amount: the value, the rate used, its date and its source."""

    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    currency: Mapped[str] = mapped_column(String(3))
    value_date: Mapped[date]
    eur_amount: Mapped[Decimal | None] = mapped_column(AMOUNT)
    fx_rate: Mapped[Decimal | None] = mapped_column(RATE)  # units of `currency` per 1 EUR
    fx_rate_date: Mapped[date | None]
    fx_source: Mapped[str | None] = mapped_column(Text)


class Budget(EurValue, Timestamped, Base):
    __tablename__ = "budget"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    budget_type: Mapped[str] = mapped_column(String(10), default="original")
    status: Mapped[str] = mapped_column(String(12), default="indicative")
    period_start: Mapped[date]
    period_end: Mapped[date]
    is_illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        CheckConstraint("amount >= 0", "amount"),
        CheckConstraint("period_end >= period_start", "period"),
        Index("ix_budget_currency_unconverted", "currency", postgresql_where="eur_amount IS NULL"),
    )


class Transaction(EurValue, Timestamped, Base):
    __tablename__ = "transaction"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    transaction_type: Mapped[str] = mapped_column(String(20))
    transaction_date: Mapped[date]
    description: Mapped[str | None] = mapped_column(Text)
    provider_org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"))
    receiver_org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"))
    is_illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    provider: Mapped[Organisation | None] = relationship(lazy="raise", foreign_keys=[provider_org_id])
    receiver: Mapped[Organisation | None] = relationship(lazy="raise", foreign_keys=[receiver_org_id])

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        CheckConstraint("amount >= 0", "amount"),
        Index("ix_transaction_project_date", "project_id", "transaction_date"),
        Index("ix_transaction_provider", "provider_org_id", "transaction_type", "value_date"),
        Index("ix_transaction_receiver", "receiver_org_id"),
        Index("ix_transaction_type_date", "transaction_type", "value_date"),
        Index("ix_transaction_currency_unconverted", "currency", postgresql_where="eur_amount IS NULL"),
    )


class ExchangeRate(Base):
    """A rate an admin entered or imported for a currency the ECB does not publish (GEL, MDL, IQD, …)."""

    __tablename__ = "exchange_rate"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate_date: Mapped[date] = mapped_column(primary_key=True)
    units_per_eur: Mapped[Decimal] = mapped_column(RATE)
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint("units_per_eur > 0", "positive"),)


class _CubeMeasures:
    """EUR, unconverted amounts and transaction counts, for everyone and for the public projects alone (anonymous
    readers see those). `rows` counts each transaction once per country it is split over; `transactions` counts it
    once, at its first country, so totals without a country dimension stay exact."""

    eur_all: Mapped[Decimal] = mapped_column(Numeric, default=0)
    amount_all: Mapped[Decimal] = mapped_column(Numeric, default=0)
    rows_all: Mapped[int] = mapped_column(default=0)
    transactions_all: Mapped[int] = mapped_column(default=0)
    eur_public: Mapped[Decimal] = mapped_column(Numeric, default=0)
    amount_public: Mapped[Decimal] = mapped_column(Numeric, default=0)
    rows_public: Mapped[int] = mapped_column(default=0)
    transactions_public: Mapped[int] = mapped_column(default=0)


class FundingPart(_CubeMeasures, Base):
    """One project's share of the funding cube, kept so a change to the project can take its old share out exactly.

    Written only by the database (the triggers of migration 0002), whenever a project's transactions, countries or
    visibility change. `country_code` is NULL for money no country share covers (a project without countries);
    `currency` is set only on amounts with no EUR value yet.
    """

    __tablename__ = "funding_part"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    transaction_type: Mapped[str] = mapped_column(String(20))
    provider_org_id: Mapped[uuid.UUID | None]
    country_code: Mapped[str | None] = mapped_column(String(2))
    year: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))


class FundingCube(_CubeMeasures, Base):
    """Transactions pre-aggregated by type, funder, country and year: the funding summary reads a row per group
    instead of joining every transaction with its project's countries (BENCHMARKS.md). Maintained by the database
    from `funding_part` in the same transaction as the change, so it is never stale."""

    __tablename__ = "funding_cube"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    transaction_type: Mapped[str] = mapped_column(String(20))
    provider_org_id: Mapped[uuid.UUID | None]
    country_code: Mapped[str | None] = mapped_column(String(2))
    year: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    # The cube's version at which the row last changed (migration 0016): a kept summary reads only the rows changed
    # since its own version. Rows stay, at zero, when their last transaction goes, so that change is seen too.
    changed_at: Mapped[int] = mapped_column(BigInteger, server_default=text("0"), index=True)

    __table_args__ = (
        UniqueConstraint(
            "transaction_type",
            "provider_org_id",
            "country_code",
            "year",
            "currency",
            name="uq_funding_cube_group",
            postgresql_nulls_not_distinct=True,
        ),
    )


class FundingCubeVersion(Base):
    """One row: a number that changes in every transaction that changes the cube or a funder's name or parent, so a
    summary computed at one version can be served again until it changes (funding/summary_cache.py)."""

    __tablename__ = "funding_cube_version"

    id: Mapped[bool] = mapped_column(primary_key=True, server_default=text("true"))
    version: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (CheckConstraint("id", "one_row"),)
