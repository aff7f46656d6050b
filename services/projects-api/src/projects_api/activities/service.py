"""The rules for activities: on-site visits name a facility, dates are in order, people are counted by sex."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.activities import repository
from projects_api.activities.models import Activity as ActivityRow
from projects_api.activities.models import ActivityParticipant
from projects_api.activities.schemas import (
    Activity,
    ActivityCreate,
    ActivityUpdate,
    ParticipantCount,
    ParticipantCountOut,
)
from projects_api.audit.service import audited_create, audited_delete, audited_update
from projects_api.organisations.repository import existing_ids
from projects_api.organisations.schemas import OrganisationRef
from projects_api.projects.service import ensure_visible, require_project_role
from projects_api.reference.data import ActivityKind, FacilityType
from registry_kit.auth import Principal, Role
from registry_kit.errors import FieldError, NotFound, ValidationFailed, field_error, reject_nulls
from registry_kit.etag import check_if_match
from registry_kit.pagination import Page, PageParams
from registry_kit.presenting import from_row


def present(activity: ActivityRow) -> Activity:
    people = [
        ParticipantCountOut(
            organisation=OrganisationRef.model_validate(p.organisation),
            women=p.women,
            men=p.men,
            unspecified=p.unspecified,
            total=p.women + p.men + p.unspecified,
        )
        for p in activity.participants
    ]
    return from_row(
        Activity,
        activity,
        kind=ActivityKind(activity.kind),
        facility_type=FacilityType(activity.facility_type) if activity.facility_type else None,
        participants=people,
        women=sum(p.women for p in people),
        men=sum(p.men for p in people),
        total_participants=sum(p.total for p in people),
    )


def snapshot(activity: ActivityRow) -> dict[str, Any]:
    fields = (
        "kind",
        "title",
        "description",
        "facility_type",
        "facility_name",
        "start_date",
        "end_date",
        "place",
        "country_code",
    )
    out = {f: getattr(activity, f) for f in fields}
    out = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in out.items()}
    out["participants"] = {str(p.organisation_id): [p.women, p.men, p.unspecified] for p in activity.participants}
    return out


def _check_shape(values: dict[str, Any]) -> None:
    errors: list[FieldError] = []
    if values.get("facility_type") and values.get("kind") != ActivityKind.on_site_visit:
        errors.append(field_error("body.facility_type", "only on-site visits have a facility type", "not_allowed"))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.append(field_error("body.end_date", f"end {end} is before start {start}", "date_order"))
    if errors:
        raise ValidationFailed(errors[0].message, errors=errors)


async def _check_participants(session: AsyncSession, participants: list[ParticipantCount]) -> None:
    known = await existing_ids(session, (p.organisation_id for p in participants))
    errors = [
        field_error(f"body.participants[{i}].organisation_id", f"no organisation {p.organisation_id}", "unknown")
        for i, p in enumerate(participants)
        if p.organisation_id not in known
    ]
    ids = [p.organisation_id for p in participants]
    if len(set(ids)) != len(ids):
        errors.append(field_error("body.participants", "an institution is listed twice", "duplicate"))
    if errors:
        raise ValidationFailed(errors[0].message, errors=errors)


def _participants(items: list[ParticipantCount]) -> list[ActivityParticipant]:
    return [ActivityParticipant(**p.model_dump(), position=i) for i, p in enumerate(items)]


async def get_or_404(session: AsyncSession, project_id: uuid.UUID, activity_id: uuid.UUID) -> ActivityRow:
    activity = await repository.get(session, project_id, activity_id)
    if activity is None:
        raise NotFound(f"No activity {activity_id} in project {project_id}.")
    return activity


async def list_page(
    session: AsyncSession,
    principal: Principal | None,
    project_id: uuid.UUID,
    kind: ActivityKind | None,
    page: PageParams,
) -> Page[Activity]:
    """The project's activities in date order, for a caller who may see the project."""
    await ensure_visible(session, principal, project_id)
    rows, total = await repository.list_for_project(
        session, project_id, kind=kind.value if kind else None, offset=page.offset, limit=page.page_size
    )
    return Page.of([present(a) for a in rows], total, page)


async def create(session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: ActivityCreate) -> uuid.UUID:
    await require_project_role(session, principal, project_id, Role.manager)
    _check_shape(data.model_dump())
    await _check_participants(session, data.participants)
    activity = ActivityRow(
        project_id=project_id,
        **data.model_dump(exclude={"participants"}),
        participants=_participants(data.participants),
    )
    await audited_create(session, principal, activity, entity_type="activity", snapshot=snapshot, project_id=project_id)
    return activity.id


async def update(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    activity_id: uuid.UUID,
    data: ActivityUpdate,
    if_match: str | None,
) -> None:
    await require_project_role(session, principal, project_id, Role.manager)
    activity = await get_or_404(session, project_id, activity_id)
    check_if_match(if_match, activity.id, activity.version)
    changes = data.model_dump(exclude_unset=True, exclude={"participants"})
    reject_nulls(changes, "kind", "title", "start_date")
    merged = {**snapshot(activity), **changes}  # the snapshot's dates are text: compare the dates themselves
    merged["start_date"] = changes.get("start_date", activity.start_date)
    merged["end_date"] = changes.get("end_date", activity.end_date)
    _check_shape(merged)
    async with audited_update(
        session, principal, activity, changes, entity_type="activity", snapshot=snapshot, project_id=project_id
    ):
        if data.participants is not None:
            await _check_participants(session, data.participants)
            activity.participants.clear()
            await session.flush()
            activity.participants.extend(_participants(data.participants))


async def delete(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, activity_id: uuid.UUID, if_match: str | None
) -> None:
    await require_project_role(session, principal, project_id, Role.manager)
    activity = await get_or_404(session, project_id, activity_id)
    check_if_match(if_match, activity.id, activity.version)
    await audited_delete(session, principal, activity, entity_type="activity", snapshot=snapshot, project_id=project_id)
