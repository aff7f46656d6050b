"""Writing audit events: one per change, with the fields that changed before and after."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any, Literal, Protocol, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit import changes, repository
from projects_api.audit.models import AuditEvent
from projects_api.audit.schemas import ChangePage, ProjectChange, ProjectState
from registry_kit.auth import Principal, Role
from registry_kit.errors import Forbidden, invalid
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


class Row(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


R = TypeVar("R", bound=Row)
Snapshot = Callable[[Any], Mapping[str, Any]]
ProjectOf = uuid.UUID | Literal["itself"] | None
"""The project whose history shows the event: its id, "itself" when the row is the project, or None."""


def _project(row: Row, project_id: ProjectOf) -> uuid.UUID | None:
    return row.id if project_id == "itself" else project_id


async def audited_create(
    session: AsyncSession,
    principal: Principal,
    row: R,
    *,
    entity_type: str,
    snapshot: Snapshot,
    project_id: ProjectOf = None,
) -> R:
    """Add the row and its "create" event in the request's transaction (flushed first, so the event has its id)."""
    session.add(row)
    await session.flush()
    record(
        session,
        principal,
        entity_type=entity_type,
        entity_id=row.id,
        project_id=_project(row, project_id),
        action="create",
        after=snapshot(row),
    )
    return row


@asynccontextmanager
async def audited_update(
    session: AsyncSession,
    principal: Principal,
    row: Row,
    changes: Mapping[str, Any],
    *,
    entity_type: str,
    snapshot: Snapshot,
    project_id: ProjectOf = None,
) -> AsyncIterator[Mapping[str, Any]]:
    """Apply `changes` to the row; what the block does besides (lists replaced, EUR derived) is part of the same
    "update" event, recorded with the fields before and after. The block receives the snapshot taken before. The
    version moves even when only a list changed (updated_at is touched), so an ETag read earlier no longer matches."""
    before = snapshot(row)
    for key, value in changes.items():
        setattr(row, key, value)
    yield before
    repository.touch(row)
    await session.flush()
    record(
        session,
        principal,
        entity_type=entity_type,
        entity_id=row.id,
        project_id=_project(row, project_id),
        action="update",
        before=before,
        after=snapshot(row),
    )


async def audited_set(
    session: AsyncSession,
    principal: Principal,
    row: Row,
    changes: Mapping[str, Any],
    *,
    entity_type: str,
    snapshot: Snapshot,
    project_id: ProjectOf = None,
) -> Mapping[str, Any]:
    """`audited_update` for a change that is only its fields; returns the snapshot taken before."""
    async with audited_update(
        session, principal, row, changes, entity_type=entity_type, snapshot=snapshot, project_id=project_id
    ) as before:
        return before


async def audited_delete(
    session: AsyncSession,
    principal: Principal,
    row: Row,
    *,
    entity_type: str,
    snapshot: Snapshot,
    project_id: ProjectOf = None,
) -> None:
    """Delete the row and record a "delete" event with what it held, in the request's transaction."""
    before, entity_id, project = snapshot(row), row.id, _project(row, project_id)
    await session.delete(row)
    await session.flush()  # the row's cascades go first; the event outlives them
    record(
        session,
        principal,
        entity_type=entity_type,
        entity_id=entity_id,
        project_id=project,
        action="delete",
        before=before,
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
    values = {
        "actor": principal.subject,
        "actor_name": principal.name,
        "request_id": request_id_var.get(),
        "entity_type": entity_type,
        "entity_id": entity_id,
        "action": action,
        "changes": dict(changes),
    }
    await repository.insert_for_projects(session, project_ids, values)


async def changes_page(session: AsyncSession, principal: Principal, since: str | None, limit: int) -> ChangePage:
    """Projects changed after the cursor `since`, with their current state (callers with a global viewer grant: the
    feed holds every project, public or not)."""
    if not principal.has_global(Role.viewer):
        raise Forbidden("The change feed needs a global grant (an API client for a service).")
    try:
        cursor = changes.parse_cursor(since)
    except ValueError as exc:
        raise invalid("query.since", "not a cursor from this feed", "cursor") from exc
    ids, next_cursor, has_more = await changes.changed_projects(session, cursor, limit)
    states = await changes.current_state(session, ids)
    scopes = await changes.scope_organisations(session, list(states.values()))
    items = [
        ProjectChange(
            project_id=pid,
            deleted=pid not in states,
            project=ProjectState.model_validate(changes.project_state(states[pid], scopes[pid]))
            if pid in states
            else None,
        )
        for pid in ids
    ]
    return ChangePage(items=items, next_cursor=changes.format_cursor(next_cursor), has_more=has_more)
