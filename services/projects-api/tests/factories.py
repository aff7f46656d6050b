"""Small factories that insert rows directly, for arranging tests."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding.models import Transaction
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
        name=name or f"Organisation {next(_seq)}", org_type=org_type, country_code=country, parent_id=parent_id,
        iati_identifier=iati_identifier,
    )  # fmt: skip
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
        code=code or f"TEST-{next(_seq)}-{uuid.uuid4().hex[:6]}", title=title, description=description, status=status,
        planned_start=start, planned_end=end, is_public=is_public,
        countries=[ProjectCountry(country_code=c, percentage=Decimal(p)) for c, p in countries],
        participants=[ProjectParticipant(organisation_id=o, role=r, position=i) for i, (o, r) in enumerate(participants)],
        themes=[ProjectTheme(theme_code=t) for t in themes], sectors=[], locations=[],
    )  # fmt: skip
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
        project_id=project_id, transaction_type=kind, transaction_date=day, value_date=day, amount=value,
        currency=currency, provider_org_id=provider, receiver_org_id=receiver, eur_amount=eur_value,
        fx_rate=(value / eur_value) if eur_value else None, fx_source="test" if eur_value is not None else None,
    )  # fmt: skip
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
            session, title="Internal GE project", countries=(("GE", "100"),), participants=((other.id, "implementing"),),
            is_public=False,
        )  # fmt: skip
        return cls(donor, iom, prague, other, project, private)
