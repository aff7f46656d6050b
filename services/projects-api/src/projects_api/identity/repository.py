"""SQL for users, API clients and refresh tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from projects_api.identity.models import ApiClient, RefreshToken, User
from projects_api.organisations.models import Organisation
from registry_kit.pagination import fetch_page
from registry_kit.search import contains_pattern


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    stmt = select(User).where(func.lower(User.email) == email.lower()).options(selectinload(User.grants))
    return (await session.scalars(stmt)).one_or_none()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    stmt = (
        select(User)
        .where(User.id == user_id)
        .options(selectinload(User.grants))
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one_or_none()


async def list_users(session: AsyncSession, *, q: str | None, offset: int, limit: int) -> tuple[list[User], int]:
    conditions = []
    if q:
        pattern = contains_pattern(q)
        conditions.append(func.lower(User.email).like(pattern) | func.lower(User.name).like(pattern))
    return await fetch_page(
        session,
        User,
        conditions,
        [func.lower(User.email)],
        offset=offset,
        limit=limit,
        options=[selectinload(User.grants)],
    )


async def client_by_client_id(session: AsyncSession, client_id: str) -> ApiClient | None:
    stmt = select(ApiClient).where(ApiClient.client_id == client_id).options(selectinload(ApiClient.grants))
    return (await session.scalars(stmt)).one_or_none()


async def client_by_id(session: AsyncSession, api_client_id: uuid.UUID) -> ApiClient | None:
    stmt = select(ApiClient).where(ApiClient.id == api_client_id).options(selectinload(ApiClient.grants))
    return (await session.scalars(stmt)).one_or_none()


async def list_clients(session: AsyncSession, *, offset: int, limit: int) -> tuple[list[ApiClient], int]:
    return await fetch_page(
        session, ApiClient, [], [ApiClient.name], offset=offset, limit=limit, options=[selectinload(ApiClient.grants)]
    )


async def refresh_token_by_hash(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def revoke_family(session: AsyncSession, family_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def organisation_names(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str | None]]:
    """Name and acronym of each organisation, by id (one query by primary key)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Organisation.id, Organisation.name, Organisation.acronym).where(Organisation.id.in_(ids))
    )
    return {row.id: (row.name, row.acronym) for row in rows}
