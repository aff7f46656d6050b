"""Loading the demo dataset, idempotently: stable ids, and rows that exist are left as they are."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.activities.models import Activity, ActivityParticipant
from projects_api.audit.service import record
from projects_api.demo import data
from projects_api.funding import fx
from projects_api.funding.models import Budget, Transaction
from projects_api.identity.models import RoleGrant, User
from projects_api.identity.passwords import hash_secret
from projects_api.organisations.models import Organisation
from projects_api.projects.models import (
    Project,
    ProjectCountry,
    ProjectLocation,
    ProjectParticipant,
    ProjectSector,
    ProjectTheme,
)

logger = logging.getLogger(__name__)


@dataclass
class LoadReport:
    organisations: int = 0
    projects: int = 0
    users: int = 0


async def _existing(session: AsyncSession, model: type[Organisation] | type[Project] | type[User]) -> set[object]:
    return set(await session.scalars(select(model.id)))


async def _load_organisations(session: AsyncSession, report: LoadReport) -> None:
    have = await _existing(session, Organisation)
    for org in data.ORGANISATIONS:  # parents come first in the tuple
        org_id = data.demo_id("org:" + org.key)
        if org_id in have:
            continue
        session.add(
            Organisation(
                id=org_id,
                name=org.name,
                acronym=org.acronym,
                iati_identifier=org.iati_identifier,
                org_type=org.org_type,
                country_code=org.country,
                parent_id=data.demo_id("org:" + org.parent) if org.parent else None,
                description=org.description,
                source=org.source,
                is_illustrative=org.illustrative,
                is_department=org.department,
            )
        )
        await session.flush()
        record(
            session,
            None,
            entity_type="organisation",
            entity_id=org_id,
            action="create",
            after={"name": org.name, "demo": True},
        )
        report.organisations += 1


def _org(key: str | None) -> object:
    return data.demo_id("org:" + key) if key else None


async def _transactions(session: AsyncSession, p: data.Proj, project_id: object) -> list[Transaction]:
    out = []
    for i, t in enumerate(p.transactions):
        tx = Transaction(
            id=data.demo_id(f"tx:{p.code}:{i}"),
            project_id=project_id,
            transaction_type=t.kind,
            transaction_date=t.day,
            value_date=t.day,
            amount=t.amount,
            currency=t.currency,
            provider_org_id=_org(t.provider),
            receiver_org_id=_org(t.receiver),
            is_illustrative=t.illustrative,
            source=t.source,
        )
        conversion = await fx.convert(session, t.amount, t.currency, t.day)
        if conversion is not None:
            tx.eur_amount, tx.fx_rate = conversion.eur_amount, conversion.rate
            tx.fx_rate_date, tx.fx_source = conversion.rate_date, conversion.source
        out.append(tx)
    return out


async def _budgets(session: AsyncSession, p: data.Proj, project_id: object) -> list[Budget]:
    out = []
    for i, (start, end, amount, currency) in enumerate(p.budgets):
        budget = Budget(
            id=data.demo_id(f"budget:{p.code}:{i}"),
            project_id=project_id,
            period_start=start,
            period_end=end,
            amount=amount,
            currency=currency,
            value_date=start,
            is_illustrative=True,
            source=data.ILLUSTRATIVE,
        )
        conversion = await fx.convert(session, amount, currency, start)
        if conversion is not None:
            budget.eur_amount, budget.fx_rate = conversion.eur_amount, conversion.rate
            budget.fx_rate_date, budget.fx_source = conversion.rate_date, conversion.source
        out.append(budget)
    return out


def _activities(p: data.Proj, project_id: object) -> list[Activity]:
    return [
        Activity(
            id=data.demo_id(f"activity:{e.key}"),
            project_id=project_id,
            kind=e.kind,
            title=e.title,
            facility_type=e.facility,
            start_date=e.start,
            end_date=e.end,
            place=e.place,
            country_code=e.country,
            is_illustrative=True,
            source=data.ILLUSTRATIVE
            + "; the page names on-site visits to detention and asylum facilities and airports",
            participants=[
                ActivityParticipant(organisation_id=_org(org), women=w, men=m, position=i)
                for i, (org, w, m) in enumerate(e.people)
            ],
        )
        for e in p.events
    ]


async def _load_project(session: AsyncSession, p: data.Proj) -> None:
    project_id = data.demo_id("project:" + p.code)
    project = Project(
        id=project_id,
        code=p.code,
        title=p.title,
        description=p.description,
        status=p.status,
        language="en",
        titles={"en": p.title, **dict(p.titles)},
        descriptions={"en": p.description},
        reporting_org_id=_org("iom"),
        planned_start=p.start,
        planned_end=p.end,
        actual_start=p.start if p.status != "pipeline" else None,
        actual_end=p.end if p.status == "closed" else None,
        is_public=p.public,
        is_illustrative=p.illustrative,
        source=p.source,
        countries=[ProjectCountry(country_code=c, percentage=Decimal(pct)) for c, pct in p.countries],
        themes=[ProjectTheme(theme_code=t) for t in p.themes],
        sectors=[ProjectSector(sector_code=s, percentage=Decimal(pct)) for s, pct in p.sectors],
        participants=[
            ProjectParticipant(organisation_id=_org(org), role=role, position=i)
            for i, (org, role) in enumerate(p.participants)
        ],
        locations=[ProjectLocation(country_code=c, name=n, description=d) for c, n, d in p.locations],
    )
    session.add(project)
    await session.flush()
    session.add_all(await _transactions(session, p, project_id))
    session.add_all(await _budgets(session, p, project_id))
    session.add_all(_activities(p, project_id))
    await session.flush()
    record(
        session,
        None,
        entity_type="project",
        entity_id=project_id,
        project_id=project_id,
        action="create",
        after={"code": p.code, "demo": True},
    )


async def _load_users(session: AsyncSession, report: LoadReport) -> None:
    have = await _existing(session, User)
    for u in data.USERS:
        user_id = data.demo_id("user:" + u.email)
        if user_id in have:
            continue
        grants = [RoleGrant(role=r, organisation_id=_org(o), country_code=c) for r, o, c in u.grants]
        session.add(
            User(
                id=user_id,
                email=u.email,
                name=u.name,
                password_hash=hash_secret(u.password),
                organisation_id=_org(u.organisation),
                grants=grants,
            )
        )
        report.users += 1
    await session.flush()


async def load_demo(session: AsyncSession, *, with_users: bool) -> LoadReport:
    """Add whatever of the demo dataset is missing. The caller commits."""
    report = LoadReport()
    await _load_organisations(session, report)
    have = await _existing(session, Project)
    for p in data.PROJECTS:
        if data.demo_id("project:" + p.code) not in have:
            await _load_project(session, p)
            report.projects += 1
    if with_users:
        await _load_users(session, report)
    logger.info(
        "demo data loaded",
        extra={"organisations": report.organisations, "projects": report.projects, "users": report.users},
    )
    return report
