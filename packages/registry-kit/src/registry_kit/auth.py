"""Who is calling: bearer JWTs verified from the issuer's JWKS, turned into a Principal with grants."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

import httpx
import jwt
from jwt import PyJWK

from registry_kit.errors import DependencyUnavailable, Forbidden, Unauthorized

logger = logging.getLogger(__name__)

ALGORITHMS = ["ES256", "RS256", "EdDSA"]


class Role(StrEnum):
    viewer = "viewer"
    reporter = "reporter"
    manager = "manager"
    admin = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Role.viewer: 0, Role.reporter: 1, Role.manager: 2, Role.admin: 3}


@dataclass(frozen=True)
class Grant:
    """A role, valid everywhere or only for projects of one organisation (and its children) or country."""

    role: Role
    organisation_id: UUID | None = None
    country: str | None = None

    @property
    def is_global(self) -> bool:
        return self.organisation_id is None and self.country is None

    def to_claim(self) -> dict[str, str]:
        claim = {"role": self.role.value}
        if self.organisation_id:
            claim["org"] = str(self.organisation_id)
        if self.country:
            claim["country"] = self.country
        return claim

    @classmethod
    def from_claim(cls, claim: Mapping[str, Any]) -> Grant:
        org = claim.get("org")
        return cls(Role(claim["role"]), UUID(org) if org else None, claim.get("country"))


@dataclass(frozen=True)
class Principal:
    subject: str
    name: str
    organisation_id: UUID | None
    grants: tuple[Grant, ...]
    token: str = field(repr=False, default="")

    @property
    def is_admin(self) -> bool:
        return any(g.role is Role.admin for g in self.grants)

    def grants_at_least(self, role: Role) -> list[Grant]:
        return [g for g in self.grants if g.role.rank >= role.rank]

    def has_global(self, role: Role) -> bool:
        return any(g.is_global for g in self.grants_at_least(role))

    def require(self, role: Role) -> None:
        """Refuse unless some grant reaches `role` (scope is checked by the caller)."""
        if not self.grants_at_least(role):
            raise Forbidden(f"This needs the {role.value} role.")

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("This needs the admin role.")


class KeySource(Protocol):
    async def key_for(self, kid: str | None) -> PyJWK: ...


class StaticKeys:
    """Keys known in-process (the built-in issuer verifying its own tokens)."""

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = {k.get("kid"): PyJWK.from_dict(dict(k)) for k in jwks["keys"]}

    async def key_for(self, kid: str | None) -> PyJWK:
        key = self._keys.get(kid)
        if key is None:
            raise Unauthorized("The token was signed with an unknown key.")
        return key


class RemoteJWKS:
    """The issuer's JWKS fetched over HTTP, cached, refreshed on an unknown key id (at most every 10 s)."""

    def __init__(self, client: httpx.AsyncClient, url: str, cache_seconds: int = 300) -> None:
        self._client = client
        self._url = url
        self._ttl = cache_seconds
        self._keys: dict[str | None, PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def _refresh(self) -> None:
        try:
            response = await self._client.get(self._url)
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("jwks fetch failed", extra={"url": self._url, "error": str(exc)})
            if not self._keys:
                raise DependencyUnavailable(
                    "The identity provider cannot be reached to verify the token.",
                    headers={"Retry-After": "5"},
                ) from exc
            return
        keys: dict[str | None, PyJWK] = {}
        for entry in body.get("keys", []):
            try:
                keys[entry.get("kid")] = PyJWK.from_dict(entry)
            except jwt.PyJWTError:
                continue  # keys for algorithms we do not use
        self._keys = keys
        self._fetched_at = time.monotonic()

    async def key_for(self, kid: str | None) -> PyJWK:
        now = time.monotonic()
        stale = now - self._fetched_at > self._ttl
        unknown = kid not in self._keys and now - self._fetched_at > 10
        if stale or unknown:
            async with self._lock:
                if time.monotonic() - self._fetched_at > min(self._ttl, 10) or not self._keys:
                    await self._refresh()
        key = self._keys.get(kid)
        if key is None:
            raise Unauthorized("The token was signed with an unknown key.")
        return key


class RevocationSource(Protocol):
    async def cutoff(self, subject: str) -> float | None:
        """The time (epoch seconds) before which every token of `subject` is revoked, if any."""
        ...


Revocations = Mapping[str, float]


class CachedRevocations:
    """The issuer's revoked subjects, fetched at most every `ttl` seconds and kept in memory, so the check on each
    request is a dictionary lookup. A user disabled (or whose grants or password changed) loses every access token
    issued before, on every replica, within `ttl` seconds. When the list cannot be fetched the last one is kept (and
    the failure logged): tokens stay as valid as their 15 minutes would make them, the service stays up."""

    def __init__(self, fetch: Callable[[], Awaitable[Revocations]], ttl: float) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._cutoffs: Revocations = {}
        self._fetched_at = -float("inf")
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        """Fetch again before the next check (this process just wrote a revocation)."""
        self._fetched_at = -float("inf")

    async def cutoff(self, subject: str) -> float | None:
        if time.monotonic() - self._fetched_at >= self._ttl:
            async with self._lock:
                if time.monotonic() - self._fetched_at >= self._ttl:
                    await self._refresh()
        return self._cutoffs.get(subject)

    async def _refresh(self) -> None:
        try:
            self._cutoffs = dict(await self._fetch())
        except Exception as exc:  # the check fails open: logged, the last list kept
            logger.warning("revocation list fetch failed", extra={"error": f"{type(exc).__name__}: {exc}"})
        self._fetched_at = time.monotonic()


def remote_revocations(client: httpx.AsyncClient, url: str, ttl: float) -> CachedRevocations:
    """The list the built-in issuer publishes (GET …/auth/revocations), for a service that verifies its tokens."""

    async def fetch() -> Revocations:
        response = await client.get(url)
        response.raise_for_status()
        return {str(r["subject"]): float(r["revoked_at"]) for r in response.json()["revocations"]}

    return CachedRevocations(fetch, ttl)


class TokenVerifier:
    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        grants_claim: str = "grants",
        leeway: int = 30,
        remember: int = 10_000,
        revocations: RevocationSource | None = None,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.grants_claim = grants_claim
        self.leeway = leeway
        self.revocations = revocations
        # Clients send the same token on every request until it expires; checking its signature each time was the
        # largest single cost of a cached read (BENCHMARKS.md). A token already verified is remembered, keyed by its
        # whole text (signature included, so nothing forged can match), until its own expiry.
        self._verified: OrderedDict[str, tuple[Principal, float, float]] = OrderedDict()
        self._remember = remember

    async def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None and time.time() > known[1]:
            del self._verified[token]
            known = None
        if known is not None:
            self._verified.move_to_end(token)
        else:
            known = await self._verify_signed(token)
            self._verified[token] = known
            if len(self._verified) > self._remember:
                self._verified.popitem(last=False)
        principal, _, issued_at = known
        await self._check_revocation(principal, issued_at)
        return principal

    async def _check_revocation(self, principal: Principal, issued_at: float) -> None:
        """Also for a remembered token: a revocation applies to tokens already seen."""
        if self.revocations is None:
            return
        cutoff = await self.revocations.cutoff(principal.subject)
        # `iat` has whole seconds: a token of the revocation's own second counts as issued before it.
        if cutoff is not None and issued_at <= cutoff:
            raise Unauthorized("The token was revoked (the account was disabled or its access changed); sign in again.")

    async def _verify_signed(self, token: str) -> tuple[Principal, float, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("The bearer token is malformed.") from exc
        key = await self.keys.key_for(header.get("kid"))
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"The token is not valid: {exc}.") from exc
        if claims.get("typ", "access") != "access":
            raise Unauthorized("This is not an access token.")
        principal = principal_from_claims(claims, self.grants_claim, token)
        return principal, float(claims["exp"]) + self.leeway, float(claims["iat"])


def principal_from_claims(claims: Mapping[str, Any], grants_claim: str, token: str) -> Principal:
    raw_grants: Sequence[Any] = claims.get(grants_claim) or []
    grants = []
    for raw in raw_grants:
        try:
            grants.append(Grant.from_claim(raw))
        except (KeyError, ValueError, TypeError):
            continue  # a grant we do not understand gives nothing
    org = claims.get("org")
    return Principal(
        subject=str(claims["sub"]),
        name=str(claims.get("name") or claims["sub"]),
        organisation_id=UUID(org) if org else None,
        grants=tuple(grants),
        token=token,
    )


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Use the Authorization: Bearer <token> scheme.")
    return token.strip()
