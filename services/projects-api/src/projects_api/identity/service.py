"""Signing people and API clients in, rotating refresh tokens, and managing users and clients (admins)."""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.service import audited_create, audited_delete, audited_update, record
from projects_api.identity import repository, revocation, throttle
from projects_api.identity.keys import SigningKey
from projects_api.identity.models import ApiClient as ApiClientRow
from projects_api.identity.models import RefreshToken, RoleGrant
from projects_api.identity.models import User as UserRow
from projects_api.identity.passwords import hash_secret, verify_secret
from projects_api.identity.schemas import (
    ApiClient,
    ApiClientCreate,
    GrantIn,
    Me,
    MeGrant,
    MeUpdate,
    User,
    UserCreate,
    UserUpdate,
)
from projects_api.identity.tokens import hash_refresh_token, issue_access_token, new_refresh_token
from projects_api.organisations.repository import existing_ids
from projects_api.settings import Settings
from registry_kit.auth import Grant, Principal, Role
from registry_kit.errors import AppError, Conflict, Forbidden, NotFound, ValidationFailed, field_error, reject_nulls
from registry_kit.etag import check_if_match
from registry_kit.pagination import Page, PageParams

logger = logging.getLogger(__name__)


class InvalidGrant(AppError):
    """OAuth2 `invalid_grant` / `invalid_client`, as problem+json."""

    status, slug, title = 400, "invalid-grant", "The credentials are not valid"


class InvalidClient(InvalidGrant):
    """The client itself is unknown, disabled or gave a wrong secret (OAuth2 `invalid_client`)."""


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str | None


def grants_of(rows: list[RoleGrant]) -> list[Grant]:
    return [Grant(Role(g.role), g.organisation_id, g.country_code) for g in rows]


async def _issue_for_user(
    session: AsyncSession, key: SigningKey, settings: Settings, user: UserRow, family: uuid.UUID | None
) -> IssuedTokens:
    access, expires_in = issue_access_token(
        key,
        settings,
        subject=f"user:{user.id}",
        name=user.name,
        organisation_id=user.organisation_id,
        grants=grants_of(user.grants),
    )
    token, token_hash = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            token_hash=token_hash,
            family_id=family or uuid.uuid4(),
            expires_at=datetime.now(UTC) + timedelta(days=settings.refresh_token_days),
        )
    )
    return IssuedTokens(access, expires_in, token)


async def password_grant(
    session: AsyncSession, key: SigningKey, settings: Settings, email: str, password: str
) -> IssuedTokens:
    user = await repository.user_by_email(session, email)
    # argon2 takes a CPU-bound tenth of a second: in a thread, so other requests go on meanwhile.
    valid = await asyncio.to_thread(verify_secret, user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        raise InvalidGrant("Wrong email or password, or the account is disabled.")
    return await _issue_for_user(session, key, settings, user, None)


async def refresh_grant(session: AsyncSession, key: SigningKey, settings: Settings, token: str) -> IssuedTokens | None:
    """Rotate: each refresh token works once (give or take `refresh_reuse_seconds`). Reusing one later revokes its
    whole family (it was stolen) and answers None, so the caller can refuse without raising: the revocation must
    commit."""
    now = datetime.now(UTC)
    stored = await repository.refresh_token_by_hash(session, hash_refresh_token(token))
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise InvalidGrant("The refresh token is not valid; sign in again.")
    if stored.used_at is not None:
        if now - stored.used_at > timedelta(seconds=settings.refresh_reuse_seconds):
            await repository.revoke_family(session, stored.family_id, now)
            return None
        # Presented again within seconds: the client lost the answer (a reload mid-refresh), not a thief.
        return await _reissue(session, key, settings, stored)
    stored.used_at = now
    return await _reissue(session, key, settings, stored)


async def _reissue(session: AsyncSession, key: SigningKey, settings: Settings, stored: RefreshToken) -> IssuedTokens:
    user = await repository.user_by_id(session, stored.user_id)
    if user is None or not user.is_active:
        raise InvalidGrant("The account is disabled.")
    return await _issue_for_user(session, key, settings, user, stored.family_id)


async def revoke(session: AsyncSession, token: str) -> None:
    stored = await repository.refresh_token_by_hash(session, hash_refresh_token(token))
    if stored is not None:
        await repository.revoke_family(session, stored.family_id, datetime.now(UTC))


async def client_credentials_grant(
    session: AsyncSession, key: SigningKey, settings: Settings, client_id: str, client_secret: str
) -> IssuedTokens:
    client = await repository.client_by_client_id(session, client_id)
    valid = await asyncio.to_thread(verify_secret, client.secret_hash if client else None, client_secret)
    if client is None or not valid or not client.is_active:
        raise InvalidGrant("Unknown client or wrong secret.")
    access, expires_in = issue_access_token(
        key,
        settings,
        subject=f"client:{client.client_id}",
        name=client.name,
        organisation_id=client.organisation_id,
        grants=grants_of(client.grants),
    )
    return IssuedTokens(access, expires_in, None)


TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # noqa: S105 (a grant type name)
# A token obtained for someone else lives just long enough for the work it was asked for to check rights.
DELEGATED_TOKEN_LIFETIME = timedelta(minutes=5)


async def token_exchange_grant(
    session: AsyncSession, key: SigningKey, settings: Settings, client_id: str, client_secret: str, subject: str
) -> IssuedTokens:
    """A service client marked `acts_for_users` gets a short-lived token of `subject` (`user:<id>` or
    `client:<client_id>`) carrying that subject's grants as they are now, and an `act` claim naming the client
    (RFC 8693). reporting-api's import jobs use it: they run after the uploader's own token expired, and the
    uploader's rights are checked as they are when the job runs (a disabled account or a removed grant stops it)."""
    client = await repository.client_by_client_id(session, client_id)
    valid = verify_secret(client.secret_hash if client else None, client_secret)
    if client is None or not valid or not client.is_active:
        raise InvalidClient("Unknown client or wrong secret.")
    if not client.acts_for_users:
        raise InvalidGrant("This client may not act for users.")
    kind, _, ident = subject.partition(":")
    holder: UserRow | ApiClientRow | None = None
    if kind == "user":
        try:
            holder = await repository.user_by_id(session, uuid.UUID(ident))
        except ValueError:
            holder = None
    elif kind == "client":
        holder = await repository.client_by_client_id(session, ident)
    if holder is None or not holder.is_active:
        raise InvalidGrant(f"No active user or client {subject}.")
    access, expires_in = issue_access_token(
        key,
        settings,
        subject=subject,
        name=holder.name,
        organisation_id=holder.organisation_id,
        grants=grants_of(holder.grants),
        actor=f"client:{client.client_id}",
        lifetime=DELEGATED_TOKEN_LIFETIME,
    )
    logger.info("token issued to act for", extra={"client_id": client.client_id, "subject": subject})
    return IssuedTokens(access, expires_in, None)


async def _check_grants(session: AsyncSession, grants: list[GrantIn], field: str) -> None:
    known = await existing_ids(session, (g.organisation_id for g in grants if g.organisation_id))
    for i, g in enumerate(grants):
        if g.organisation_id and g.organisation_id not in known:
            raise ValidationFailed(
                "unknown organisation",
                errors=[
                    field_error(
                        f"body.{field}[{i}].organisation_id",
                        f"no organisation {g.organisation_id}",
                        "unknown",
                    )
                ],
            )


async def _check_org(session: AsyncSession, org_id: uuid.UUID | None) -> None:
    if org_id and not await existing_ids(session, [org_id]):
        raise ValidationFailed(
            "unknown organisation",
            errors=[field_error("body.organisation_id", f"no organisation {org_id}", "unknown")],
        )


def _grant_rows(grants: list[GrantIn]) -> list[RoleGrant]:
    return [
        RoleGrant(role=g.role.value, organisation_id=g.organisation_id, country_code=g.country_code) for g in grants
    ]


def _user_snapshot(user: UserRow) -> dict[str, object]:
    return {
        "email": user.email,
        "name": user.name,
        "organisation_id": str(user.organisation_id) if user.organisation_id else None,
        "is_active": user.is_active,
        "grants": _grant_list(user.grants),
    }


def _grant_list(grants: list[RoleGrant]) -> list[str]:
    """Grants as `role:scope` texts, so the audit trail shows exactly whose reach a change widened."""
    return sorted(f"{g.role}:{g.organisation_id or g.country_code or '*'}" for g in grants)


async def create_user(session: AsyncSession, principal: Principal, data: UserCreate) -> UserRow:
    principal.require_admin()
    if await repository.user_by_email(session, data.email):
        message = f"A user with email {data.email} already exists."
        raise Conflict(message, errors=[field_error("body.email", message, "duplicate")])
    await _check_org(session, data.organisation_id)
    await _check_grants(session, data.grants, "grants")
    user = UserRow(
        email=data.email,
        name=data.name,
        password_hash=hash_secret(data.password),
        organisation_id=data.organisation_id,
        grants=_grant_rows(data.grants),
    )
    return await audited_create(session, principal, user, entity_type="user", snapshot=_user_snapshot)


async def get_user_or_404(session: AsyncSession, user_id: uuid.UUID) -> UserRow:
    user = await repository.user_by_id(session, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    return user


async def update_user(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    user_id: uuid.UUID,
    data: UserUpdate,
    if_match: str | None,
) -> UserRow:
    principal.require_admin()
    user = await get_user_or_404(session, user_id)
    check_if_match(if_match, user.id, user.version)
    changes = data.model_dump(exclude_unset=True, exclude={"grants", "password"})
    reject_nulls(changes, "name", "is_active")
    if "organisation_id" in changes:
        await _check_org(session, changes["organisation_id"])
    if data.grants is not None:
        await _check_grants(session, data.grants, "grants")
    async with audited_update(session, principal, user, changes, entity_type="user", snapshot=_user_snapshot) as before:
        if data.password is not None:
            user.password_hash = hash_secret(data.password)
        if data.grants is not None:
            user.grants.clear()
            await session.flush()
            user.grants.extend(_grant_rows(data.grants))
    after = _user_snapshot(user)
    if data.password is not None or any(after[k] != before[k] for k in ("is_active", "grants")):
        await revocation.revoke(session, settings, f"user:{user.id}")  # its tokens carry the old access
    return user


async def delete_user(
    session: AsyncSession, settings: Settings, principal: Principal, user_id: uuid.UUID, if_match: str | None
) -> None:
    principal.require_admin()
    user = await get_user_or_404(session, user_id)
    check_if_match(if_match, user.id, user.version)
    if principal.subject == f"user:{user.id}":
        raise Conflict("You cannot delete your own account.")
    await audited_delete(session, principal, user, entity_type="user", snapshot=_user_snapshot)
    await revocation.revoke(session, settings, f"user:{user_id}")


def _client_snapshot(client: ApiClientRow) -> dict[str, Any]:
    return {"name": client.name, "client_id": client.client_id, "grants": _grant_list(client.grants)}


async def create_client(session: AsyncSession, principal: Principal, data: ApiClientCreate) -> tuple[ApiClientRow, str]:
    principal.require_admin()
    await _check_org(session, data.organisation_id)
    await _check_grants(session, data.grants, "grants")
    secret = secrets.token_urlsafe(32)
    client = ApiClientRow(
        client_id=f"mcb-{secrets.token_hex(8)}",
        name=data.name,
        secret_hash=hash_secret(secret),
        organisation_id=data.organisation_id,
        grants=_grant_rows(data.grants),
    )
    await audited_create(session, principal, client, entity_type="api_client", snapshot=_client_snapshot)
    return client, secret


async def delete_client(
    session: AsyncSession, settings: Settings, principal: Principal, api_client_id: uuid.UUID
) -> None:
    principal.require_admin()
    client = await repository.client_by_id(session, api_client_id)
    if client is None:
        raise NotFound(f"No API client {api_client_id}.")
    await audited_delete(session, principal, client, entity_type="api_client", snapshot=_client_snapshot)
    await revocation.revoke(session, settings, f"client:{client.client_id}")


async def user_of(session: AsyncSession, principal: Principal) -> UserRow | None:
    """The signed-in person's own record (none for API clients, or people of an external identity provider)."""
    if not principal.subject.startswith("user:"):
        return None
    try:
        user_id = uuid.UUID(principal.subject.removeprefix("user:"))
    except ValueError:
        return None
    return await session.get(UserRow, user_id)


async def update_own_settings(session: AsyncSession, principal: Principal, data: MeUpdate) -> None:
    """People change their own language; audited like any change to a user."""
    user = await user_of(session, principal)
    if user is None:
        raise Forbidden("Only people with an account here have settings to change.")
    before = {"language": user.language}
    user.language = data.language
    await session.flush()
    if before["language"] != user.language:
        record(
            session,
            principal,
            entity_type="user",
            entity_id=user.id,
            action="update",
            before=before,
            after={"language": user.language},
        )


async def me(session: AsyncSession, principal: Principal) -> Me:
    """Who the token says the caller is, with the names of the organisations its grants name."""
    ids = {g.organisation_id for g in principal.grants if g.organisation_id}
    if principal.organisation_id:
        ids.add(principal.organisation_id)
    names = await repository.organisation_names(session, ids)

    def grant(role: Role, organisation_id: uuid.UUID | None, country: str | None) -> MeGrant:
        name, acronym = names.get(organisation_id, (None, None)) if organisation_id else (None, None)
        return MeGrant(
            role=role,
            organisation_id=organisation_id,
            country_code=country,
            organisation_name=name,
            organisation_acronym=acronym,
        )

    own = names.get(principal.organisation_id) if principal.organisation_id else None
    user = await user_of(session, principal)
    return Me(
        subject=principal.subject,
        name=principal.name,
        organisation_id=principal.organisation_id,
        organisation_name=own[0] if own else None,
        language=user.language if user is not None else None,
        grants=[grant(g.role, g.organisation_id, g.country) for g in principal.grants],
    )


async def users_page(session: AsyncSession, principal: Principal, q: str | None, page: PageParams) -> Page[User]:
    principal.require_admin()
    rows, total = await repository.list_users(session, q=q, offset=page.offset, limit=page.page_size)
    return Page.of([User.model_validate(u) for u in rows], total, page)


async def clients_page(session: AsyncSession, principal: Principal, page: PageParams) -> Page[ApiClient]:
    principal.require_admin()
    rows, total = await repository.list_clients(session, offset=page.offset, limit=page.page_size)
    return Page.of([ApiClient.model_validate(c) for c in rows], total, page)


async def throttled(
    session: AsyncSession,
    settings: Settings,
    account: str,
    address: str | None,
    grant: Callable[[], Awaitable[IssuedTokens]],
) -> IssuedTokens:
    """A sign-in under the throttle (identity/throttle.py): 429 while its account or address is locked; a failure
    is counted and committed before the error goes out (the request's transaction would roll it back)."""
    keys = throttle.keys_for(settings, account=account, address=address)
    await throttle.guard(session, keys)
    try:
        issued = await grant()
    except InvalidGrant:
        await throttle.failed(session, settings, keys)
        await session.commit()
        raise
    await throttle.succeeded(session, keys[0])
    return issued
