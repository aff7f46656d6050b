"""The funding summary read from the funding cube (funding_cube, kept by the database: migration 0002).

The cube has one row per transaction type, funder, country, year and unconverted currency, with the measures for
everyone and for public projects alone. It answers any grouping and filtering by funder, country, region, year and
transaction type, for callers who see everything or only public projects. Themes, statuses, single projects and
callers with scoped grants need the projects themselves: summary.py joins the transactions for those.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import Scope
from projects_api.funding.models import FundingCube
from projects_api.funding.summary import REGION_TABLE, GroupSums, SummaryQuery, assemble, countries_of
from projects_api.organisations.repository import descendant_ids
from registry_kit.raw_reads import ReadCache, Reads

CUBE_DIMENSIONS = frozenset({"funder", "country", "region", "year", "transaction_type"})


def serves(q: SummaryQuery, scope: Scope) -> bool:
    """Whether the cube holds this answer exactly."""
    if not (scope.everything or scope.empty) or q.themes or q.statuses or q.projects:
        return False
    if not set(q.group_by) <= CUBE_DIMENSIONS:
        return False
    # Without the country in the groups, a transaction split over several countries must count once per group: the
    # cube's once-only count holds it at its first country, which a country or region filter or group may exclude.
    # The total counts each transaction once: with more than one country in the filters, the cube cannot tell.
    if len(countries_of(q)) > 1:
        return False
    return "country" in q.group_by or not ("region" in q.group_by or q.countries or q.regions)


_READS = ReadCache()
_TEXTS, _UUIDS = ARRAY(String), ARRAY(PG_UUID(as_uuid=True))


def _statements(q: SummaryQuery, who: str) -> tuple[Any, Any, Any]:
    """The grouped EUR and counts, the grouped unconverted amounts, and the total count of transactions, with the
    request's values as parameters. Sums are exact (country shares are percentages): rounding comes after."""
    c = FundingCube
    eur, amount, rows = (getattr(c, f"{m}_{who}") for m in ("eur", "amount", "rows"))
    once = getattr(c, f"transactions_{who}")
    by_country = "country" in q.group_by
    count = rows if by_country else once
    dims: dict[str, Any] = {
        "funder": c.provider_org_id, "country": c.country_code, "region": REGION_TABLE.c.region, "year": c.year,
        "transaction_type": c.transaction_type,
    }  # fmt: skip
    source: Any = c.__table__
    if "region" in q.group_by:
        source = source.outerjoin(REGION_TABLE, REGION_TABLE.c.country_code == c.country_code)
    conditions: list[ColumnElement[bool]] = [c.transaction_type == any_(bindparam("types", type_=_TEXTS)), rows > 0]
    if q.countries or q.regions:
        conditions.append(c.country_code == any_(bindparam("countries", type_=_TEXTS)))
    if q.funders:
        conditions.append(c.provider_org_id.in_(descendant_ids(bindparam("funders", type_=_UUIDS), "funders")))
    if q.year_from is not None:
        conditions.append(c.year >= bindparam("year_from", type_=Integer))
    if q.year_to is not None:
        conditions.append(c.year <= bindparam("year_to", type_=Integer))
    keys = [dims[d].label(d) for d in q.group_by]
    converted = (
        select(*keys, func.sum(eur), func.sum(count), func.sum(count).filter(c.currency.is_(None)))
        .select_from(source)
        .where(*conditions)
    )
    if keys:
        converted = converted.group_by(*keys)
    unconverted = (
        select(*keys, c.currency, func.sum(amount))
        .select_from(source)
        .where(*conditions, c.currency.is_not(None))
        .group_by(*keys, c.currency)
    )
    # One country in the filter: its rows count each transaction once; none: the once-only count does.
    total = select(func.sum(rows if q.countries or q.regions else once)).select_from(c.__table__).where(*conditions)
    return converted, unconverted, total


async def summarise(session: AsyncSession, reads: Reads, q: SummaryQuery, scope: Scope) -> dict[str, Any]:
    """Three statements compiled once per shape of the request, run on the hot-read pool (thousands of rows: no ORM);
    the exact sums are rounded by summary.assemble, as the transaction path's are."""
    who = "all" if scope.everything else "public"
    shape = (tuple(q.group_by), who, bool(q.countries or q.regions), bool(q.funders), q.year_from is not None,
             q.year_to is not None)  # fmt: skip
    converted = _READS.get(("converted", *shape), lambda: _statements(q, who)[0])
    unconverted = _READS.get(("unconverted", *shape), lambda: _statements(q, who)[1])
    counted = _READS.get(("counted", *shape), lambda: _statements(q, who)[2])
    values = {"types": q.transaction_types, "countries": sorted(countries_of(q)), "funders": q.funders,
              "year_from": q.year_from, "year_to": q.year_to}  # fmt: skip
    async with reads.connection() as conn:
        eur_rows = await conn.fetch(converted.sql, *converted.args(values))
        raw_rows = await conn.fetch(unconverted.sql, *unconverted.args(values))
        total = await conn.fetchval(counted.sql, *counted.args(values))
    n = len(q.group_by)
    groups: dict[tuple[Any, ...], GroupSums] = {}
    for r in eur_rows:
        if not r[n + 1]:  # no grouping and no transaction: an empty answer has no rows
            continue
        group = groups.setdefault(tuple(r[:n]), GroupSums())
        group.eur += Fraction(r[n] or 0)
        group.transactions += int(r[n + 1] or 0)
        group.converted += int(r[n + 2] or 0)
    for r in raw_rows:
        groups.setdefault(tuple(r[:n]), GroupSums()).unconverted[r[n]] += Fraction(r[n + 1] or 0)
    return await assemble(session, q.group_by, groups, int(total or 0))
