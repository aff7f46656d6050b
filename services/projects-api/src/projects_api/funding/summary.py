"""EUR totals of transactions grouped by any mix of funder, country, region, year, theme, status and project.

A transaction counts towards a country by the project's country percentage and towards a theme by an
equal share of the project's themes (a project without countries or themes under none: `country: null`). The sums
of each group are exact; one rounding step (`rounded`, the largest remainder) then gives each row its cents so that
the rows of any grouping add up to the total to the cent, in EUR and in each unconverted currency. Counts count
transactions: a transaction split over two countries counts once in each country's row and once in the total.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Numeric,
    String,
    column,
    extract,
    func,
    literal,
    select,
    values,
)
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding import funders
from projects_api.funding.models import Transaction
from projects_api.organisations.repository import with_descendants
from projects_api.projects.models import Project, ProjectCountry, ProjectTheme
from projects_api.reference.data import REGION_BY_CODE, REGION_OF_COUNTRY, THEMES
from registry_kit.apportion import apportion

DIMENSIONS = ("funder", "country", "region", "year", "theme", "status", "project", "transaction_type")
CENT = Decimal("0.01")


@dataclass
class SummaryQuery:
    group_by: list[str]
    transaction_types: list[str]
    funders: list[uuid.UUID] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    projects: list[uuid.UUID] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    def key(self) -> tuple[Any, ...]:
        """Equal for requests that must get the same answer (the order of values within a filter does not matter)."""
        return (
            tuple(self.group_by),
            tuple(sorted(self.transaction_types)),
            tuple(sorted(self.funders)),
            tuple(sorted(self.countries)),
            tuple(sorted(self.regions)),
            tuple(sorted(self.themes)),
            tuple(sorted(self.statuses)),
            tuple(sorted(self.projects)),
            self.year_from,
            self.year_to,
        )


REGION_TABLE = values(column("country_code", String), column("region", String), name="region_of").data(
    sorted(REGION_OF_COUNTRY.items())
)


def countries_of(q: SummaryQuery) -> set[str]:
    """The countries the country and region filters name together."""
    countries = set(q.countries)
    for region in q.regions:
        countries |= set(REGION_BY_CODE[region].countries)
    return countries


def _country_shares() -> Any:
    """Each project's country shares (percentage / 100, exact), and what they leave uncovered (everything, for a
    project without countries) under no country: the same parts as the funding cube's."""
    pc = ProjectCountry
    covered = func.coalesce(func.sum(pc.percentage), 0)
    rest = (
        select(
            Project.id.label("project_id"),
            literal(None, String).label("country_code"),
            (1 - covered / 100).label("share"),
        )
        .select_from(Project.__table__.outerjoin(pc.__table__, pc.project_id == Project.id))
        .group_by(Project.id)
        .having(covered != 100)
    )
    given = select(pc.project_id, pc.country_code, (pc.percentage / 100).label("share"))
    return given.union_all(rest).subquery("country_share")


def _theme_counts() -> Any:
    """Each project's themes with their number: a theme's share of the money is 1 / n, divided exactly in Python
    (a Numeric division in SQL would round 1/3, and the rows would no longer add up to the total)."""
    n = func.count().over(partition_by=ProjectTheme.project_id)
    return select(ProjectTheme.project_id, ProjectTheme.theme_code, n.label("n")).subquery("theme_share")


async def _base(session: AsyncSession, q: SummaryQuery, visible: ColumnElement[bool]) -> tuple[Any, dict[str, Any]]:
    """The FROM clause with every needed join, the prorated EUR and amount, and the dimension columns."""
    by_country = bool({"country", "region"} & set(q.group_by)) or bool(q.countries or q.regions)
    by_theme = "theme" in q.group_by or bool(q.themes)
    share: ColumnElement[Any] = literal(1, Numeric)
    themes: ColumnElement[Any] = literal(1, Integer)
    source = Transaction.__table__.join(Project.__table__, Project.id == Transaction.project_id)
    dims: dict[str, Any] = {
        "funder": Transaction.provider_org_id,
        "year": extract("year", Transaction.value_date).cast(Integer),
        "status": Project.status,
        "project": Project.id,
        "transaction_type": Transaction.transaction_type,
    }
    conditions: list[ColumnElement[bool]] = [visible, Transaction.transaction_type.in_(q.transaction_types)]
    if by_country:  # money no country share covers (a project without countries) stays, under no country
        pc = _country_shares()
        source = source.join(pc, pc.c.project_id == Project.id).outerjoin(
            REGION_TABLE, REGION_TABLE.c.country_code == pc.c.country_code
        )
        share = pc.c.share
        dims["country"] = pc.c.country_code
        dims["region"] = REGION_TABLE.c.region
        countries = countries_of(q)
        if countries:
            conditions.append(pc.c.country_code.in_(countries))
    if by_theme:
        ts = _theme_counts()
        source = source.outerjoin(ts, ts.c.project_id == Project.id)
        themes = func.coalesce(ts.c.n, 1)
        dims["theme"] = ts.c.theme_code
        if q.themes:
            conditions.append(ts.c.theme_code.in_(q.themes))
    if q.funders:
        conditions.append(Transaction.provider_org_id.in_(await with_descendants(session, q.funders)))
    if q.statuses:
        conditions.append(Project.status.in_(q.statuses))
    if q.projects:
        conditions.append(Project.id.in_(q.projects))
    if q.year_from is not None:
        conditions.append(Transaction.value_date >= func.make_date(q.year_from, 1, 1))
    if q.year_to is not None:
        conditions.append(Transaction.value_date <= func.make_date(q.year_to, 12, 31))
    # A transaction joins once per country (and theme) its project has: it repeats inside a group only when the
    # group does not hold that dimension; otherwise each copy lands in its own group and count(*) is exact (and lets
    # PostgreSQL hash the groups instead of sorting every row for count(DISTINCT)).
    repeats = (by_country and "country" not in q.group_by) or (by_theme and "theme" not in q.group_by)
    parts = {"source": source, "share": share, "themes": themes, "conditions": conditions, "repeats": repeats}
    return parts, dims


async def summarise_transactions(
    session: AsyncSession, q: SummaryQuery, visible: ColumnElement[bool]
) -> dict[str, Any]:
    """Every transaction the caller may see, joined with its project's country and theme shares: the exact sums of
    each group (a theme's 1/n applied in Python), then rounded by `assemble`."""
    parts, dims = await _base(session, q, visible)
    keys = [dims[d].label(d) for d in q.group_by]
    share, themes = parts["share"], parts["themes"].label("themes")
    count = func.count(func.distinct(Transaction.id)) if parts["repeats"] else func.count()
    converted = (
        select(*keys, themes, func.sum(Transaction.eur_amount * share), count, func.count(Transaction.eur_amount))
        .select_from(parts["source"])
        .where(*parts["conditions"])
        .group_by(*keys, themes)
    )
    unconverted = (
        select(*keys, themes, Transaction.currency, func.sum(Transaction.amount * share))
        .select_from(parts["source"])
        .where(*parts["conditions"], Transaction.eur_amount.is_(None))
        .group_by(*keys, themes, Transaction.currency)
    )
    counted = select(func.count(func.distinct(Transaction.id))).select_from(parts["source"]).where(*parts["conditions"])
    n = len(keys)
    groups: dict[tuple[Any, ...], GroupSums] = {}
    for r in await session.execute(converted):
        group = groups.setdefault(tuple(r[:n]), GroupSums())
        group.eur = Fraction(group.eur) + Fraction(r[n + 1] or 0) / r[n]
        group.transactions += r[n + 2]
        group.converted += r[n + 3]
    for r in await session.execute(unconverted):
        group = groups.setdefault(tuple(r[:n]), GroupSums())
        group.unconverted[r[n + 1]] += Fraction(r[n + 2] or 0) / r[n]
    total = int(await session.scalar(counted) or 0)
    return await assemble(session, q.group_by, groups, total)


ROW_FIELDS = (
    "funder",
    "country",
    "region",
    "year",
    "theme",
    "status",
    "project",
    "transaction_type",
    "eur_amount",
    "not_converted",
    "transactions",
)


@dataclass
class GroupSums:
    """A group's exact sums, before rounding: EUR of its converted transactions, unconverted amounts by currency,
    its transactions and how many of them have a EUR value."""

    eur: Fraction | Decimal = Fraction(0)  # exact either way (the cube's kept sums are Decimals at 100 digits)
    transactions: int = 0
    converted: int = 0
    unconverted: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))

    def add(self, other: GroupSums) -> None:
        """Another group's sums added into this one (a department's group meeting its ministry's)."""
        self.eur = Fraction(self.eur) + Fraction(other.eur)  # the cube's Decimals, exactly
        self.transactions += other.transactions
        self.converted += other.converted
        for currency, amount in other.unconverted.items():
            self.unconverted[currency] += amount


def rounded(groups: dict[tuple[Any, ...], GroupSums]) -> tuple[dict[tuple[Any, ...], Any], Any, dict[str, Any]]:
    """The rounding step, over exact group sums: EUR and each unconverted currency apportioned to the cent by the
    largest remainder (registry_kit.apportion), so every grouping's rows add up to its total exactly. A group whose
    transactions all lack a EUR value has no EUR figure (None), not zero."""
    with_eur = {k: g.eur for k, g in groups.items() if g.converted}
    eur, total_eur = apportion(with_eur, CENT)
    currencies = sorted({c for g in groups.values() for c, a in g.unconverted.items() if a})
    per_currency = {
        c: apportion({k: g.unconverted[c] for k, g in groups.items() if g.unconverted.get(c)}, CENT) for c in currencies
    }
    missing: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    total_missing = []
    for c in currencies:
        shares, amount = per_currency[c]
        total_missing.append({"currency": c, "amount": amount})
        for k, a in shares.items():
            missing[k].append({"currency": c, "amount": a})
    converted_any = any(g.converted for g in groups.values())
    unconverted_any = bool(currencies)
    total = total_eur if converted_any or not unconverted_any else None
    return {k: (eur.get(k), missing.get(k, [])) for k in groups}, total, {"not_converted": total_missing}


async def assemble(
    session: AsyncSession,
    group_by: list[str],
    groups: dict[tuple[Any, ...], GroupSums],
    total_transactions: int,
    rolled_up: funders.RolledUp | None = None,
) -> dict[str, Any]:
    """Rows in the response's shape (every SummaryRow field), largest first, and the total. `rolled_up`: the groups
    with departments already added into their ministry (funders.roll_up), when the caller has them."""
    groups, departments = rolled_up or await funders.roll_up(session, group_by, groups)
    shown_rows, total_eur, total_extra = rounded(groups)
    rows = await named_rows(session, group_by, groups, shown_rows, departments)
    rows.sort(key=lambda x: (x["eur_amount"] is not None, x["eur_amount"] or 0), reverse=True)
    total = dict.fromkeys(ROW_FIELDS) | {"eur_amount": total_eur, "transactions": total_transactions, **total_extra}
    return {"rows": rows, "total": total}


async def named_rows(
    session: AsyncSession,
    group_by: list[str],
    groups: dict[tuple[Any, ...], GroupSums],
    shown_rows: dict[tuple[Any, ...], Any],
    departments: dict[uuid.UUID, set[uuid.UUID]] | None = None,
    known: dict[str, dict[Any, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The groups' rows with their rounded figures (from `rounded`), in the groups' order; `departments`: per funder,
    the departments rolled up into it (funders.roll_up); `known`: a dimension's values as shown, when the caller has
    them already. Thousands of rows: each dimension's values are looked up in a table built once, not named one by
    one."""
    known = known or {}
    lookups = [
        known[dim] if dim in known else await _shown(session, dim, {k[i] for k in groups}, departments or {})
        for i, dim in enumerate(group_by)
    ]
    named = [(i, dim, lookup) for i, (dim, lookup) in enumerate(zip(group_by, lookups, strict=True))]
    blank: dict[str, Any] = dict.fromkeys(ROW_FIELDS)
    rows = []
    for key, group in groups.items():
        row = blank.copy()
        for i, dim, lookup in named:
            row[dim] = key[i] if lookup is None else lookup.get(key[i])
        row["eur_amount"], row["not_converted"] = shown_rows[key]
        row["transactions"] = group.transactions
        rows.append(row)
    return rows


async def _shown(
    session: AsyncSession, dim: str, values: set[Any], departments: dict[uuid.UUID, set[uuid.UUID]]
) -> dict[Any, Any] | None:
    """How the response shows each value of a dimension (None: as it is). Names are fetched in one query."""
    from projects_api.reference.lookups import country_names

    present = {v for v in values if v is not None}
    if dim == "funder":
        return await funders.shown(session, present, departments)
    if dim == "project":
        rows2 = await session.execute(select(Project.id, Project.code, Project.title).where(Project.id.in_(present)))
        return {r.id: {"code": r.code, "name": r.title} for r in rows2}
    if dim == "country":
        countries = country_names()
        return {v: {"code": v, "name": countries.get(v, v)} for v in present}
    if dim == "region":
        return {v: {"code": v, "name": REGION_BY_CODE[v].name} for v in present}
    if dim == "theme":
        themes = {t.code: t.name for t in THEMES}
        return {v: {"code": v, "name": themes.get(v, v)} for v in present}
    return None
