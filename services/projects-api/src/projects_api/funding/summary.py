"""EUR totals of transactions grouped by any mix of funder, country, region, year, theme, status and project.

A transaction counts towards a country by the project's country percentage and towards a theme by an
equal share of the project's themes, so the rows of any grouping add up to the total.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
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
            tuple(self.group_by), tuple(sorted(self.transaction_types)), tuple(sorted(self.funders)),
            tuple(sorted(self.countries)), tuple(sorted(self.regions)), tuple(sorted(self.themes)),
            tuple(sorted(self.statuses)), tuple(sorted(self.projects)), self.year_from, self.year_to,
        )  # fmt: skip


REGION_TABLE = values(column("country_code", String), column("region", String), name="region_of").data(
    sorted(REGION_OF_COUNTRY.items())
)


def countries_of(q: SummaryQuery) -> set[str]:
    """The countries the country and region filters name together."""
    countries = set(q.countries)
    for region in q.regions:
        countries |= set(REGION_BY_CODE[region].countries)
    return countries


def _theme_shares() -> Any:
    """Each project's themes with an equal share of its money (1 / number of themes)."""
    n = func.count().over(partition_by=ProjectTheme.project_id)
    return select(ProjectTheme.project_id, ProjectTheme.theme_code, (literal(1, Numeric) / n).label("share")).subquery(
        "theme_share"
    )


async def _base(session: AsyncSession, q: SummaryQuery, visible: ColumnElement[bool]) -> tuple[Any, dict[str, Any]]:
    """The FROM clause with every needed join, the prorated EUR and amount, and the dimension columns."""
    by_country = bool({"country", "region"} & set(q.group_by)) or bool(q.countries or q.regions)
    by_theme = "theme" in q.group_by or bool(q.themes)
    share: ColumnElement[Any] = literal(1, Numeric)
    source = Transaction.__table__.join(Project.__table__, Project.id == Transaction.project_id)
    dims: dict[str, Any] = {
        "funder": Transaction.provider_org_id,
        "year": extract("year", Transaction.value_date).cast(Integer),
        "status": Project.status,
        "project": Project.id,
        "transaction_type": Transaction.transaction_type,
    }
    conditions: list[ColumnElement[bool]] = [visible, Transaction.transaction_type.in_(q.transaction_types)]
    if by_country:
        pc = ProjectCountry.__table__
        source = source.join(pc, pc.c.project_id == Project.id).outerjoin(
            REGION_TABLE, REGION_TABLE.c.country_code == pc.c.country_code
        )
        share = share * pc.c.percentage / 100
        dims["country"] = pc.c.country_code
        dims["region"] = REGION_TABLE.c.region
        countries = countries_of(q)
        if countries:
            conditions.append(pc.c.country_code.in_(countries))
    if by_theme:
        ts = _theme_shares()
        source = source.outerjoin(ts, ts.c.project_id == Project.id)
        share = share * func.coalesce(ts.c.share, 1)
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
    parts = {"source": source, "share": share, "conditions": conditions, "repeats": repeats}
    return parts, dims


async def summarise_transactions(
    session: AsyncSession, q: SummaryQuery, visible: ColumnElement[bool]
) -> dict[str, Any]:
    """Every transaction the caller may see, joined with its project's country and theme shares."""
    parts, dims = await _base(session, q, visible)
    keys = [dims[d].label(d) for d in q.group_by]
    share = parts["share"]
    converted = (
        select(
            *keys,
            func.sum(Transaction.eur_amount * share).label("eur"),
            (func.count(func.distinct(Transaction.id)) if parts["repeats"] else func.count()).label("n"),
        )
        .select_from(parts["source"])
        .where(*parts["conditions"])
    )
    unconverted = (
        select(*keys, Transaction.currency, func.sum(Transaction.amount * share).label("amount"))
        .select_from(parts["source"])
        .where(*parts["conditions"], Transaction.eur_amount.is_(None))
    )
    if keys:
        converted = converted.group_by(*keys)
        unconverted = unconverted.group_by(*keys, Transaction.currency)
    else:
        unconverted = unconverted.group_by(Transaction.currency)
    eur_rows = (await session.execute(converted)).all()
    raw_rows = (await session.execute(unconverted)).all()
    return await assemble(session, q.group_by, eur_rows, raw_rows)


ROW_FIELDS = ("funder", "country", "region", "year", "theme", "status", "project", "transaction_type",
              "eur_amount", "not_converted", "transactions")  # fmt: skip


async def assemble(session: AsyncSession, group_by: list[str], eur_rows: Any, raw_rows: Any) -> dict[str, Any]:
    """Rows in the response's shape (every SummaryRow field), largest first, and the total. Thousands of rows: each
    dimension's values are looked up in a table built once, not named one by one."""
    eur_rows, raw_rows, departments = await funders.roll_up(session, group_by, eur_rows, raw_rows)
    n = len(group_by)
    missing: dict[tuple[Any, ...], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    total_missing: dict[str, Decimal] = defaultdict(Decimal)
    for raw in raw_rows:
        key, currency, amount = tuple(raw[:n]), raw[n], raw[n + 1] or Decimal(0)
        missing[key][currency] += amount
        total_missing[currency] += amount
    lookups = [await _shown(session, dim, {r[i] for r in eur_rows}, departments) for i, dim in enumerate(group_by)]
    named = [(i, dim, lookup) for i, (dim, lookup) in enumerate(zip(group_by, lookups, strict=True))]
    blank: dict[str, Any] = dict.fromkeys(ROW_FIELDS)
    rows = []
    total_eur, total_n = Decimal(0), 0
    for r in eur_rows:
        eur, count = r[n] or Decimal(0), r[n + 1]
        total_eur += eur
        total_n += count
        row = blank.copy()
        for i, dim, lookup in named:
            row[dim] = r[i] if lookup is None else lookup.get(r[i])
        row["eur_amount"] = eur.quantize(CENT)
        row["transactions"] = count
        if missing:
            key = tuple(r[:n])
            row["not_converted"] = _not_converted(missing[key]) if key in missing else []
        else:
            row["not_converted"] = []
        rows.append(row)
    rows.sort(key=lambda x: x["eur_amount"], reverse=True)
    total = blank | {
        "eur_amount": total_eur.quantize(CENT),
        "not_converted": _not_converted(total_missing),
        "transactions": total_n,
    }
    return {"rows": rows, "total": total}


def _not_converted(by_currency: dict[str, Decimal]) -> list[dict[str, Any]]:
    return [{"currency": c, "amount": a.quantize(CENT)} for c, a in sorted(by_currency.items()) if a]


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
