"""The rules of context series: who may write them, and shares computed from other series."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from registry_kit.errors import Conflict, Forbidden, NotFound, invalid, reject_nulls
from registry_kit.etag import check_if_match
from registry_kit.pagination import Page, PageParams
from registry_kit.presenting import from_row
from reporting_api.common import period_or_422
from reporting_api.context import repository
from reporting_api.context.models import ContextSeries as ContextSeriesRow
from reporting_api.context.models import ContextValue as ContextValueRow
from reporting_api.context.schemas import (
    ContextSeries,
    ContextSeriesCreate,
    ContextSeriesUpdate,
    ContextValue,
    ContextValueIn,
    ShareOf,
)

HUNDRED = Decimal(100)


def require_editor(principal: Principal, country: str | None) -> None:
    """Managers with a global grant, or a manager grant for the series' country."""
    principal.require(Role.manager)
    grants = principal.grants_at_least(Role.manager)
    if any(g.is_global for g in grants):
        return
    if country is not None and any(g.country == country for g in grants):
        return
    where = f"country {country}" if country else "world series"
    raise Forbidden(f"Your manager grants do not cover {where}.")


async def list_page(
    session: AsyncSession, page: PageParams, *, country: str | None, q: str | None
) -> Page[ContextSeries]:
    rows, total = await repository.list_page(session, country=country, q=q, offset=page.offset, limit=page.page_size)
    return Page.of(await present(session, rows), total, page)


async def present_one(session: AsyncSession, row: ContextSeriesRow) -> ContextSeries:
    return (await present(session, [row]))[0]


async def get_or_404(session: AsyncSession, key: str) -> ContextSeriesRow:
    series = None
    try:
        series = await repository.get(session, uuid.UUID(key))
    except ValueError:
        series = await repository.by_code(session, key)
    if series is None:
        raise NotFound(f"No context series {key}.")
    return series


def _value_out(v: ContextValueRow) -> ContextValue:
    return from_row(ContextValue, v, period=v.period_code)


def _covering(values: Sequence[ContextValueRow], v: ContextValueRow) -> ContextValueRow | None:
    """The denominator value whose period contains v's (the shortest such), else the same year's latest before."""
    inside = [
        d
        for d in values
        if d.period_start <= v.period_start
        and (d.period_end is None or (v.period_end is not None and v.period_end <= d.period_end))
    ]
    if inside:
        return min(inside, key=lambda d: ((d.period_end or v.period_start) - d.period_start).days)
    return None


def _ratio(n: Decimal | None, d: Decimal | None) -> Decimal | None:
    if n is None or d is None or d == 0:
        return None
    return (n / d * HUNDRED).quantize(Decimal("0.01"))


def shares(numerators: Sequence[ContextValueRow], denominators: Sequence[ContextValueRow]) -> list[ContextValue]:
    """numerator / denominator in %, for each numerator value with a denominator covering its period.
    For ranges the share is a range too: low / high-denominator to high / low-denominator."""
    out = []
    for n in numerators:
        d = _covering(denominators, n)
        if d is None:
            continue
        d_low, d_high = (d.value, d.value) if d.value is not None else (d.low, d.high)
        if n.value is not None and d.value is not None:
            value, low, high = _ratio(n.value, d.value), None, None
        else:
            n_low, n_high = (n.value, n.value) if n.value is not None else (n.low, n.high)
            value, low, high = None, _ratio(n_low, d_high), _ratio(n_high, d_low)
        if value is None and (low is None or high is None):
            continue
        out.append(
            ContextValue(
                period=n.period_code,
                period_start=n.period_start,
                period_end=n.period_end,
                value=value,
                low=low,
                high=high,
                source=f"computed: {n.source} / {d.source} ({d.period_code})",
                published_on=n.published_on,
                confidence=n.confidence if n.confidence == d.confidence else "medium",
                note=None,
                is_illustrative=n.is_illustrative or d.is_illustrative,
                computed=True,
            )
        )
    return out


async def present(session: AsyncSession, series: Sequence[ContextSeriesRow]) -> list[ContextSeries]:
    """Series with their values (typed or computed), in two queries whatever their number."""
    refs = {s.numerator_id for s in series if s.numerator_id} | {s.denominator_id for s in series if s.denominator_id}
    linked = await repository.by_ids(session, {r for r in refs if r is not None})
    values = await repository.values_of(session, {s.id for s in series} | set(linked))
    out = []
    for s in series:
        share = None
        if s.numerator_id and s.denominator_id:
            share = ShareOf(numerator=linked[s.numerator_id].code, denominator=linked[s.denominator_id].code)
            vals = shares(values[s.numerator_id], values[s.denominator_id])
        else:
            vals = [_value_out(v) for v in values[s.id]]
        out.append(
            ContextSeries(
                id=s.id,
                code=s.code,
                name=s.name,
                description=s.description,
                country_code=s.country_code,
                location=s.location,
                unit=s.unit,
                share_of=share,
                version=s.version,
                values=vals,
            )
        )
    return out


async def create(session: AsyncSession, principal: Principal, data: ContextSeriesCreate) -> ContextSeriesRow:
    require_editor(principal, data.country_code)
    if await repository.by_code(session, data.code) is not None:
        raise Conflict(f"A context series with code {data.code} already exists.")
    numerator_id = denominator_id = None
    if data.share_of is not None:
        numerator = await repository.by_code(session, data.share_of.numerator)
        denominator = await repository.by_code(session, data.share_of.denominator)
        if numerator is None:
            raise invalid("body.share_of.numerator", f"no series {data.share_of.numerator}", "unknown")
        if denominator is None:
            raise invalid("body.share_of.denominator", f"no series {data.share_of.denominator}", "unknown")
        if numerator.numerator_id or denominator.numerator_id:
            raise invalid("body.share_of", "a share cannot be computed from another share", "nested_share")
        numerator_id, denominator_id = numerator.id, denominator.id
    series = ContextSeriesRow(
        **data.model_dump(exclude={"share_of"}), numerator_id=numerator_id, denominator_id=denominator_id
    )
    session.add(series)
    await session.flush()
    return series


async def update(
    session: AsyncSession, principal: Principal, key: str, data: ContextSeriesUpdate, if_match: str | None
) -> ContextSeriesRow:
    series = await get_or_404(session, key)
    require_editor(principal, series.country_code)
    check_if_match(if_match, series.id, series.version)
    changes = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "name", "unit")
    for k, v in changes.items():
        setattr(series, k, v)
    await session.flush()
    return series


async def delete(session: AsyncSession, principal: Principal, key: str, if_match: str | None) -> None:
    series = await get_or_404(session, key)
    require_editor(principal, series.country_code)
    check_if_match(if_match, series.id, series.version)
    if await repository.dependants(session, series.id):
        raise Conflict(f"Share series are computed from {series.code}; delete them first.")
    await session.delete(series)
    await session.flush()


async def put_value(
    session: AsyncSession, principal: Principal, key: str, period_code: str, data: ContextValueIn
) -> tuple[ContextSeriesRow, bool]:
    """Set the value of a period (created or replaced); True when created."""
    series = await get_or_404(session, key)
    require_editor(principal, series.country_code)
    if series.numerator_id is not None:
        raise invalid(
            "path.series", f"{series.code} is computed from other series; its values cannot be typed", "computed"
        )
    period = period_or_422(period_code, "path.period")
    row = await repository.value(session, series.id, period.code)
    created = row is None
    if row is None:
        row = ContextValueRow(series_id=series.id, period_code=period.code)
        session.add(row)
    row.period_start, row.period_end = period.start, period.end
    for k, v in data.model_dump().items():
        setattr(row, k, v)
    series.updated_at = datetime.now(UTC)  # the series' version (its ETag) covers its values
    await session.flush()
    return series, created


async def delete_value(session: AsyncSession, principal: Principal, key: str, period_code: str) -> None:
    series = await get_or_404(session, key)
    require_editor(principal, series.country_code)
    period = period_or_422(period_code, "path.period")
    row = await repository.value(session, series.id, period.code)
    if row is None:
        raise NotFound(f"{series.code} has no value for {period.code}.")
    await session.delete(row)
    series.updated_at = datetime.now(UTC)
    await session.flush()
