"""SQL of the IATI export: each project with everything an activity needs, aggregated as JSON by PostgreSQL, one
statement streamed from a server-side cursor (flat memory whatever the number of projects)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Text, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from projects_api.projects.models import Project

# Correlated subqueries on `project` (the statement's only FROM); constant text, none takes a value from a request.
_ORG = "json_build_object('id', o.id, 'ref', o.iati_identifier, 'name', o.name, 'type', o.org_type)"
_SUBQUERIES = {
    "reporting_org": f"(SELECT {_ORG[:-1]}, 'language', o.default_language) FROM organisation o "  # noqa: S608
    "WHERE o.id = project.reporting_org_id)",
    "last_updated": "(SELECT max(a.occurred_at) FROM audit_event a WHERE a.project_id = project.id)",
    "countries": "(SELECT json_agg(json_build_object('code', c.country_code, 'percentage', c.percentage::text) "
    "ORDER BY c.country_code) FROM project_country c WHERE c.project_id = project.id)",
    "sectors": "(SELECT json_agg(json_build_object('code', s.sector_code, 'percentage', s.percentage::text) "
    "ORDER BY s.sector_code) FROM project_sector s WHERE s.project_id = project.id)",
    "locations": "(SELECT json_agg(json_build_object('country', l.country_code, 'name', l.name, 'description', "
    "l.description, 'admin_area', l.admin_area, 'latitude', l.latitude::text, 'longitude', l.longitude::text) "
    "ORDER BY l.name, l.id) FROM project_location l WHERE l.project_id = project.id)",
    "participants": f"(SELECT json_agg(json_build_object('role', p.role, 'org', {_ORG}) "  # noqa: S608
    "ORDER BY p.position, p.id) "
    "FROM project_participant p JOIN organisation o ON o.id = p.organisation_id WHERE p.project_id = project.id)",
    "budgets": "(SELECT json_agg(json_build_object('type', b.budget_type, 'status', b.status, 'start', b.period_start, "
    "'end', b.period_end, 'amount', b.amount::text, 'currency', b.currency, 'value_date', b.value_date) "
    "ORDER BY b.period_start, b.period_end, b.id) FROM budget b WHERE b.project_id = project.id)",
    "transactions": "(SELECT json_agg(json_build_object('type', t.transaction_type, 'date', t.transaction_date, "  # noqa: S608
    "'amount', t.amount::text, 'currency', t.currency, 'value_date', t.value_date, 'description', t.description, "
    f"'provider', (SELECT {_ORG} FROM organisation o WHERE o.id = t.provider_org_id), "
    f"'receiver', (SELECT {_ORG} FROM organisation o WHERE o.id = t.receiver_org_id)) "
    'ORDER BY t.transaction_date, t.id) FROM "transaction" t WHERE t.project_id = project.id)',
}
_JSON = ("reporting_org", "countries", "sectors", "locations", "participants", "budgets", "transactions")


def activities_statement(conditions: Sequence[ColumnElement[bool]]) -> Any:
    columns = [
        literal_column(sql).cast(Text).label(name) if name in _JSON else literal_column(sql).label(name)
        for name, sql in _SUBQUERIES.items()
    ]
    return (
        select(
            Project.id,
            Project.code,
            Project.title,
            Project.description,
            Project.language,
            Project.titles,
            Project.descriptions,
            Project.status,
            Project.planned_start,
            Project.planned_end,
            Project.actual_start,
            Project.actual_end,
            Project.is_public,
            *columns,
        )
        .where(*conditions)
        .order_by(Project.code, Project.id)
    )


def _row(row: Any) -> dict[str, Any]:
    item = dict(row._mapping)
    for name in _JSON:
        item[name] = orjson.loads(item[name]) if item[name] else ([] if name != "reporting_org" else None)
    return item


async def activity_batches(
    maker: async_sessionmaker[AsyncSession], conditions: Sequence[ColumnElement[bool]], batch: int
) -> AsyncGenerator[list[dict[str, Any]], None]:
    """Every matching project as a dict, in batches of `batch`, in code order; its own session (the download
    outlives the request's)."""
    async with maker() as session:
        result = await session.stream(activities_statement(conditions).execution_options(yield_per=batch))
        async for rows in result.partitions(batch):
            yield [_row(r) for r in rows]


def parse_day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def parse_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def uuid_of(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
