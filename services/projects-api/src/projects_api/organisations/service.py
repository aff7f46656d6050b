"""The rules for organisations."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import Scope, require_scope
from projects_api.audit.service import audited_create, audited_delete, audited_set, record_for_projects
from projects_api.organisations import repository
from projects_api.organisations.models import Organisation as OrganisationRow
from projects_api.organisations.schemas import Organisation, OrganisationCreate, OrganisationUpdate
from registry_kit.auth import Principal, Role
from registry_kit.errors import Conflict, Forbidden, NotFound, field_error, invalid, reject_nulls
from registry_kit.etag import check_if_match
from registry_kit.pagination import Page, PageParams


def snapshot(org: OrganisationRow) -> dict[str, Any]:
    return Organisation.model_validate(org).model_dump(mode="json")


async def list_page(
    session: AsyncSession,
    page: PageParams,
    *,
    q: str | None,
    country: str | None,
    org_type: str | None,
    parent_id: uuid.UUID | None,
) -> Page[Organisation]:
    rows, total = await repository.list_page(
        session,
        q=q,
        country=country,
        org_type=org_type,
        parent_id=parent_id,
        offset=page.offset,
        limit=page.page_size,
    )
    return Page.of([Organisation.model_validate(r) for r in rows], total, page)


async def get_or_404(session: AsyncSession, org_id: uuid.UUID) -> OrganisationRow:
    org = await repository.get(session, org_id)
    if org is None:
        raise NotFound(f"No organisation {org_id}.")
    return org


async def _check_parent(session: AsyncSession, parent_id: uuid.UUID | None, org_id: uuid.UUID | None) -> None:
    if parent_id is None:
        return
    if await repository.get(session, parent_id) is None:
        raise invalid("body.parent_id", f"no organisation {parent_id}", "unknown")
    if org_id is not None and org_id in await repository.ancestors(session, parent_id):
        raise invalid("body.parent_id", "an organisation cannot sit below itself", "cycle")


async def _check_unique_iati(session: AsyncSession, iati_id: str | None, org_id: uuid.UUID | None) -> None:
    if iati_id is None:
        return
    other = await repository.holder_of_iati_identifier(session, iati_id)
    if other is not None and other != org_id:
        message = f"IATI identifier {iati_id} already belongs to organisation {other}."
        raise Conflict(message, errors=[field_error("body.iati_identifier", message, "duplicate")])


async def create(session: AsyncSession, principal: Principal, data: OrganisationCreate) -> OrganisationRow:
    scope = await require_scope(session, principal, Role.manager)
    if data.parent_id is not None and not scope.covers_org(data.parent_id):
        raise Forbidden("You may only add organisations below those your grants cover.")
    await _check_parent(session, data.parent_id, None)
    await _check_unique_iati(session, data.iati_identifier, None)
    return await audited_create(
        session, principal, OrganisationRow(**data.model_dump()), entity_type="organisation", snapshot=snapshot
    )


async def update(
    session: AsyncSession,
    principal: Principal,
    org_id: uuid.UUID,
    data: OrganisationUpdate,
    if_match: str | None,
) -> OrganisationRow:
    org = await get_or_404(session, org_id)
    scope = await require_scope(session, principal, Role.manager)
    if not scope.covers_org(org.id):
        raise Forbidden("Your grants do not cover this organisation.")
    check_if_match(if_match, org.id, org.version)
    changes = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "name", "org_type", "default_language", "needs_review")
    moved = "parent_id" in changes and changes["parent_id"] != org.parent_id
    if moved:
        _check_move(scope, changes["parent_id"])
        await _check_parent(session, changes["parent_id"], org.id)
    if changes.get("is_department", org.is_department) and changes.get("parent_id", org.parent_id) is None:
        raise invalid("body.is_department", "a department needs the organisation it belongs to (parent_id)", "parent")
    if changes.get("iati_identifier"):
        await _check_unique_iati(session, changes["iati_identifier"], org.id)
    before = await audited_set(session, principal, org, changes, entity_type="organisation", snapshot=snapshot)
    if moved:
        await _record_move(session, principal, org, before["parent_id"])
    return org


def _check_move(scope: Scope, new_parent: uuid.UUID | None) -> None:
    """A move puts the organisation, and every project it takes part in, within reach of every grant on the new
    parent and above: the caller must already cover that parent (the top level: a global grant), or a manager of
    one organisation could hand its projects to anyone's grants (or take them from their own overseers)."""
    if not scope.covers_org(new_parent):
        where = "to the top level" if new_parent is None else "below an organisation your grants do not cover"
        raise Forbidden(
            f"You may not move an organisation {where}.",
            errors=[field_error("body.parent_id", "not covered by your manager grants", "scope")],
        )


async def _record_move(
    session: AsyncSession, principal: Principal, org: OrganisationRow, old_parent: str | None
) -> None:
    """One audit event per project the move brings within (or out of) someone's reach: the project's history shows
    it, and the change feed hands those projects to reporting-api again with their new scope."""
    change = {"parent_id": {"before": old_parent, "after": str(org.parent_id) if org.parent_id else None}}
    await record_for_projects(
        session,
        principal,
        repository.projects_below(org.id),
        entity_type="organisation",
        entity_id=org.id,
        action="move",
        changes=change,
    )


async def delete(session: AsyncSession, principal: Principal, org_id: uuid.UUID, if_match: str | None) -> None:
    principal.require_admin()
    org = await get_or_404(session, org_id)
    check_if_match(if_match, org.id, org.version)
    refs = await repository.references(session, org_id)
    if refs:
        what = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in refs.items())
        raise Conflict(f"{org.name} is still referenced by {what}; remove those references first.")
    await audited_delete(session, principal, org, entity_type="organisation", snapshot=snapshot)
