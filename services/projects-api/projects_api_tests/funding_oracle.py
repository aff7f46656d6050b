"""A plain reference implementation of the funding summary's rules, for the property tests: no SQL, no code of the
service. Each transaction is split into parts (a country's percentage × an equal share of the project's themes),
each part lands in one group, and a group's figures are exact fractions. What the service answers is then checked
against these: each row within a cent of its exact EUR and unconverted amounts, rows adding up to the total exactly,
the total rounded half up, counts of distinct transactions, no EUR figure for a group of only unconverted money.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

CENT = Decimal("0.01")


@dataclass
class Tx:
    id: str
    project: str
    funder: str
    kind: str
    year: int
    currency: str
    amount: Decimal
    eur: Decimal | None  # as the service stored it (its conversion is not what is checked here)


@dataclass
class Proj:
    id: str
    status: str
    countries: dict[str, Decimal]  # country -> percentage
    themes: list[str]


@dataclass
class Group:
    eur: Fraction = Fraction(0)
    converted: int = 0
    unconverted: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))
    transactions: set[str] = field(default_factory=set)


def groups(
    projects: dict[str, Proj], txs: list[Tx], dims: list[str], region_of: dict[str, str]
) -> tuple[dict[tuple[Any, ...], Group], Group]:
    out: dict[tuple[Any, ...], Group] = defaultdict(Group)
    total = Group()
    for tx in txs:
        p = projects[tx.project]
        for country, pct in p.countries.items():
            for theme in p.themes or [None]:
                share = Fraction(pct) / 100 / max(len(p.themes), 1)
                values = {
                    "funder": tx.funder,
                    "country": country,
                    "region": region_of.get(country),
                    "year": tx.year,
                    "theme": theme,
                    "status": p.status,
                    "project": p.id,
                    "transaction_type": tx.kind,
                }
                for g in (out[tuple(values[d] for d in dims)], total):
                    g.transactions.add(tx.id)
                    if tx.eur is None:
                        g.unconverted[tx.currency] += Fraction(tx.amount) * share
                    else:
                        g.eur += Fraction(tx.eur) * share
                        g.converted += 1
    return out, total


def cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, ROUND_HALF_UP)


def within_a_cent(shown: Decimal, exact: Fraction) -> bool:
    return abs(Fraction(shown) - exact) < Fraction(1, 100)


def key_of(row: dict[str, Any], dims: list[str]) -> tuple[Any, ...]:
    out = []
    for d in dims:
        value = row[d]
        if isinstance(value, dict):
            value = value.get("id") or value.get("code")
            if d == "project":
                value = None  # projects are shown by code: matched by the caller
        out.append(value)
    return tuple(out)


def check(
    body: dict[str, Any], expected: dict[tuple[Any, ...], Group], total: Group, dims: list[str], key: Any = key_of
) -> None:
    """The service's answer against the oracle's groups (assertion errors name what differs)."""
    rows = {key(r, dims): r for r in body["rows"]}
    assert set(rows) == set(expected), (sorted(map(str, rows)), sorted(map(str, expected)))
    t = body["total"]
    assert t["transactions"] == len(total.transactions)
    assert (t["eur_amount"] is None) == (total.converted == 0 and bool(total.unconverted)), t
    if t["eur_amount"] is not None:
        assert Decimal(t["eur_amount"]) == cents(total.eur), (t["eur_amount"], total.eur)
    shown_eur = Decimal(0)
    shown_missing: dict[str, Decimal] = defaultdict(Decimal)
    for k, g in expected.items():
        row = rows[k]
        assert row["transactions"] == len(g.transactions), (k, row)
        if g.converted == 0:
            assert row["eur_amount"] is None, (k, row)
        else:
            assert within_a_cent(Decimal(row["eur_amount"]), g.eur), (k, row["eur_amount"], g.eur)
            shown_eur += Decimal(row["eur_amount"])
        missing = {m["currency"]: Decimal(m["amount"]) for m in row["not_converted"]}
        assert set(missing) == {c for c, a in g.unconverted.items() if a}, (k, row)
        for c, a in missing.items():
            assert within_a_cent(a, g.unconverted[c]), (k, c, a, g.unconverted[c])
            shown_missing[c] += a
    if t["eur_amount"] is not None:
        assert shown_eur == Decimal(t["eur_amount"]), (shown_eur, t["eur_amount"])  # to the cent
    totals = {m["currency"]: Decimal(m["amount"]) for m in t["not_converted"]}
    assert totals == {c: cents(a) for c, a in total.unconverted.items() if a}
    assert dict(shown_missing) == totals, (shown_missing, totals)
