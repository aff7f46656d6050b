"""Whom to notify: the people whose grants of one role reach a project, or named people, with their e-mail address
and language. Read by the notification sender (reporting-api's API client, named in PROJECTS_NOTIFICATION_CLIENTS)
and admins only: addresses are personal data and stay with the identity provider otherwise."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.identity.models import RoleGrant, User
from projects_api.identity.schemas import Recipient
from projects_api.organisations.repository import parent_map
from projects_api.projects.models import ProjectCountry, ProjectParticipant
from projects_api.settings import Settings
from registry_kit.auth import Principal, Role
from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import Forbidden, invalid, problem_responses

router = APIRouter(prefix="/notification-recipients", tags=["users"])

MAX_SUBJECTS = 100


def _may_read_contacts(principal: Principal, settings: Settings) -> bool:
    client = principal.subject.removeprefix("client:") if principal.subject.startswith("client:") else None
    return principal.is_admin or (client is not None and client in settings.notification_client_ids)


async def _project_reach(session: AsyncSession, project_id: uuid.UUID) -> tuple[set[uuid.UUID], set[str]]:
    """The organisations whose grants reach the project (its participants and every organisation above them), and its
    countries."""
    participants = set(
        await session.scalars(
            select(ProjectParticipant.organisation_id).where(ProjectParticipant.project_id == project_id)
        )
    )
    parents = await parent_map(session, participants)
    orgs = set(participants) | set(parents)
    countries = set(
        await session.scalars(select(ProjectCountry.country_code).where(ProjectCountry.project_id == project_id))
    )
    return orgs, countries


async def for_project(session: AsyncSession, project_id: uuid.UUID, role: Role) -> list[Recipient]:
    """Active people holding `role` itself (not a higher one) in a grant that reaches the project."""
    orgs, countries = await _project_reach(session, project_id)
    reach = [and_(RoleGrant.organisation_id.is_(None), RoleGrant.country_code.is_(None))]
    if orgs:
        reach.append(RoleGrant.organisation_id.in_(orgs))
    if countries:
        reach.append(RoleGrant.country_code.in_(countries))
    users = await session.scalars(
        select(User)
        .where(
            User.is_active,
            User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == role.value, or_(*reach))),
        )
        .order_by(User.email)
    )
    return [_recipient(u) for u in users]


async def by_subjects(session: AsyncSession, subjects: list[str]) -> list[Recipient]:
    """The active people among these subjects (`user:<id>`); others (API clients, unknown ids) are left out."""
    ids = set()
    for subject in subjects:
        try:
            ids.add(uuid.UUID(subject.removeprefix("user:")))
        except ValueError:
            continue
    if not ids:
        return []
    users = await session.scalars(select(User).where(User.id.in_(ids), User.is_active).order_by(User.email))
    return [_recipient(u) for u in users]


def _recipient(user: User) -> Recipient:
    return Recipient(
        subject=f"user:{user.id}",
        name=user.name,
        email=user.email,
        language=user.language if user.language in ("en", "ru", "cs") else None,
    )


@router.get("", response_model=list[Recipient], responses=problem_responses(401, 403, 422))
async def notification_recipients(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    project_id: Annotated[uuid.UUID | None, Query(description="People reached on this project…")] = None,
    role: Annotated[Role | None, Query(description="…by a grant of this role")] = None,
    subject: Annotated[list[str] | None, Query(max_length=200, description="Or these people (`user:<id>`)")] = None,
) -> list[Recipient]:
    """Whom to notify, with e-mail address and language (the notification sender's API client and admins)."""
    if not _may_read_contacts(principal, request.app.state.settings):
        raise Forbidden("Contacts are read by the notification sender only.")
    if subject:
        if project_id is not None or role is not None:
            raise invalid("query.subject", "ask by subject or by project and role, not both", "not_allowed")
        if len(subject) > MAX_SUBJECTS:
            raise invalid("query.subject", f"at most {MAX_SUBJECTS} subjects", "too_many")
        return await by_subjects(session, subject)
    if project_id is None or role is None:
        raise invalid("query.project_id", "give project_id and role, or subject", "required")
    return await for_project(session, project_id, role)
