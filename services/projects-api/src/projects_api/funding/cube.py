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
from typing import Any

from sqlalchemy import ARRAY, BigInteger, ColumnElement, Integer, String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import Scope
from projects_api.funding.models import FundingCube, FundingCubeVersion
from projects_api.funding.summary import REGION_TABLE, SummaryQuery, assemble, countries_of
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
    return "country" in q.group_by or not ("region" in q.group_by or q.countries or q.regions)


_READS = ReadCache()
_TEXTS, _UUIDS = ARRAY(String), ARRAY(PG_UUID(as_uuid=True))


def _source_and_conditions(q: SummaryQuery) -> tuple[Any, list[ColumnElement[bool]], dict[str, Any]]:
    c = FundingCube
    dims: dict[str, Any] = {
        "funder": c.provider_org_id, "country": c.country_code, "region": REGION_TABLE.c.region, "year": c.year,
        "transaction_type": c.transaction_type,
    }  # fmt: skip
    source: Any = c.__table__
    if "region" in q.group_by:
        source = source.outerjoin(REGION_TABLE, REGION_TABLE.c.country_code == c.country_code)
    conditions: list[ColumnElement[bool]] = [c.transaction_type == any_(bindparam("types", type_=_TEXTS))]
    if "country" in q.group_by:
        conditions.append(c.country_code.is_not(None))
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
    (`changed` false), or every row changed since a version (`changed`: those that went to zero too)."""
    c = FundingCube
    eur, amount, rows = (getattr(c, f"{m}_{who}") for m in ("eur", "amount", "rows"))
    count = rows if "country" in q.group_by else getattr(c, f"transactions_{who}")
    source, conditions, dims = _source_and_conditions(q)
    keys = [dims[d].label(d) for d in q.group_by]
    condition = c.changed_at > bindparam("since", type_=BigInteger) if changed else rows > 0
    return select(c.id, *keys, c.currency, eur, amount, count, rows).select_from(source).where(*conditions, condition)


class CubeState:
    """An answer's groups, kept as exact sums of the cube rows they are made of, and each row's part in them, so the
    rows changed since the answer's version can be taken out at their old values and put in at their new ones.
    Decimal sums run at 100 digits: the cube's amounts carry the country shares' twenty decimals, and the default
    28 would round them."""

    def __init__(self, dimensions: int) -> None:
        self.n = dimensions
        self.parts: dict[int, tuple[tuple[Any, ...], str | None, Decimal, Decimal, int]] = {}
        self.groups: dict[tuple[Any, ...], list[Any]] = {}  # key -> [eur, count, rows counted]
        self.missing: dict[tuple[tuple[Any, ...], str], list[Any]] = {}  # (key, currency) -> [amount, rows counted]
        self.touched: set[tuple[Any, ...]] = set()  # groups changed since the answer was last written
        self.rendered: dict[tuple[Any, ...], tuple[Decimal, bytes]] = {}  # each row's amount and JSON (kept_answer)

    def apply(self, records: list[Any]) -> None:
        """Each record is a cube row as it is now: its old part (if any) goes out, its new part (if it counts) in."""
        n = self.n
        with localcontext(prec=100):
            for r in records:
                old = self.parts.pop(r[0], None)
                if old is not None:
                    self._add(*old, sign=-1)
                    self.touched.add(old[0])
                key: tuple[Any, ...] = tuple(r[1 : 1 + n])
                currency, eur, amount, count, rows = r[1 + n], r[2 + n], r[3 + n], r[4 + n], r[5 + n]
                if rows > 0:
                    part = (key, currency, eur or ZERO, amount or ZERO, int(count))
                    self.parts[r[0]] = part
                    self._add(*part, sign=1)
                    self.touched.add(key)

    def _add(self, key: tuple[Any, ...], currency: str | None, eur: Decimal, amount: Decimal, count: int,
             *, sign: int) -> None:  # fmt: skip
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = [ZERO, 0, 0]
        group[0] += eur if sign > 0 else -eur
        group[1] += count * sign
        group[2] += sign
        if group[2] == 0:
            del self.groups[key]
        if currency is not None:
            missing = self.missing.get((key, currency))
            if missing is None:
                missing = self.missing[(key, currency)] = [ZERO, 0]
            missing[0] += amount if sign > 0 else -amount
            missing[1] += sign
            if missing[1] == 0:
                del self.missing[(key, currency)]

    def rows(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The grouped EUR and counts, and the grouped unconverted amounts, as the grouped SQL would answer them."""
        eur_rows = [(*key, eur, count) for key, (eur, count, _) in self.groups.items()]
        raw_rows = [(*key, currency, amount) for (key, currency), (amount, _) in self.missing.items()]
        return eur_rows, raw_rows

    @property
    def size(self) -> int:
        """Roughly what the state takes in memory, in bytes (for the cache's bound)."""
        rendered = sum(len(row) + 120 for _, row in self.rendered.values())
        return 240 * len(self.parts) + 160 * (len(self.groups) + len(self.missing)) + rendered


_VERSION = compile_read(select(FundingCubeVersion.version))


async def version(reads: Reads) -> int:
    """The cube's version (one indexed row), on the hot-read pool."""
    return int(await reads.fetchval(_VERSION, {}) or 0)


async def summarise(session: AsyncSession, reads: Reads, q: SummaryQuery, scope: Scope) -> dict[str, Any]:
    """The answer from the whole cube, in the response's shape."""
    state = await up_to_date(reads, q, scope, None, -1)
    return await assemble(session, q.group_by, *state.rows())


async def up_to_date(reads: Reads, q: SummaryQuery, scope: Scope, state: CubeState | None, since: int) -> CubeState:
    """The answer's state brought to the cube as it is now: from every row that counts (no state yet), or by taking in
    the rows changed since `since` (the version the state was last brought to). One statement, compiled once per
    shape of the request, on the hot-read pool."""
    who = "all" if scope.everything else "public"
    shape = (tuple(q.group_by), who, bool(q.countries or q.regions), bool(q.funders), q.year_from is not None,
             q.year_to is not None, state is not None)  # fmt: skip
    read = _READS.get(shape, lambda: _rows_statement(q, who, changed=state is not None))
    values = {"types": q.transaction_types, "countries": sorted(countries_of(q)), "funders": q.funders,
              "year_from": q.year_from, "year_to": q.year_to, "since": since}  # fmt: skip
    records = await reads.fetch(read, values)
    if state is None:
        state = CubeState(len(q.group_by))
    state.apply(records)
    return state
