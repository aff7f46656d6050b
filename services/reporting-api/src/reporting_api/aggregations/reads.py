"""The dashboards' hot reads on asyncpg (registry_kit.raw_reads): each statement compiled once per shape, a request
binds its values and runs one statement, without an ORM session or a transaction.

Shapes: progress has one; a time series has one per filters present and the caller's reach (everything, or public
projects only). A caller whose grants reach some organisations or countries takes the session path (its clause lists
them), as do roll-ups. The rows are combined by the rule set (rules.py), whichever path read them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg
from sqlalchemy import Date, String, Uuid, bindparam, select
from sqlalchemy.sql.elements import BindParameter

from registry_kit.auth import Grant, Principal, Role
from registry_kit.raw_reads import ReadCache, Reads
from reporting_api.aggregations.repository import observations_query, progress_query
from reporting_api.indicators.models import Indicator

_CACHE = ReadCache()
_EVERYWHERE = Principal(subject="shape", name="shape", organisation_id=None, grants=(Grant(Role.viewer),))


@dataclass(frozen=True)
class IndicatorRule:
    """An indicator as a series needs it; `id` is a bind parameter when the statement is compiled once."""

    id: Any
    code: str
    measure: str
    aggregation: str
    cumulative: bool


async def progress_rows(reads: Reads, project_id: uuid.UUID, *, from_copy: bool = True) -> list[asyncpg.Record]:
    """The progress statement's rows; from the local copy, no rows means the copy does not know the project."""
    read = _CACHE.get(
        ("progress", from_copy), lambda: progress_query(bindparam("project_id", type_=Uuid), from_copy=from_copy)
    )
    return await reads.fetch(read, {"project_id": project_id})


async def indicator_rule(reads: Reads, code: str) -> IndicatorRule | None:
    read = _CACHE.get(
        "indicator",
        lambda: select(
            Indicator.id, Indicator.code, Indicator.measure, Indicator.aggregation, Indicator.cumulative
        ).where(Indicator.code == bindparam("code")),
    )
    row = await reads.fetchrow(read, {"code": code})
    return IndicatorRule(*row) if row is not None else None


def reach(principal: Principal | None) -> str | None:
    """ "all" (a viewer grant without limits), "public" (no viewer grant), or None (limited grants: session path)."""
    if principal is None or not principal.grants_at_least(Role.viewer):
        return "public"
    return "all" if principal.has_global(Role.viewer) else None


async def observation_rows(
    reads: Reads,
    indicator: IndicatorRule,
    reach_kind: str,
    start: date | None,
    end: date | None,
    project_id: uuid.UUID | None,
    disaggregation: str,
) -> list[asyncpg.Record]:
    """The approved values of the indicator the reach may read: (project, start, end, value, numerator, denominator)."""
    key = ("observations", start is not None, end is not None, project_id is not None, reach_kind)

    def build() -> Any:
        shape = IndicatorRule(
            bindparam("indicator_id", type_=Uuid),
            indicator.code,
            indicator.measure,
            indicator.aggregation,
            indicator.cumulative,
        )
        return observations_query(
            shape,
            _EVERYWHERE if reach_kind == "all" else None,
            _param("start", start),
            _param("end", end),
            None,
            bindparam("project_id", type_=Uuid) if project_id is not None else None,
            bindparam("disaggregation", type_=String),
        )

    values = {
        "indicator_id": indicator.id,
        "start": start,
        "end": end,
        "project_id": project_id,
        "disaggregation": disaggregation,
    }
    return await reads.fetch(_CACHE.get(key, build), values)


def _param(name: str, value: date | None) -> BindParameter[date] | None:
    return bindparam(name, type_=Date) if value is not None else None
