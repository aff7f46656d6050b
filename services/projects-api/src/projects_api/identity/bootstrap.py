"""A first install's identities, made by `python -m projects_api bootstrap` (idempotent: run it on every deploy).

- The first admin, from PROJECTS_BOOTSTRAP_ADMIN_EMAIL and PROJECTS_BOOTSTRAP_ADMIN_PASSWORD (or the password on
  standard input): created when no user has that email; an existing account is left as it is (its password is the
  admin's own from then on).
- reporting-api's API client, `PROJECTS_FEED_CLIENT_ID` with the secret `PROJECTS_FEED_CLIENT_SECRET`, the same pair
  reporting-api reads as REPORTING_PROJECTS_CLIENT_ID / _SECRET: a global viewer grant (to follow the change feed)
  and the right to act for users (its import jobs). Created when missing, brought back to that shape when it
  drifted (disabled, grants changed, a new secret: rotating the secret is changing it in both services' settings
  and running bootstrap again).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.service import record
from projects_api.identity import repository, service
from projects_api.identity.models import ApiClient, RoleGrant
from projects_api.identity.passwords import hash_secret, verify_secret
from projects_api.identity.schemas import GrantIn, UserCreate
from registry_kit.auth import Grant, Principal, Role

BOOTSTRAP = Principal(subject="system:bootstrap", name="bootstrap", organisation_id=None, grants=(Grant(Role.admin),))
MIN_SECRET_LENGTH = 24


class BootstrapError(ValueError):
    """What the operator must fix in the settings (said without any secret)."""


@dataclass(frozen=True)
class Outcome:
    admin: str
    feed_client: str


async def ensure_admin(session: AsyncSession, email: str, name: str, password: str | None) -> str:
    existing = await repository.user_by_email(session, email)
    if existing is not None:
        admin = any(g.role == Role.admin.value for g in existing.grants)
        state = "an admin" if admin else "NOT an admin (give it the admin grant in the API)"
        return f"user {email} exists, {state}; left unchanged"
    if not password:
        raise BootstrapError(
            f"no user {email} yet: give its password in PROJECTS_BOOTSTRAP_ADMIN_PASSWORD or on standard input"
        )
    try:
        data = UserCreate(email=email, name=name, password=password, grants=[GrantIn(role=Role.admin)])
    except ValueError as exc:
        raise BootstrapError(f"the first admin cannot be made: {exc}") from exc
    await service.create_user(session, BOOTSTRAP, data)
    return f"admin {email} created"


async def ensure_service_client(session: AsyncSession, client_id: str, secret: str, name: str) -> str:
    if len(secret) < MIN_SECRET_LENGTH:
        raise BootstrapError(f"the feed client's secret needs at least {MIN_SECRET_LENGTH} characters")
    client = await repository.client_by_client_id(session, client_id)
    if client is None:
        session.add(
            ApiClient(
                client_id=client_id,
                name=name,
                secret_hash=hash_secret(secret),
                acts_for_users=True,
                grants=[RoleGrant(role=Role.viewer.value)],
            )
        )
        await session.flush()
        created = await repository.client_by_client_id(session, client_id)
        assert created is not None  # noqa: S101 (just flushed)
        record(
            session,
            BOOTSTRAP,
            entity_type="api_client",
            entity_id=created.id,
            action="create",
            after={"name": name, "client_id": client_id, "acts_for_users": True},
        )
        return f"API client {client_id} created"
    changes: list[str] = []
    if not verify_secret(client.secret_hash, secret):
        client.secret_hash = hash_secret(secret)
        changes.append("secret")
    if not client.is_active:
        client.is_active = True
        changes.append("enabled")
    if not client.acts_for_users:
        client.acts_for_users = True
        changes.append("may act for users")
    if not any(
        g.role == Role.viewer.value and g.organisation_id is None and g.country_code is None for g in client.grants
    ):
        client.grants.append(RoleGrant(role=Role.viewer.value))
        changes.append("global viewer grant")
    if not changes:
        return f"API client {client_id} is as it should be"
    await session.flush()
    record(
        session,
        BOOTSTRAP,
        entity_type="api_client",
        entity_id=client.id,
        action="update",
        after={"client_id": client_id, "changed": ", ".join(changes)},
    )
    return f"API client {client_id} updated: {', '.join(changes)}"


async def bootstrap(
    session: AsyncSession,
    *,
    admin_email: str | None,
    admin_name: str,
    admin_password: str | None,
    feed_client_id: str,
    feed_client_secret: str | None,
) -> Outcome:
    """Both steps in the caller's transaction: a failure in either leaves nothing half-made."""
    admin = (
        await ensure_admin(session, admin_email, admin_name, admin_password)
        if admin_email
        else "no PROJECTS_BOOTSTRAP_ADMIN_EMAIL: no admin made"
    )
    feed = (
        await ensure_service_client(session, feed_client_id, feed_client_secret, "reporting-api (change feed, imports)")
        if feed_client_secret
        else "no PROJECTS_FEED_CLIENT_SECRET: no API client for reporting-api (its dashboards stay empty)"
    )
    return Outcome(admin, feed)
