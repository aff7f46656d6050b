"""Access tokens are self-contained for 15 minutes; this is how one stops working before then.

When a user is disabled or deleted, their grants or password change, or an API client is removed, the subject is
written to `token_revocation` with the time (this process's clock, the one that stamps `iat` on tokens). Every
verifier, in both services, refuses a token of that subject issued up to that time: projects-api reads the table,
reporting-api the list published at GET /auth/revocations, each at most every `auth_revocation_cache_seconds`
(registry_kit.auth.CachedRevocations), so the check per request is a dictionary lookup. Entries older than a
token's lifetime revoke nothing that is still alive, so they are neither published nor kept.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.identity.models import TokenRevocation
from projects_api.settings import Settings
from registry_kit.auth import CachedRevocations, Revocations


def horizon(settings: Settings) -> timedelta:
    """How long a revocation matters: the longest an access token lives, with the clock skew verifiers allow."""
    return timedelta(minutes=settings.access_token_minutes, seconds=settings.auth_leeway_seconds + 60)


async def revoke(session: AsyncSession, settings: Settings, subject: str) -> None:
    """Refuse `subject`'s tokens issued until now (in the caller's transaction: undone if the change is)."""
    now = datetime.now(UTC)
    statement = insert(TokenRevocation).values(subject=subject, revoked_at=now)
    await session.execute(statement.on_conflict_do_update(index_elements=["subject"], set_={"revoked_at": now}))
    await session.execute(delete(TokenRevocation).where(TokenRevocation.revoked_at < now - horizon(settings)))


async def current(session: AsyncSession, settings: Settings) -> dict[str, float]:
    """Subject → time (epoch seconds) up to which its tokens are refused, for revocations that still matter."""
    since = datetime.now(UTC) - horizon(settings)
    rows = await session.execute(
        select(TokenRevocation.subject, TokenRevocation.revoked_at).where(TokenRevocation.revoked_at >= since)
    )
    return {subject: at.timestamp() for subject, at in rows}


def database_revocations(app: FastAPI, settings: Settings) -> CachedRevocations:
    """projects-api's own verifier: the table, read through the app's sessions."""

    async def fetch() -> Revocations:
        async with app.state.sessionmaker() as session:
            return await current(session, settings)

    return CachedRevocations(fetch, settings.auth_revocation_cache_seconds)
