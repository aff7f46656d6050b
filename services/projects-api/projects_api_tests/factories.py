"""Small factories that insert rows directly, for arranging tests."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.activities.models import Activity, ActivityParticipant
from projects_api.funding.models import Budget, Transaction
from projects_api.identity.models import ApiClient, RoleGrant, User
from projects_api.organisations.models import Organisation
from projects_api.projects.models import Project, ProjectCountry, ProjectParticipant, ProjectTheme

_seq = itertools.count(1)


async def create_org(
    session: AsyncSession,
    name: str | None = None,
    *,
    org_type: str = "10",
    country: str | None = None,
    parent_id: uuid.UUID | None = None,
    iati_identifier: str | None = None,
) -> Organisation:
    org = Organisation(
        name=name or f"Organisation {next(_seq)}",
        org_type=org_type,
        country_code=country,
        parent_id=parent_id,
        iati_identifier=iati_identifier,
    )
    session.add(org)
    await session.flush()
    return org


async def create_project(
    session: AsyncSession,
    *,
    code: str | None = None,
    title: str = "A project",
    description: str | None = None,
    countries: tuple[tuple[str, str], ...] = (("BA", "100"),),
    participants: tuple[tuple[uuid.UUID, str], ...] = (),
    themes: tuple[str, ...] = (),
    status: str = "implementation",
    start: date | None = date(2010, 1, 1),
    end: date | None = date(2011, 12, 31),
    is_public: bool = True,
) -> Project:
    project = Project(
        code=code or f"TEST-{next(_seq)}-{uuid.uuid4().hex[:6]}",
        title=title,
        description=description,
        status=status,
        titles={"en": title},
        descriptions={"en": description} if description else {},
        planned_start=start,
        planned_end=end,
        is_public=is_public,
        countries=[ProjectCountry(country_code=c, percentage=Decimal(p)) for c, p in countries],
        participants=[
            ProjectParticipant(organisation_id=o, role=r, position=i) for i, (o, r) in enumerate(participants)
        ],
        themes=[ProjectTheme(theme_code=t) for t in themes],
        sectors=[],
        locations=[],
    )
    session.add(project)
    await session.flush()
    return project


async def create_transaction(
    session: AsyncSession,
    project_id: uuid.UUID,
    *,
    amount: str,
    currency: str = "EUR",
    eur: str | None = None,
    kind: str = "disbursement",
    day: date = date(2010, 6, 1),
    provider: uuid.UUID | None = None,
    receiver: uuid.UUID | None = None,
) -> Transaction:
    value = Decimal(amount)
    eur_value = Decimal(eur) if eur is not None else (value if currency == "EUR" else None)
    tx = Transaction(
        project_id=project_id,
        transaction_type=kind,
        transaction_date=day,
        value_date=day,
        amount=value,
        currency=currency,
        provider_org_id=provider,
        receiver_org_id=receiver,
        eur_amount=eur_value,
        fx_rate=(value / eur_value) if eur_value else None,
        fx_source="test" if eur_value is not None else None,
    )
    session.add(tx)
    await session.flush()
    return tx


@dataclass
class World:
    """A small registry: a donor, IOM with IOM Prague below it, an unrelated organisation, and projects."""

    donor: Organisation
    iom: Organisation
    prague: Organisation
    other: Organisation
    project: Project  # public; donor funds, Prague implements; in BA
    private: Project  # not public; only `other` participates; in GE

    @classmethod
    async def build(cls, session: AsyncSession) -> World:
        donor = await create_org(session, "Czech Ministry of the Interior", country="CZ")
        iom = await create_org(session, "International Organization for Migration", org_type="40")
        prague = await create_org(session, "IOM Prague", org_type="40", country="CZ", parent_id=iom.id)
        other = await create_org(session, "Unrelated Agency", country="GE")
        project = await create_project(
            session, title="Asylum procedure in BiH", participants=((donor.id, "funding"), (prague.id, "implementing"))
        )
        private = await create_project(
            session,
            title="Internal GE project",
            countries=(("GE", "100"),),
            participants=((other.id, "implementing"),),
            is_public=False,
        )
        return cls(donor, iom, prague, other, project, private)


async def create_activity(
    session: AsyncSession,
    project_id: uuid.UUID,
    *,
    kind: str = "workshop",
    title: str = "A workshop",
    start: date = date(2010, 3, 1),
    end: date | None = None,
    people: tuple[tuple[uuid.UUID, int, int], ...] = (),
) -> Activity:
    """An activity of a project; `people` are (organisation id, women, men)."""
    activity = Activity(
        project_id=project_id,
        kind=kind,
        title=title,
        start_date=start,
        end_date=end,
        participants=[
            ActivityParticipant(organisation_id=o, women=w, men=m, position=i) for i, (o, w, m) in enumerate(people)
        ],
    )
    session.add(activity)
    await session.flush()
    return activity


async def create_budget(
    session: AsyncSession,
    project_id: uuid.UUID,
    *,
    amount: str = "1000.00",
    start: date = date(2010, 1, 1),
    end: date = date(2010, 12, 31),
) -> Budget:
    """A EUR budget of a project for one period."""
    value = Decimal(amount)
    budget = Budget(
        project_id=project_id,
        period_start=start,
        period_end=end,
        amount=value,
        currency="EUR",
        value_date=start,
        eur_amount=value,
        fx_rate=Decimal(1),
        fx_source="identity",
    )
    session.add(budget)
    await session.flush()
    return budget


async def create_user(
    session: AsyncSession,
    *,
    email: str | None = None,
    name: str = "A user",
    organisation_id: uuid.UUID | None = None,
    grants: tuple[tuple[str, uuid.UUID | None, str | None], ...] = (),
) -> User:
    """A user with (role, organisation id, country) grants; the password hash is a placeholder (no sign-in)."""
    user = User(
        email=email or f"user{next(_seq)}@example.org",
        name=name,
        password_hash="not-a-hash",
        organisation_id=organisation_id,
        grants=[RoleGrant(role=r, organisation_id=o, country_code=c) for r, o, c in grants],
    )
    session.add(user)
    await session.flush()
    return user


async def create_api_client(
    session: AsyncSession, *, name: str | None = None, grants: tuple[str, ...] = ("viewer",)
) -> ApiClient:
    """A third-party API client with global grants of the given roles (its secret is a placeholder)."""
    client = ApiClient(
        client_id=f"test-{uuid.uuid4().hex[:12]}",
        name=name or f"Client {next(_seq)}",
        secret_hash="not-a-hash",
        grants=[RoleGrant(role=r) for r in grants],
    )
    session.add(client)
    await session.flush()
    return client
