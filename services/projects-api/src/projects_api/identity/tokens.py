"""Signing access tokens and minting opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from projects_api.identity.keys import SigningKey
from projects_api.settings import Settings
from registry_kit.auth import Grant


def issue_access_token(
    key: SigningKey,
    settings: Settings,
    *,
    subject: str,
    name: str,
    organisation_id: uuid.UUID | None,
    grants: list[Grant],
    actor: str | None = None,
    lifetime: timedelta | None = None,
) -> tuple[str, int]:
    """`actor`: the client acting for `subject` (RFC 8693's `act` claim), on a token of its own `lifetime`."""
    now = datetime.now(UTC)
    lifetime = lifetime or timedelta(minutes=settings.access_token_minutes)
    claims: dict[str, Any] = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": subject,
        "name": name,
        "org": str(organisation_id) if organisation_id else None,
        settings.auth_grants_claim: [g.to_claim() for g in grants],
        # To the millisecond: a revocation refuses exactly the tokens issued before it (identity/revocation.py).
        "iat": round(now.timestamp(), 3),
        "nbf": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        "typ": "access",
    }
    if actor:
        claims["act"] = {"sub": actor}
    token = jwt.encode(claims, key.private_key, algorithm="ES256", headers={"kid": key.kid})
    return token, int(lifetime.total_seconds())


def new_refresh_token() -> tuple[str, str]:
    """A random token for the client, and the hash we keep of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
