"""The funding summary read from the funding cube (funding_cube, kept by the database: migration 0002).

The cube has one row per transaction type, funder, country, year and unconverted currency, with the measures for
everyone and for public projects alone. It answers any grouping and filtering by funder, country, region, year and
transaction type, for callers who see everything or only public projects. Themes, statuses, single projects and
callers with scoped grants need the projects themselves: summary.py joins the transactions for those.

An answer is kept as a CubeState (its groups' exact sums and each cube row's part in them) with the cube's version
(funding/summary_cache.py): after a change, only the cube rows changed since that version are read and taken in
(each cube row carries the version at which it last changed, migration 0016), then the answer is written again.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from sqlalchemy import ARRAY, BigInteger, ColumnElement, Integer, String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import Scope
from projects_api.funding.models import FundingCube, FundingCubeVersion
from projects_api.funding.summary import REGION_TABLE, GroupSums, SummaryQuery, assemble, countries_of
from projects_api.organisations.repository import descendant_ids
from registry_kit.raw_reads import ReadCache, Reads, compile_read

ZERO = Decimal(0)

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


def _source_and_conditions(q: SummaryQuery) -> tuple[Any, list[ColumnElement[bool]], dict[str, Any]]:
    c = FundingCube
    dims: dict[str, Any] = {
        "funder": c.provider_org_id,
        "country": c.country_code,
        "region": REGION_TABLE.c.region,
        "year": c.year,
        "transaction_type": c.transaction_type,
    }
    source: Any = c.__table__
    if "region" in q.group_by:
        source = source.outerjoin(REGION_TABLE, REGION_TABLE.c.country_code == c.country_code)
    conditions: list[ColumnElement[bool]] = [c.transaction_type == any_(bindparam("types", type_=_TEXTS))]
    if q.countries or q.regions:
        conditions.append(c.country_code == any_(bindparam("countries", type_=_TEXTS)))
    if q.funders:
        conditions.append(c.provider_org_id.in_(descendant_ids(bindparam("funders", type_=_UUIDS), "funders")))
    if q.year_from is not None:
        conditions.append(c.year >= bindparam("year_from", type_=Integer))
    if q.year_to is not None:
        conditions.append(c.year <= bindparam("year_to", type_=Integer))
    return source, conditions, dims


def _rows_statement(q: SummaryQuery, who: str, *, changed: bool) -> Any:
    """The cube's rows this answer is made of, each with its group's values and its measures: all the rows that count
    (`changed` false), or every row changed since a version (`changed`: those that went to zero too). The last column
    is the row's part in the total count: with one country in the filter its rows count each transaction once,
    without one the once-only count does."""
    c = FundingCube
    eur, amount, rows = (getattr(c, f"{m}_{who}") for m in ("eur", "amount", "rows"))
    once = getattr(c, f"transactions_{who}")
    count = rows if "country" in q.group_by else once
    counted = rows if q.countries or q.regions else once
    source, conditions, dims = _source_and_conditions(q)
    keys = [dims[d].label(d) for d in q.group_by]
    condition = c.changed_at > bindparam("since", type_=BigInteger) if changed else rows > 0
    return (
        select(c.id, *keys, c.currency, eur, amount, count, rows, counted)
        .select_from(source)
        .where(*conditions, condition)
    )


class CubeState:
    """An answer's groups, kept as exact sums of the cube rows they are made of, and each row's part in them, so the
    rows changed since the answer's version can be taken out at their old values and put in at their new ones.
    Decimal sums run at 100 digits: the cube's amounts carry the country shares' twenty decimals, and the default
    28 would round them; they are exact, as PostgreSQL's sums of the same rows are (summary.rounded rounds them)."""

    def __init__(self, dimensions: int) -> None:
        self.n = dimensions
        self.parts: dict[int, tuple[tuple[Any, ...], str | None, Decimal, Decimal, int, int]] = {}
        # key -> [eur, transactions, transactions with a EUR value, rows counted]
        self.sums: dict[tuple[Any, ...], list[Any]] = {}
        # key -> currency -> [amount, rows counted]
        self.currencies: dict[tuple[Any, ...], dict[str, list[Any]]] = {}
        self.total = 0  # the total's count of transactions
        self._unconverted = 0  # (group, currency) sums in `currencies`
        self.touched: set[tuple[Any, ...]] = set()  # groups changed since the answer was last written (kept_answer)
        self.rendered: Any = None  # kept_answer.Rows: the rows' JSON in the answer's order
        self.names: Any = None  # the funders' names the rows were written with (kept_answer)
        self.rounding: Any = None  # kept_answer.Rounding: the groups' rounding, kept one change at a time
        self._groups: dict[tuple[Any, ...], GroupSums] = {}
        self._dirty: set[tuple[Any, ...]] = set()  # groups changed since group_sums last answered

    def apply(self, records: list[Any]) -> None:
        """Each record is a cube row as it is now: its old part (if any) goes out, its new part (if it counts) in."""
        n = self.n
        with localcontext(prec=100):
            for r in records:
                old = self.parts.pop(r[0], None)
                if old is not None:
                    self._add(*old, sign=-1)
                key: tuple[Any, ...] = tuple(r[1 : 1 + n])
                currency, eur, amount, count, rows, counted = r[1 + n : 7 + n]
                if rows > 0:
                    part = (key, currency, eur or ZERO, amount or ZERO, int(count), int(counted))
                    self.parts[r[0]] = part
                    self._add(*part, sign=1)

    def _add(
        self,
        key: tuple[Any, ...],
        currency: str | None,
        eur: Decimal,
        amount: Decimal,
        count: int,
        counted: int,
        *,
        sign: int,
    ) -> None:
        self.touched.add(key)
        self._dirty.add(key)
        group = self.sums.get(key)
        if group is None:
            group = self.sums[key] = [ZERO, 0, 0, 0]
        group[0] += eur if sign > 0 else -eur
        group[1] += count * sign
        if currency is None:
            group[2] += count * sign
        group[3] += sign
        if group[3] == 0:
            del self.sums[key]
        self.total += counted * sign
        if currency is not None:
            by_currency = self.currencies.setdefault(key, {})
            missing = by_currency.get(currency)
            if missing is None:
                missing = by_currency[currency] = [ZERO, 0]
                self._unconverted += 1
            missing[0] += amount if sign > 0 else -amount
            missing[1] += sign
            if missing[1] == 0:
                del by_currency[currency]
                self._unconverted -= 1
                if not by_currency:
                    del self.currencies[key]

    def group_sums(self) -> dict[tuple[Any, ...], GroupSums]:
        """The groups' exact sums as the grouped SQL over the same rows gives them (a group none of whose rows counts a
        transaction has no row, unless it has unconverted money, as there). Kept between calls: only the groups
        changed since are made again (do not change what it returns)."""
        for key in self._dirty:
            group = self.sums.get(key)
            currencies = self.currencies.get(key, {})
            if group is not None and group[1]:
                sums = GroupSums(eur=group[0], transactions=group[1], converted=group[2])
            elif currencies:
                sums = GroupSums()
            else:
                self._groups.pop(key, None)
                continue
            for currency, (amount, _) in currencies.items():
                sums.unconverted[currency] = Fraction(amount)
            self._groups[key] = sums
        self._dirty.clear()
        return self._groups

    @property
    def size(self) -> int:
        """What the state takes in memory, in bytes (for the cache's bound), from its counts. Measured at full size
        (funder x country x year: 15,170 cube rows, 13,800 groups; every object counted once, BENCHMARKS.md "Round 4"):
        about 480 bytes a cube row (its part, key and Decimals), 530 a group (its sums, twice: as kept and as
        GroupSums) and 440 a group's rounding; a group's unconverted currency 420 for its sums and 440 for its own
        rounding (kept_answer.Rows adds the rows' own)."""
        own = 480 * len(self.parts) + 860 * self._unconverted + 970 * len(self.sums)
        return own + (self.rendered.size if self.rendered is not None else 0)


_VERSION = compile_read(select(FundingCubeVersion.version))


async def version(reads: Reads) -> int:
    """The cube's version (one indexed row), on the hot-read pool."""
    return int(await reads.fetchval(_VERSION, {}) or 0)


async def summarise(session: AsyncSession, reads: Reads, q: SummaryQuery, scope: Scope) -> dict[str, Any]:
    """The answer from the whole cube, in the response's shape (the exact sums rounded by summary.assemble, as the
    transaction path's are)."""
    state = await up_to_date(reads, q, scope, None, -1)
    return await assemble(session, q.group_by, state.group_sums(), state.total)


async def up_to_date(reads: Reads, q: SummaryQuery, scope: Scope, state: CubeState | None, since: int) -> CubeState:
    """The answer's state brought to the cube as it is now: from every row that counts (no state yet), or by taking in
    the rows changed since `since` (the version the state was last brought to). One statement, compiled once per
    shape of the request, on the hot-read pool."""
    who = "all" if scope.everything else "public"
    shape = (
        tuple(q.group_by),
        who,
        bool(q.countries or q.regions),
        bool(q.funders),
        q.year_from is not None,
        q.year_to is not None,
        state is not None,
    )
    read = _READS.get(shape, lambda: _rows_statement(q, who, changed=state is not None))
    values = {
        "types": q.transaction_types,
        "countries": sorted(countries_of(q)),
        "funders": q.funders,
        "year_from": q.year_from,
        "year_to": q.year_to,
        "since": since,
    }
    records = await reads.fetch(read, values)
    if state is None:
        state = CubeState(len(q.group_by))
    state.apply(records)
    return state
