"""The rules for projects: who may create and change them, and what a valid project is."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Hashable, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from projects_api.access import require_scope, scope_for, visible_clause
from projects_api.audit import repository as audit_repository
from projects_api.audit.schemas import AuditEventOut
from projects_api.audit.service import audited_create, audited_delete, audited_update
from projects_api.organisations.repository import existing_ids
from projects_api.projects import export, repository, texts
from projects_api.projects import filters as project_filters
from projects_api.projects.filters import ProjectFilters
from projects_api.projects.models import (
    Project,
    ProjectCountry,
    ProjectLocation,
    ProjectParticipant,
    ProjectSector,
    ProjectTheme,
)
from projects_api.projects.presenters import snapshot
from projects_api.projects.schemas import (
    CountryShare,
    ParticipantIn,
    ProjectAccess,
    ProjectCreate,
    ProjectUpdate,
)
from registry_kit.auth import Principal, Role
from registry_kit.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed, field_error, reject_nulls
from registry_kit.etag import check_if_match
from registry_kit.pagination import Page, PageParams
from registry_kit.spreadsheet import stream_csv

T = TypeVar("T")


def check_dates(values: dict[str, date | None], prefix: str = "body") -> None:
    """End dates may not come before start dates (planned and actual)."""
    errors: list[FieldError] = []
    for kind in ("planned", "actual"):
        start, end = values.get(f"{kind}_start"), values.get(f"{kind}_end")
        if start and end and end < start:
            errors.append(
                field_error(f"{prefix}.{kind}_end", f"{kind} end {end} is before {kind} start {start}", "date_order")
            )
    if errors:
        raise ValidationFailed(errors[0].message, errors=errors)


async def _check_participants(session: AsyncSession, participants: Sequence[ParticipantIn]) -> None:
    known = await existing_ids(session, (p.organisation_id for p in participants))
    errors = [
        field_error(f"body.participants[{i}].organisation_id", f"no organisation {p.organisation_id}", "unknown")
        for i, p in enumerate(participants)
        if p.organisation_id not in known
    ]
    seen: set[tuple[uuid.UUID, str]] = set()
    for i, p in enumerate(participants):
        if (p.organisation_id, p.role) in seen:
            errors.append(field_error(f"body.participants[{i}]", "the same organisation and role twice", "duplicate"))
        seen.add((p.organisation_id, p.role))
    if errors:
        raise ValidationFailed(errors[0].message, errors=errors)


async def _check_code_free(session: AsyncSession, code: str, project_id: uuid.UUID | None) -> None:
    other = await repository.id_for_code(session, code)
    if other is not None and other != project_id:
        message = f"Project code {code} is already used by project {other}."
        raise Conflict(message, errors=[field_error("body.code", message, "duplicate")])


def _sync(
    current: list[T],
    wanted: Sequence[Any],
    key: Callable[[Any], Hashable],
    make: Callable[[Any], T],
    update: Callable[[T, Any], None] | None = None,
) -> None:
    """Make `current` match `wanted` by key, keeping rows whose key stays (no delete-and-reinsert)."""
    by_key = {key(item): item for item in current}
    wanted_keys = {key(w) for w in wanted}
    for item in list(current):
        if key(item) not in wanted_keys:
            current.remove(item)
    for w in wanted:
        existing = by_key.get(key(w))
        if existing is None:
            current.append(make(w))
        elif update is not None:
            update(existing, w)


def _apply_relations(project: Project, sent: ProjectCreate | ProjectUpdate) -> None:
    if sent.countries is not None:
        _sync(
            project.countries,
            sent.countries,
            lambda c: c.country_code,
            lambda c: ProjectCountry(country_code=c.country_code, percentage=c.percentage),
            lambda row, c: setattr(row, "percentage", c.percentage),
        )
    if sent.themes is not None:
        _sync(
            project.themes,
            sent.themes,
            lambda t: t if isinstance(t, str) else t.theme_code,
            lambda t: ProjectTheme(theme_code=t),
        )
    if sent.sectors is not None:
        _sync(
            project.sectors,
            sent.sectors,
            lambda s: s.sector_code,
            lambda s: ProjectSector(sector_code=s.sector_code, percentage=s.percentage),
            lambda row, s: setattr(row, "percentage", s.percentage),
        )
    if sent.participants is not None:
        _sync(
            project.participants,
            [(p.organisation_id, p.role.value, i) for i, p in enumerate(sent.participants)],
            lambda p: (p[0], p[1]) if isinstance(p, tuple) else (p.organisation_id, p.role),
            lambda p: ProjectParticipant(organisation_id=p[0], role=p[1], position=p[2]),
            lambda row, p: setattr(row, "position", p[2]),
        )
    if sent.locations is not None:
        project.locations.clear()
        project.locations.extend(ProjectLocation(**loc.model_dump()) for loc in sent.locations)


_RELATIONS = {"countries", "themes", "sectors", "participants", "locations"}
_TEXTS = {"title", "titles", "description", "descriptions", "language", "reporting_organisation_id"}


def _org_ids(participants: Sequence[ParticipantIn]) -> list[uuid.UUID]:
    return [p.organisation_id for p in participants]


def _codes(countries: Sequence[CountryShare]) -> list[str]:
    return [c.country_code for c in countries]


async def create(session: AsyncSession, principal: Principal, data: ProjectCreate) -> uuid.UUID:
    scope = await require_scope(session, principal, Role.manager)
    check_dates(data.model_dump())
    await _check_participants(session, data.participants)
    if not scope.covers(_org_ids(data.participants), _codes(data.countries)):
        raise Forbidden("A new project must involve an organisation or country your manager grants cover.")
    await _check_code_free(session, data.code, None)
    reporting_org_id = await texts.reporting_org(session, data.reporting_organisation_id, data.code)
    written = await texts.for_create(session, data, reporting_org_id)
    scalars = data.model_dump(exclude=_RELATIONS | _TEXTS)
    project = Project(
        **scalars,
        **written.columns(),
        reporting_org_id=reporting_org_id,
        countries=[],
        themes=[],
        sectors=[],
        participants=[],
        locations=[],
    )
    _apply_relations(project, data)
    await audited_create(session, principal, project, entity_type="project", snapshot=snapshot, project_id="itself")
    return project.id


async def load_or_404(session: AsyncSession, project_id: uuid.UUID) -> Project:
    project = await repository.get_full(session, project_id)
    if project is None:
        raise NotFound(f"No project {project_id}.")
    return project


async def get_visible(session: AsyncSession, principal: Principal | None, project_id: uuid.UUID) -> Project:
    """The project if the caller may read it; 404 otherwise (non-public projects are not revealed)."""
    scope = await scope_for(session, principal, Role.viewer)
    if not await repository.is_visible(session, project_id, visible_clause(scope)):
        raise NotFound(f"No project {project_id}.")
    return await load_or_404(session, project_id)


async def ensure_visible(session: AsyncSession, principal: Principal | None, project_id: uuid.UUID) -> None:
    scope = await scope_for(session, principal, Role.viewer)
    if not await repository.is_visible(session, project_id, visible_clause(scope)):
        raise NotFound(f"No project {project_id}.")


async def visible_conditions(
    session: AsyncSession, principal: Principal | None, filters: ProjectFilters
) -> list[ColumnElement[bool]]:
    """The projects a list's filters select among those the caller may see (public ones without a token): the
    conditions of the CSV export and the IATI activities document."""
    scope = await scope_for(session, principal, Role.viewer)
    return [visible_clause(scope), *project_filters.conditions(filters)]


async def export_csv(
    session: AsyncSession,
    maker: async_sessionmaker[AsyncSession],
    principal: Principal | None,
    filters: ProjectFilters,
    sort: str,
) -> AsyncIterator[bytes]:
    """The filtered list as CSV for this caller, in list order; the rows are read in a session of their own (`maker`),
    as the download outlives the request's."""
    conditions = await visible_conditions(session, principal, filters)
    return stream_csv(export.HEADER, export.rows(maker, conditions, sort))


async def require_project_role(session: AsyncSession, principal: Principal, project_id: uuid.UUID, role: Role) -> None:
    """404 if the project does not exist or the caller may not even see it (its id is not revealed),
    403 if the caller sees it but their `role` grants do not reach it."""
    await ensure_visible(session, principal, project_id)
    scope = await require_scope(session, principal, role)
    if not scope.everything and not await repository.is_visible(session, project_id, scope.project_clause()):
        raise Forbidden(f"Your {role.value} grants do not cover this project.")


async def update(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    data: ProjectUpdate,
    if_match: str | None,
) -> uuid.UUID:
    await require_project_role(session, principal, project_id, Role.manager)
    project = await load_or_404(session, project_id)
    check_if_match(if_match, project.id, project.version)
    changes = data.model_dump(exclude_unset=True, exclude=_RELATIONS | _TEXTS)
    written = texts.for_update(data, project)
    if written is not None:
        changes |= written.columns()
    if "reporting_organisation_id" in data.model_fields_set:
        changes["reporting_org_id"] = (
            await texts.reporting_org(session, data.reporting_organisation_id, project.code)
            if data.reporting_organisation_id
            else None
        )
    reject_nulls(changes, "code", "title", "status", "is_public", "is_illustrative")
    merged = {k: getattr(project, k) for k in ("planned_start", "planned_end", "actual_start", "actual_end")}
    merged.update({k: v for k, v in changes.items() if k in merged})
    check_dates(merged)
    if data.participants is not None:
        await _check_participants(session, data.participants)
    if data.participants is not None or data.countries is not None:
        scope = await require_scope(session, principal, Role.manager)
        orgs = (
            _org_ids(data.participants)
            if data.participants is not None
            else [p.organisation_id for p in project.participants]
        )
        countries = (
            _codes(data.countries) if data.countries is not None else [c.country_code for c in project.countries]
        )
        if not scope.covers(orgs, countries):
            raise Forbidden("After this change the project would be outside your grants.")
    if "code" in changes:
        await _check_code_free(session, changes["code"], project.id)
    async with audited_update(
        session, principal, project, changes, entity_type="project", snapshot=snapshot, project_id="itself"
    ):
        _apply_relations(project, data)
    return project.id


async def delete(session: AsyncSession, principal: Principal, project_id: uuid.UUID, if_match: str | None) -> None:
    await require_project_role(session, principal, project_id, Role.manager)
    project = await load_or_404(session, project_id)
    check_if_match(if_match, project.id, project.version)
    await audited_delete(session, principal, project, entity_type="project", snapshot=snapshot, project_id="itself")


async def history(
    session: AsyncSession, principal: Principal | None, project_id: uuid.UUID, page: PageParams
) -> Page[AuditEventOut]:
    await ensure_visible(session, principal, project_id)
    rows, total = await audit_repository.for_project(session, project_id, offset=page.offset, limit=page.page_size)
    return Page.of([AuditEventOut.model_validate(r) for r in rows], total, page)


async def access(session: AsyncSession, principal: Principal | None, project_id: uuid.UUID) -> ProjectAccess:
    project = await repository.get_light(session, project_id)
    if project is None:
        raise NotFound(f"No project {project_id}.")
    allowed: dict[Role, bool] = {}
    for role in (Role.viewer, Role.reporter, Role.manager):
        scope = await scope_for(session, principal, role)
        allowed[role] = scope.everything or (
            not scope.empty and await repository.is_visible(session, project_id, scope.project_clause())
        )
    can_read = project.is_public or allowed[Role.viewer]
    if not can_read:
        raise NotFound(f"No project {project_id}.")
    return ProjectAccess(
        project_id=project_id,
        is_public=project.is_public,
        can_read=True,
        can_report=allowed[Role.reporter],
        can_edit=allowed[Role.manager],
        can_approve=allowed[Role.manager],
    )
