"""Who may see and change which projects: grants turned into SQL clauses and checks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, String, any_, bindparam, exists, false, or_, select, true
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.organisations.repository import descendant_ids, with_descendants
from projects_api.projects.models import Project, ProjectCountry, ProjectParticipant
from registry_kit.auth import Principal, Role
from registry_kit.errors import Forbidden


@dataclass(frozen=True)
class Scope:
    """The projects a caller's grants of at least some role reach."""

    everything: bool
    org_ids: frozenset[uuid.UUID]
    countries: frozenset[str]

    @property
    def empty(self) -> bool:
        return not (self.everything or self.org_ids or self.countries)

    def project_clause(self) -> ColumnElement[bool]:
        if self.everything:
            return true()
        if not (self.org_ids or self.countries):
            return false()
        countries = bindparam("scope_countries", sorted(self.countries), type_=ARRAY(String))
        return reach_clause(self.org_ids, countries)

    def covers(self, org_ids: Iterable[uuid.UUID], countries: Iterable[str]) -> bool:
        """Whether a project with these participants and countries is in scope (checked before it exists)."""
        return self.everything or bool(self.org_ids & set(org_ids)) or bool(self.countries & set(countries))

    def covers_org(self, org_id: uuid.UUID | None) -> bool:
        return self.everything or (org_id is not None and org_id in self.org_ids)


NO_SCOPE = Scope(False, frozenset(), frozenset())


async def scope_for(session: AsyncSession, principal: Principal | None, role: Role) -> Scope:
    if principal is None:
        return NO_SCOPE
    grants = principal.grants_at_least(role)
    if any(g.is_global for g in grants):
        return Scope(True, frozenset(), frozenset())
    roots = {g.organisation_id for g in grants if g.organisation_id}
    org_ids = await with_descendants(session, roots) if roots else set()
    return Scope(False, frozenset(org_ids), frozenset(g.country for g in grants if g.country))


def visible_clause(scope: Scope) -> ColumnElement[bool]:
    """Public projects, plus those the caller's grants reach."""
    if scope.everything:
        return true()
    return or_(Project.is_public, scope.project_clause())


async def require_scope(session: AsyncSession, principal: Principal, role: Role) -> Scope:
    """The caller's scope for `role`; 403 if no grant reaches that role at all."""
    principal.require(role)
    return await scope_for(session, principal, role)


async def require_project_access(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, role: Role
) -> None:
    """403 unless the caller holds `role` on this project (the project must exist: check it first)."""
    scope = await require_scope(session, principal, role)
    if scope.everything:
        return
    allowed = await session.scalar(select(scope.project_clause()).where(Project.id == project_id))
    if not allowed:
        raise Forbidden(f"Your {role.value} grants do not cover this project.")


def reach_clause(org_ids: Any, countries: Any) -> ColumnElement[bool]:
    """The projects grants reach: one of the organisations participates (`org_ids`: the ids, or a SELECT of them),
    or the project is in one of the countries (an array bind parameter). The one rule both the session
    reads (`Scope`, organisations resolved beforehand) and the hot reads (`visibility_clause`, the tree walked in the
    statement) use."""
    # Correlated with `project` only: a statement that also joins participants or countries (the funding summary
    # by country does) must not have these subqueries correlate to its own rows.
    participates = exists().where(
        ProjectParticipant.project_id == Project.id, ProjectParticipant.organisation_id.in_(org_ids)
    )
    located = exists().where(ProjectCountry.project_id == Project.id, ProjectCountry.country_code == any_(countries))
    return or_(participates.correlate(Project), located.correlate(Project))


def read_visibility(principal: Principal | None, role: Role = Role.viewer) -> tuple[str, dict[str, Any]]:
    """`scope_for` for the hot reads, without a query: the kind of visibility rule (`everything`, `public`,
    `scoped`) and the values it binds; the organisation tree below the caller's grants is walked inside the read."""
    grants = principal.grants_at_least(role) if principal else []
    if any(g.is_global for g in grants):
        return "everything", {}
    roots = sorted({g.organisation_id for g in grants if g.organisation_id})
    countries = sorted({g.country for g in grants if g.country})
    if not roots and not countries:
        return "public", {}
    return "scoped", {"vis_roots": roots, "vis_countries": countries}


def visibility_clause(kind: str) -> ColumnElement[bool]:
    """The rule `read_visibility` named, with its values as bind parameters (compiled once per kind)."""
    if kind == "everything":
        return true()
    if kind == "public":
        return Project.is_public.is_(True)
    roots = bindparam("vis_roots", type_=ARRAY(PG_UUID(as_uuid=True)))
    countries = bindparam("vis_countries", type_=ARRAY(String))
    return or_(Project.is_public, reach_clause(descendant_ids(roots, "visible_orgs"), countries))
