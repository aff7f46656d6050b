"""An activity as the import reads it from IATI XML: what the registry takes, and an account of what it does not."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class OrgIn:
    ref: str | None
    name: str | None
    org_type: str | None

    @property
    def key(self) -> str:
        return f"ref:{self.ref}" if self.ref else f"name:{(self.name or '').lower()}"


@dataclass
class LocationIn:
    country: str
    name: str
    description: str | None
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass
class BudgetIn:
    budget_type: str
    status: str
    start: date
    end: date
    amount: Decimal
    currency: str
    value_date: date


@dataclass
class TransactionIn:
    transaction_type: str
    day: date
    amount: Decimal
    currency: str
    value_date: date
    description: str | None
    provider: OrgIn | None
    receiver: OrgIn | None


@dataclass
class ActivityIn:
    identifier: str
    line: int
    language: str
    reporting: OrgIn | None = None
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    status: str | None = None
    dates: dict[str, date] = field(default_factory=dict)
    participants: list[tuple[OrgIn, str]] = field(default_factory=list)
    countries: list[tuple[str, Decimal]] = field(default_factory=list)
    sectors: list[tuple[str, Decimal]] = field(default_factory=list)
    raw_countries: list[tuple[str, Decimal | None]] = field(default_factory=list)  # as given, before scaling
    raw_sectors: list[tuple[str, Decimal | None]] = field(default_factory=list)
    locations: list[LocationIn] = field(default_factory=list)
    budgets: list[BudgetIn] = field(default_factory=list)
    transactions: list[TransactionIn] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)  # reporting-api's IatiResult bodies
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        """An element (or attribute) of the file the registry does not take, named once."""
        if what not in self.notes:
            self.notes.append(what)

    def organisations(self) -> list[OrgIn]:
        found = [self.reporting] if self.reporting else []
        found += [org for org, _ in self.participants]
        for t in self.transactions:
            found += [o for o in (t.provider, t.receiver) if o]
        return found
