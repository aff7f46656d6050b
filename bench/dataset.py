"""The projects-api dataset at scale, generated in memory (seeded, so every run has the same rows) and loaded with COPY.

Organisations (a donor pool, IOM and its missions, partners and beneficiary institutions), projects in the
programme countries with 1–3 recipient countries whose percentages total 100, themes, sectors, locations,
participating organisations, budgets, and transactions in several currencies with their stored EUR values
(a few GEL/MDL amounts have no rate, as in real data, and are counted apart by the summary).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any, Protocol

import asyncpg

from bench.sizes import Size

SEED = 20091
CENT = Decimal("0.01")
COUNTRIES: tuple[tuple[str, int], ...] = (
    ("GE", 14),
    ("AM", 8),
    ("AZ", 8),
    ("MD", 10),
    ("UA", 12),
    ("BY", 4),
    ("KZ", 7),
    ("KG", 6),
    ("TJ", 6),
    ("TM", 3),
    ("UZ", 6),
    ("BA", 9),
    ("RS", 8),
    ("ME", 4),
    ("MK", 5),
    ("AL", 5),
    ("IQ", 3),
    ("AF", 3),
    ("MN", 2),
    ("TR", 3),
    ("VN", 2),
    ("CZ", 2),
)
THEMES = (
    "competences",
    "border-protection",
    "document-inspection",
    "return-policy",
    "visa-policy",
    "data-collection",
    "illegal-migration",
    "police-education",
)
SECTORS = ("15190", "15110", "15130", "15210", "16010", "93010")
STATUSES = (("implementation", 30), ("closed", 45), ("finalisation", 10), ("pipeline", 10), ("suspended", 5))
TX_TYPES = (("disbursement", 50), ("commitment", 20), ("expenditure", 25), ("incoming-funds", 5))
# currency, weight, units per EUR (None: no rate, the amount stays unconverted), source
CURRENCIES: tuple[tuple[str, int, Decimal | None, str], ...] = (
    ("EUR", 40, Decimal(1), "identity"),
    ("USD", 22, Decimal("1.1200"), "ECB reference rate"),
    ("CZK", 15, Decimal("25.1000"), "ECB reference rate"),
    ("GBP", 5, Decimal("0.8600"), "ECB reference rate"),
    ("CHF", 4, Decimal("1.0500"), "ECB reference rate"),
    ("BAM", 6, Decimal("1.95583"), "legal peg (Central Bank of Bosnia and Herzegovina currency board)"),
    ("GEL", 5, Decimal("2.9500"), "National Bank of Georgia (bench)"),
    ("MDL", 2, Decimal("19.4000"), "National Bank of Moldova (bench)"),
    ("GEL", 1, None, ""),
)
ORG_TYPES = ("10", "15", "21", "22", "40", "60", "80")


@dataclass(frozen=True)
class Stream:
    """Rows too many to hold (SIZE=large: 2,000,000 transactions, 10,000,000 values): made again, in the same order
    from the same seeds, each time they are read."""

    count: int
    make: Callable[[], Iterator[tuple[Any, ...]]]


Rows = list[tuple[Any, ...]] | Stream


@dataclass
class Dataset:
    """Rows per table, in COPY column order, plus what the load scripts need to vary their requests."""

    tables: dict[str, tuple[tuple[str, ...], Rows]] = field(default_factory=dict)
    project_ids: list[uuid.UUID] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        rows = self.tables[table][1]
        if isinstance(rows, Stream):
            raise TypeError(f"{table} is streamed; read it with records()")
        return rows

    @property
    def counts(self) -> dict[str, int]:
        return {t: rows.count if isinstance(rows, Stream) else len(rows) for t, (_, rows) in self.tables.items()}


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


_CUMULATIVE: dict[int, list[int]] = {}


def _weighted(rng: random.Random, items: Sequence[tuple[Any, ...]]) -> Any:
    cumulative = _CUMULATIVE.get(id(items))
    if cumulative is None:
        cumulative = _CUMULATIVE[id(items)] = list(accumulate(i[1] for i in items))
    return rng.choices(items, cum_weights=cumulative)[0]


def _organisations(rng: random.Random, size: Size) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    iom = _uuid(rng)
    rows.append((iom, "International Organization for Migration", "IOM", "XM-DAC-47066", "40", None, None))
    for i in range(1, size.organisations):
        country = _weighted(rng, COUNTRIES)[0]
        if i < size.funders:
            name, acronym, kind = f"Donor agency {i}", f"DON{i}", rng.choice(("10", "40", "60"))
        elif i < size.funders + 20:
            name, acronym, kind = f"IOM mission in {country} {i}", f"IOM-{country}", "40"
        else:
            name, acronym, kind = f"Institution {i} ({country})", None, rng.choice(ORG_TYPES)
        parent = iom if name.startswith("IOM mission") else None
        rows.append((_uuid(rng), name, acronym, f"BENCH-ORG-{i:06d}", kind, country, parent))
    return [(*r, f"Benchmark organisation {r[1]}", "bench", False, 1) for r in rows]


def _shares(n: int) -> list[Decimal]:
    return {1: [Decimal(100)], 2: [Decimal(70), Decimal(30)], 3: [Decimal(40), Decimal(30), Decimal(30)]}[n]


@dataclass
class _ProjectParts:
    projects: list[tuple[Any, ...]] = field(default_factory=list)
    countries: list[tuple[Any, ...]] = field(default_factory=list)
    themes: list[tuple[Any, ...]] = field(default_factory=list)
    sectors: list[tuple[Any, ...]] = field(default_factory=list)
    participants: list[tuple[Any, ...]] = field(default_factory=list)
    locations: list[tuple[Any, ...]] = field(default_factory=list)
    funders_of: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    span_of: dict[uuid.UUID, tuple[date, date]] = field(default_factory=dict)


_POOLS: dict[tuple[int, int], tuple[list[uuid.UUID], list[uuid.UUID]]] = {}


def _pools(orgs: list[uuid.UUID], size: Size) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The donors and the other organisations, sliced once (a slice per project made SIZE=large quadratic)."""
    key = (id(orgs), size.funders)
    if key not in _POOLS:
        _POOLS[key] = (orgs[1 : size.funders], orgs[size.funders :])
    return _POOLS[key]


def _project(rng: random.Random, parts: _ProjectParts, i: int, orgs: list[uuid.UUID], size: Size) -> None:
    pid = _uuid(rng)
    start = date(2004, 1, 1) + timedelta(days=rng.randrange(0, 20 * 365))
    end = start + timedelta(days=rng.randrange(180, 4 * 365))
    status = _weighted(rng, STATUSES)[0]
    n_countries = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
    codes: list[str] = []
    while len(codes) < n_countries:
        code = _weighted(rng, COUNTRIES)[0]
        if code not in codes:
            codes.append(code)
    title = f"Capacity building in migration management {i}: {codes[0]} {rng.choice(THEMES).replace('-', ' ')}"
    parts.projects.append(
        (
            pid,
            f"XM-DAC-47066-BENCH-{i:06d}",
            title,
            f"Benchmark project {i} in {', '.join(codes)}.",
            status,
            start,
            end,
            start if status != "pipeline" else None,
            end if status == "closed" else None,
            rng.random() < 0.9,
            False,
            "bench",
            1,
        )
    )
    parts.span_of[pid] = (start, end)
    for code, pct in zip(codes, _shares(n_countries), strict=True):
        parts.countries.append((pid, code, pct))
    for theme in rng.sample(THEMES, rng.randint(1, 3)):
        parts.themes.append((pid, theme))
    sectors = rng.sample(SECTORS, rng.randint(1, 2))
    for code, pct in zip(sectors, _shares(len(sectors)), strict=True):
        parts.sectors.append((pid, code, pct))
    donors, others = _pools(orgs, size)
    funders = rng.sample(donors, rng.randint(1, 2))
    parts.funders_of[pid] = funders
    people = [(o, "funding") for o in funders] + [(orgs[0], "accountable")]
    people.append((rng.choice(others), "implementing"))
    for org in {rng.choice(others) for _ in range(rng.randint(0, 2))}:
        people.append((org, "beneficiary"))
    for position, (org, role) in enumerate(dict.fromkeys(people)):
        parts.participants.append((_uuid(rng), pid, org, role, position))
    for k in range(rng.randint(0, 2)):
        parts.locations.append(
            (
                _uuid(rng),
                pid,
                codes[0],
                f"Location {k + 1} of project {i}",
                None,
                None,
                Decimal(rng.randint(-80_000_000, 80_000_000)) / 1_000_000,
                Decimal(rng.randint(-170_000_000, 170_000_000)) / 1_000_000,
            )
        )


def _money(rng: random.Random, on: date) -> tuple[Any, ...]:
    currency, _, rate, source = _weighted(rng, CURRENCIES)
    amount = (Decimal(rng.randint(1_000, 5_000_000)) / 100).quantize(CENT)
    if rate is None:
        return (amount, currency, on, None, None, None, None)
    return (amount, currency, on, (amount / rate).quantize(CENT), rate, on, source)


def _transactions(parts: _ProjectParts, orgs: list[uuid.UUID], n: int) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(SEED + 2)  # noqa: S311 - its own seed: the rows are made again each time they are read
    ids = [p[0] for p in parts.projects]
    for k in range(n):
        pid = ids[k % len(ids)] if k < len(ids) else rng.choice(ids)
        start, end = parts.span_of[pid]
        on = start + timedelta(days=rng.randrange(0, (end - start).days + 1))
        kind = _weighted(rng, TX_TYPES)[0]
        provider = rng.choice(parts.funders_of[pid]) if kind != "expenditure" else orgs[0]
        receiver = orgs[0] if kind != "expenditure" else rng.choice(orgs)
        yield (_uuid(rng), pid, kind, on, f"Tranche {k}", provider, receiver, False, "bench", 1, *_money(rng, on))


def _budgets(rng: random.Random, parts: _ProjectParts) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for pid, (start, end) in parts.span_of.items():
        rows.append((_uuid(rng), pid, "original", "committed", start, end, False, "bench", 1, *_money(rng, start)))
    return rows


_MONEY = ("amount", "currency", "value_date", "eur_amount", "fx_rate", "fx_rate_date", "fx_source")
# The columns each table is copied with, in foreign-key order (the order `load` copies them in).
COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": ("id", "name", "acronym", "iati_identifier", "org_type", "country_code", "parent_id",
                     "description", "source", "is_illustrative", "version"),
    "project": ("id", "code", "title", "description", "status", "planned_start", "planned_end", "actual_start",
                "actual_end", "is_public", "is_illustrative", "source", "version", "reporting_org_id"),
    "project_country": ("project_id", "country_code", "percentage"),
    "project_theme": ("project_id", "theme_code"),
    "project_sector": ("project_id", "sector_code", "percentage"),
    "project_participant": ("id", "project_id", "organisation_id", "role", "position"),
    "project_location": ("id", "project_id", "country_code", "name", "admin_area", "description", "latitude",
                         "longitude"),
    "exchange_rate": ("currency", "rate_date", "units_per_eur", "source", "created_by"),
    "budget": ("id", "project_id", "budget_type", "status", "period_start", "period_end", "is_illustrative", "source",
               "version", *_MONEY),
    "transaction": ("id", "project_id", "transaction_type", "transaction_date", "description", "provider_org_id",
                    "receiver_org_id", "is_illustrative", "source", "version", *_MONEY),
}  # fmt: skip


def generate(size: Size) -> Dataset:
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not secrets
    orgs = _organisations(rng, size)
    org_ids = [o[0] for o in orgs]
    parts = _ProjectParts()
    for i in range(size.projects):
        _project(rng, parts, i, org_ids, size)
    rates = [
        (c, date(2004, 1, 1) + timedelta(days=30 * m), r, s, "bench")
        for c, _, r, s in CURRENCIES
        if c in ("GEL", "MDL") and r is not None
        for m in range(0, 260)
    ]
    rows: dict[str, Rows] = {
        "organisation": orgs,
        "project": [(*p, org_ids[0]) for p in parts.projects],  # every code starts with IOM's IATI identifier
        "project_country": parts.countries,
        "project_theme": parts.themes,
        "project_sector": parts.sectors,
        "project_participant": parts.participants,
        "project_location": parts.locations,
        "exchange_rate": rates,
        "budget": _budgets(rng, parts),
        "transaction": Stream(size.transactions, lambda: _transactions(parts, org_ids, size.transactions)),
    }
    data = Dataset(project_ids=[p[0] for p in parts.projects], countries=[c for c, _ in COUNTRIES])
    data.tables = {table: (columns, rows[table]) for table, columns in COLUMNS.items()}
    return data


class Tables(Protocol):
    tables: dict[str, tuple[tuple[str, ...], Rows]]


# What the product's triggers keep (projects-api's migrations), computed once for every project after a bulk load.
KEPT = ("funding_refresh", "project_reads_refresh")


async def load(dsn: str, data: Tables) -> dict[str, int]:
    """COPY every table (in foreign-key order) in one transaction, then ANALYZE so the planner sees the real sizes.

    With a superuser (the embedded server), the COPYs run with triggers off (`session_replication_role = replica`:
    the generated rows are consistent, and each statement-level refresh of the product's kept tables would otherwise
    recompute every project once per table loaded), then the product's own refresh functions compute what the
    triggers keep, once, for every project, as migration 0016 does for existing data."""
    conn = await asyncpg.connect(dsn)
    try:
        counts: dict[str, int] = {}
        async with conn.transaction():
            bulk = bool(await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
            if bulk:
                await conn.execute("SET LOCAL session_replication_role = replica")
            for table, (columns, rows) in data.tables.items():
                records = rows.make() if isinstance(rows, Stream) else rows
                await conn.copy_records_to_table(table, records=records, columns=list(columns))
                counts[table] = rows.count if isinstance(rows, Stream) else len(rows)
            if bulk:
                await conn.execute("SET LOCAL session_replication_role = origin")
                await conn.execute("SET LOCAL work_mem = '256MB'")
                for function in KEPT:
                    if await conn.fetchval("SELECT count(*) FROM pg_proc WHERE proname = $1", function):
                        await conn.execute(f"SELECT {function}(array_agg(id)) FROM project")  # noqa: S608 - KEPT
        await conn.execute("ANALYZE")
        return counts
    finally:
        await conn.close()
