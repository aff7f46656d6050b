"""SQL for organisations."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, any_, func, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.activities.models import ActivityParticipant
from projects_api.funding.models import Transaction
from projects_api.identity.models import User
from projects_api.organisations.models import Organisation
from projects_api.projects.models import ProjectParticipant
from registry_kit.pagination import fetch_page
from registry_kit.search import prefix_match


async def get(session: AsyncSession, org_id: uuid.UUID) -> Organisation | None:
    return await session.get(Organisation, org_id)


async def holder_of_iati_identifier(session: AsyncSession, iati_id: str) -> uuid.UUID | None:
    """The organisation that has this IATI identifier, if one has."""
    return await session.scalar(select(Organisation.id).where(Organisation.iati_identifier == iati_id))


async def existing_ids(session: AsyncSession, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    wanted = set(ids)
    if not wanted:
        return set()
    rows = await session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted)))
    return set(rows)


def descendant_ids(roots: Any, name: str = "tree") -> Select[tuple[uuid.UUID]]:
    """SELECT of the organisations in `roots` (an array value or bind parameter) and all below them, for use inside
    another statement, so a filter by organisation costs no separate round trip."""
    tree = select(Organisation.id).where(Organisation.id == any_(roots)).cte(name, recursive=True)
    tree = tree.union(select(Organisation.id).join(tree, Organisation.parent_id == tree.c.id))
    return select(tree.c.id)


async def with_descendants(session: AsyncSession, roots: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The organisations given and all below them (IOM → IOM Prague → …)."""
    root_ids = list(roots)
    if not root_ids:
        return set()
    tree = select(Organisation.id).where(Organisation.id.in_(root_ids)).cte("tree", recursive=True)
    tree = tree.union(select(Organisation.id).join(tree, Organisation.parent_id == tree.c.id))
    return set(await session.scalars(select(tree.c.id)))


async def ancestors(session: AsyncSession, org_id: uuid.UUID) -> list[uuid.UUID]:
    """The organisation and its chain of parents (used to refuse cycles)."""
    chain = (
        select(Organisation.id, Organisation.parent_id).where(Organisation.id == org_id).cte("chain", recursive=True)
    )
    chain = chain.union(
        select(Organisation.id, Organisation.parent_id).join(chain, Organisation.id == chain.c.parent_id)
    )
    return list(await session.scalars(select(chain.c.id)))


async def parent_map(session: AsyncSession, org_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID | None]:
    """Each given organisation and all above it, mapped to its parent (one recursive query)."""
    ids = list(org_ids)
    if not ids:
        return {}
    chain = select(Organisation.id, Organisation.parent_id).where(Organisation.id.in_(ids)).cte("up", recursive=True)
    chain = chain.union(
        select(Organisation.id, Organisation.parent_id).join(chain, Organisation.id == chain.c.parent_id)
    )
    return {row.id: row.parent_id for row in await session.execute(select(chain.c.id, chain.c.parent_id))}


def search_clause(q: str | None) -> ColumnElement[bool] | None:
    """Prefix match on every word of `q` against name, acronym and IATI id (GIN index); None: nothing to search."""
    return prefix_match("organisation.search", q)


async def list_page(
    session: AsyncSession,
    *,
    q: str | None,
    country: str | None,
    org_type: str | None,
    parent_id: uuid.UUID | None,
    offset: int,
    limit: int,
) -> tuple[list[Organisation], int]:
    conditions: list[ColumnElement[bool]] = []
    search = search_clause(q)
    if search is not None:
        conditions.append(search)
    if country:
        conditions.append(Organisation.country_code == country)
    if org_type:
        conditions.append(Organisation.org_type == org_type)
    if parent_id:
        conditions.append(Organisation.parent_id == parent_id)
    return await fetch_page(
        session, Organisation, conditions, [func.lower(Organisation.name), Organisation.id], offset=offset, limit=limit
    )


async def references(session: AsyncSession, org_id: uuid.UUID) -> dict[str, int]:
    """How many records point at this organisation, by kind (a non-empty answer blocks deletion)."""
    counts: Any = union_all(
        select(
            literal_column("'projects'").label("kind"),
            func.count(func.distinct(ProjectParticipant.project_id)),
        ).where(ProjectParticipant.organisation_id == org_id),
        select(literal_column("'transactions'"), func.count())
        .select_from(Transaction)
        .where((Transaction.provider_org_id == org_id) | (Transaction.receiver_org_id == org_id)),
        select(literal_column("'activity_participants'"), func.count())
        .select_from(ActivityParticipant)
        .where(ActivityParticipant.organisation_id == org_id),
        select(literal_column("'child_organisations'"), func.count())
        .select_from(Organisation)
        .where(Organisation.parent_id == org_id),
        select(literal_column("'users'"), func.count()).select_from(User).where(User.organisation_id == org_id),
    )
    rows = (await session.execute(counts)).all()
    return {str(kind): int(n) for kind, n in rows if n}


async def by_identifier_prefix(session: AsyncSession, code: str) -> uuid.UUID | None:
    """The organisation with the longest IATI identifier that prefixes an activity code (IATI's rule for activity
    identifiers: the reporting organisation's identifier, a hyphen, the activity's own part)."""
    prefixes = [code[:i] for i in range(len(code)) if code[i] == "-"]
    if not prefixes:
        return None
    return await session.scalar(
        select(Organisation.id)
        .where(Organisation.iati_identifier.in_(prefixes))
        .order_by(func.length(Organisation.iati_identifier).desc())
        .limit(1)
    )


async def default_language(session: AsyncSession, org_id: uuid.UUID | None) -> str | None:
    if org_id is None:
        return None
    return await session.scalar(select(Organisation.default_language).where(Organisation.id == org_id))


async def by_identifiers(session: AsyncSession, identifiers: Iterable[str]) -> dict[str, Organisation]:
    wanted = {i for i in identifiers if i}
    if not wanted:
        return {}
    rows = await session.scalars(select(Organisation).where(Organisation.iati_identifier.in_(wanted)))
    return {str(o.iati_identifier): o for o in rows}


async def by_lower_names(session: AsyncSession, names: Iterable[str]) -> dict[str, Organisation]:
    """Organisations without an IATI identifier, by their name in lower case (the first of equal names)."""
    wanted = {n.lower() for n in names if n}
    if not wanted:
        return {}
    rows = await session.scalars(
        select(Organisation).where(func.lower(Organisation.name).in_(wanted)).order_by(Organisation.created_at)
    )
    found: dict[str, Organisation] = {}
    for org in rows:
        found.setdefault(org.name.lower(), org)
    return found


def projects_below(org_id: uuid.UUID) -> Select[uuid.UUID]:
    """SELECT of the projects in which the organisation, or one below it, takes part (each once)."""
    tree = select(Organisation.id).where(Organisation.id == org_id).cte("moved", recursive=True)
    tree = tree.union(select(Organisation.id).join(tree, Organisation.parent_id == tree.c.id))
    return (
        select(ProjectParticipant.project_id)
        .where(ProjectParticipant.organisation_id.in_(select(tree.c.id)))
        .distinct()
    )
