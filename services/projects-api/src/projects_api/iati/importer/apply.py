"""Applying the activities of a file: each in a savepoint of its own (one that fails is skipped whole, the others
stay), upserted by IATI identifier through the projects and funding services, so the same rules, authorization and
audit trail apply as to the API. A dry run does everything and rolls it all back."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding import service as funding
from projects_api.funding.models import Budget, Transaction
from projects_api.funding.schemas import BudgetCreate, TransactionCreate
from projects_api.iati.importer.model import ActivityIn
from projects_api.iati.importer.organisations import OrganisationMatcher
from projects_api.iati.importer.schemas import ActivityOutcome
from projects_api.projects import repository as projects
from projects_api.projects import service as project_service
from projects_api.projects.schemas import (
    CountryShare,
    LocationIn,
    ParticipantIn,
    ProjectCreate,
    ProjectUpdate,
    SectorShare,
)
from registry_kit.auth import Principal
from registry_kit.errors import AppError, Forbidden, NotFound
from registry_kit.etag import etag

Progress = Callable[[int], Awaitable[None]]


def _message(exc: Exception) -> str:
    if isinstance(exc, AppError):
        fields = "; ".join(f"{e.field}: {e.message}" for e in exc.errors or [])
        return (exc.detail or exc.title) + (f" ({fields})" if fields else "")
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return str(exc)


def _locations(a: ActivityIn) -> list[LocationIn]:
    out = []
    for loc in a.locations:
        try:
            out.append(
                LocationIn(
                    country_code=loc.country,
                    name=loc.name[:300],
                    latitude=loc.latitude,
                    longitude=loc.longitude,
                    description=loc.description[:2000] if loc.description else None,
                )
            )
        except ValidationError as exc:
            a.warnings.append(f"location {loc.name}: left out ({_message(exc)})")
    return out


async def _fields(a: ActivityIn, matcher: OrganisationMatcher, created: list[str]) -> dict[str, object]:
    assert a.reporting is not None  # noqa: S101 (checked by the parser: no reporting org is an error)
    language = a.language if a.language in a.titles else next(iter(a.titles))
    if language != a.language:
        a.warnings.append(f"no title in the activity's language {a.language}; {language} is the project's language")
    reporting = await matcher.resolve(a.reporting, language, created, a.warnings)  # first: the publisher names itself
    participants = []
    for org, role in a.participants:
        participants.append(
            ParticipantIn(organisation_id=await matcher.resolve(org, language, created, a.warnings), role=role)
        )
    return {
        "code": a.identifier,
        "language": language,
        "titles": a.titles,
        "descriptions": a.descriptions,
        "status": a.status,
        **{name: a.dates.get(name) for name in ("planned_start", "planned_end", "actual_start", "actual_end")},
        "countries": [CountryShare(country_code=c, percentage=p) for c, p in a.countries],
        "sectors": [SectorShare(sector_code=s, percentage=p) for s, p in a.sectors],
        "locations": _locations(a),
        "participants": participants,
        "reporting_organisation_id": reporting,
    }


async def _replace_money(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> None:
    for budget in await session.scalars(select(Budget).where(Budget.project_id == project_id)):
        await funding.delete_budget(session, principal, project_id, budget.id, etag(budget.id, budget.version))
    for tx in await session.scalars(select(Transaction).where(Transaction.project_id == project_id)):
        await funding.delete_transaction(session, principal, project_id, tx.id, etag(tx.id, tx.version))


async def _money(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    a: ActivityIn,
    matcher: OrganisationMatcher,
    language: str,
    created: list[str],
) -> None:
    for b in a.budgets:
        data = BudgetCreate(
            budget_type=b.budget_type,
            status=b.status,
            period_start=b.start,
            period_end=b.end,
            amount=b.amount,
            currency=b.currency,
            value_date=b.value_date,
        )
        await funding.create_budget(session, principal, project_id, data)
    for t in a.transactions:
        provider = await matcher.resolve(t.provider, language, created, a.warnings) if t.provider else None
        receiver = await matcher.resolve(t.receiver, language, created, a.warnings) if t.receiver else None
        tx = TransactionCreate(
            transaction_type=t.transaction_type,
            transaction_date=t.day,
            value_date=t.value_date,
            amount=t.amount,
            currency=t.currency,
            description=t.description[:2000] if t.description else None,
            provider_org_id=provider,
            receiver_org_id=receiver,
        )
        await funding.create_transaction(session, principal, project_id, tx)


async def _upsert(
    session: AsyncSession, principal: Principal, a: ActivityIn, matcher: OrganisationMatcher, created: list[str]
) -> tuple[str, uuid.UUID]:
    fields = await _fields(a, matcher, created)
    existing = await projects.id_for_code(session, a.identifier)
    if existing is None:
        project_id = await project_service.create(session, principal, ProjectCreate(**fields))
        outcome = "created"
    else:
        project = await project_service.load_or_404(session, existing)
        data = ProjectUpdate(**fields)
        try:
            tag = etag(project.id, project.version)
            project_id = await project_service.update(session, principal, existing, data, tag)
        except NotFound as exc:  # a private project the caller may not see: its id stays unsaid
            raise Forbidden("A project with this identifier exists outside your grants.") from exc
        await _replace_money(session, principal, project_id)
        outcome = "updated"
    await _money(session, principal, project_id, a, matcher, str(fields["language"]), created)
    return outcome, project_id


async def apply_activities(
    session: AsyncSession,
    principal: Principal,
    activities: list[ActivityIn],
    matcher: OrganisationMatcher,
    progress: Progress | None = None,
) -> list[ActivityOutcome]:
    outcomes: list[ActivityOutcome] = []
    await matcher.prime(org for a in activities for org in a.organisations())
    seen: set[str] = set()
    for i, a in enumerate(activities):
        created: list[str] = []
        outcome, project_id = "skipped", None
        if a.identifier in seen:
            a.errors.append("the file holds this identifier twice; the first one was taken")
        seen.add(a.identifier)
        if not a.errors:
            known = set(matcher.known.values())
            try:
                async with session.begin_nested():
                    outcome, project_id = await _upsert(session, principal, a, matcher, created)
            except (AppError, ValidationError) as exc:
                a.errors.append(_message(exc))
                matcher.forget(set(matcher.known.values()) - known)
                outcome, project_id, created = "skipped", None, []
        outcomes.append(
            ActivityOutcome(
                identifier=a.identifier,
                line=a.line,
                outcome=outcome,
                project_id=project_id,
                errors=a.errors,
                warnings=a.warnings,
                notes=a.notes,
                organisations_created=created,
                results=len(a.results) if outcome != "skipped" else 0,
            )
        )
        if progress is not None:
            await progress(i + 1)
    return outcomes


__all__ = ["apply_activities", "date"]
