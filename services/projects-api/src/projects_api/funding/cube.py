"""The funding summary read from the funding cube (funding_cube, kept by the database: migration 0002).

The cube has one row per transaction type, funder, country, year and unconverted currency, with the measures for
everyone and for public projects alone. It answers any grouping and filtering by funder, country, region, year and
transaction type, for callers who see everything or only public projects. Themes, statuses, single projects and
callers with scoped grants need the projects themselves: summary.py joins the transactions for those.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import Scope
from projects_api.funding.models import FundingCube
from projects_api.funding.summary import REGION_TABLE, SummaryQuery, assemble, countries_of
from projects_api.organisations.repository import with_descendants

CUBE_DIMENSIONS = frozenset({"funder", "country", "region", "year", "transaction_type"})


def serves(q: SummaryQuery, scope: Scope) -> bool:
    """Whether the cube holds this answer exactly."""
    if not (scope.everything or scope.empty) or q.themes or q.statuses or q.projects:
        return False
    if not set(q.group_by) <= CUBE_DIMENSIONS:
        return False
    # Without the country in the groups, a transaction split over several countries must count once per group: the
    # cube's once-only count holds it at its first country, which a country or region filter or group may exclude.
    return "country" in q.group_by or not ("region" in q.group_by or q.countries or q.regions)


async def summarise(session: AsyncSession, q: SummaryQuery, scope: Scope) -> dict[str, Any]:
    c = FundingCube
    who = "all" if scope.everything else "public"
    eur, amount, rows = (getattr(c, f"{m}_{who}") for m in ("eur", "amount", "rows"))
    by_country = "country" in q.group_by
    count = rows if by_country else getattr(c, f"transactions_{who}")
    dims: dict[str, Any] = {
        "funder": c.provider_org_id, "country": c.country_code, "region": REGION_TABLE.c.region, "year": c.year,
        "transaction_type": c.transaction_type,
    }  # fmt: skip
    source: Any = c.__table__
    if "region" in q.group_by:
        source = source.outerjoin(REGION_TABLE, REGION_TABLE.c.country_code == c.country_code)
    conditions: list[ColumnElement[bool]] = [c.transaction_type.in_(q.transaction_types), rows > 0]
    if by_country:
        conditions.append(c.country_code.is_not(None))
    countries = countries_of(q)
    if countries:
        conditions.append(c.country_code.in_(countries))
    if q.funders:
        conditions.append(c.provider_org_id.in_(await with_descendants(session, q.funders)))
    if q.year_from is not None:
        conditions.append(c.year >= q.year_from)
    if q.year_to is not None:
        conditions.append(c.year <= q.year_to)
    keys = [dims[d].label(d) for d in q.group_by]
    converted = select(*keys, func.sum(eur), func.sum(count)).select_from(source).where(*conditions)
    unconverted = (
        select(*keys, c.currency, func.sum(amount))
        .select_from(source)
        .where(*conditions, c.currency.is_not(None))
        .group_by(*keys, c.currency)
    )
    if keys:
        converted = converted.group_by(*keys)
    eur_rows = (await session.execute(converted)).all()
    raw_rows = (await session.execute(unconverted)).all()
    return await assemble(session, q.group_by, eur_rows, raw_rows)
