"""Writing audit events: one per change, with the fields that changed before and after."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, insert, literal, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.models import AuditEvent
from registry_kit.auth import Principal
from registry_kit.logs import request_id_var


def decimal_text(value: Decimal) -> str:
    """A number as plain text without trailing zeros: the stored 100.00 and the sent 100 are one value ("100"), so
    saving a form unchanged records no change."""
    return format(value.normalize(), "f")


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """Fields whose value differs, as {field: {before, after}}."""
    keys = [k for k in {**before, **after} if k not in {"version", "updated_at", "created_at"}]
    return {k: {"before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)}


def record(
    session: AsyncSession,
    principal: Principal | None,
    *,
    entity_type: str,
    entity_id: uuid.UUID | None,
    action: str,
    project_id: uuid.UUID | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Add an audit event to the request's transaction (it commits or rolls back with the change)."""
    changes = diff(before or {}, after or {})
    session.add(
        AuditEvent(
            actor=principal.subject if principal else "system",
            actor_name=principal.name if principal else "system",
            request_id=request_id_var.get(),
            entity_type=entity_type,
            entity_id=entity_id,
            project_id=project_id,
            action=action,
            changes=changes,
        )
    )


async def record_for_projects(
    session: AsyncSession,
    principal: Principal,
    project_ids: Select[Any],
    *,
    entity_type: str,
    entity_id: uuid.UUID,
    action: str,
    changes: Mapping[str, Any],
) -> None:
    """The same event on every project `project_ids` selects, in one INSERT … SELECT (a move high in the tree of
    organisations touches every project below it), in the request's transaction."""
    projects = project_ids.subquery()
    rows = select(
        literal(principal.subject), literal(principal.name), literal(request_id_var.get()), literal(entity_type),
        literal(entity_id), projects.c[0], literal(action), type_coerce(dict(changes), JSONB),
    )  # fmt: skip
    columns = ["actor", "actor_name", "request_id", "entity_type", "entity_id", "project_id", "action", "changes"]
    await session.execute(insert(AuditEvent).from_select(columns, rows))
