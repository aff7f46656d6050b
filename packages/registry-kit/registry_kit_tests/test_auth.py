"""Token verification from an issuer's JWKS: caching, key rotation, an unreachable issuer, grants in claims."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from registry_kit.auth import Grant, RemoteJWKS, Role, TokenVerifier
from registry_kit.errors import DependencyUnavailable, Unauthorized

pytestmark = pytest.mark.asyncio(loop_scope="session")
ISSUER, AUDIENCE = "https://id.example.org/realms/mcb", "mcb-registry"


def _jwk(key: ec.EllipticCurvePrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "alg": "ES256", "use": "sig"}


def _token(key: ec.EllipticCurvePrivateKey, kid: str, **claims: Any) -> str:
    now = datetime.now(UTC)
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user:1", "iat": now, "exp": now + timedelta(minutes=5), **claims}
    return jwt.encode(body, key, "ES256", headers={"kid": kid})


class Issuer:
    """An external OIDC issuer (e.g. Keycloak): outside the system, so its JWKS endpoint is simulated."""

    def __init__(self) -> None:
        self.keys: dict[str, ec.EllipticCurvePrivateKey] = {"k1": ec.generate_private_key(ec.SECP256R1())}
        self.calls = 0
        self.down = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.down:
            return httpx.Response(503)
        return httpx.Response(200, json={"keys": [_jwk(k, kid) for kid, k in self.keys.items()]})


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


def _verifier(issuer: Issuer, grants_claim: str = "grants") -> TokenVerifier:
    client = httpx.AsyncClient(transport=httpx.MockTransport(issuer.handler))
    return TokenVerifier(
        RemoteJWKS(client, "https://id.example.org/jwks"), issuer=ISSUER, audience=AUDIENCE, grants_claim=grants_claim
    )


async def test_keys_are_fetched_once_and_cached(issuer: Issuer) -> None:
    verifier = _verifier(issuer)
    org = uuid.uuid4()
    token = _token(issuer.keys["k1"], "k1", grants=[{"role": "manager", "org": str(org)}, {"role": "nonsense"}])
    for _ in range(3):
        principal = await verifier.verify(token)
    assert issuer.calls == 1
    assert principal.grants == (Grant(Role.manager, org, None),)  # a grant it does not understand gives nothing


async def test_a_rotated_key_is_picked_up(issuer: Issuer, monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = _verifier(issuer)
    await verifier.verify(_token(issuer.keys["k1"], "k1"))
    issuer.keys["k2"] = ec.generate_private_key(ec.SECP256R1())
    jwks = verifier.keys
    assert isinstance(jwks, RemoteJWKS)
    monkeypatch.setattr(jwks, "_fetched_at", jwks._fetched_at - 11)  # the refresh throttle has passed
    principal = await verifier.verify(_token(issuer.keys["k2"], "k2", name="Rotated"))
    assert principal.name == "Rotated"
    assert issuer.calls == 2


async def test_unknown_key_and_unreachable_issuer(issuer: Issuer) -> None:
    stranger = ec.generate_private_key(ec.SECP256R1())
    verifier = _verifier(issuer)
    with pytest.raises(Unauthorized, match="unknown key"):
        await verifier.verify(_token(stranger, "k9"))
    issuer.down = True
    cold = _verifier(issuer)
    with pytest.raises(DependencyUnavailable) as raised:
        await cold.verify(_token(issuer.keys["k1"], "k1"))
    assert raised.value.headers["Retry-After"] == "5"


async def test_grants_claim_name_is_configurable(issuer: Issuer) -> None:
    verifier = _verifier(issuer, grants_claim="mcb_grants")
    principal = await verifier.verify(_token(issuer.keys["k1"], "k1", mcb_grants=[{"role": "viewer", "country": "GE"}]))
    assert principal.grants == (Grant(Role.viewer, None, "GE"),)
    assert not principal.has_global(Role.viewer)


async def test_refresh_tokens_are_not_access_tokens(issuer: Issuer) -> None:
    with pytest.raises(Unauthorized, match="not an access token"):
        await _verifier(issuer).verify(_token(issuer.keys["k1"], "k1", typ="refresh"))


async def test_a_verified_token_is_remembered_until_it_expires(issuer: Issuer, monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = _verifier(issuer)
    token = _token(issuer.keys["k1"], "k1", exp=datetime.now(UTC) + timedelta(seconds=60))
    first = await verifier.verify(token)
    checks = 0
    original = jwt.decode

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal checks
        checks += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting)
    assert await verifier.verify(token) is first
    assert checks == 0  # the signature was not checked again
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(Unauthorized):
        await verifier.verify(tampered)  # a different text is verified on its own, never matched to the first
    checks = 0
    later = datetime.now(UTC).timestamp() + 60 + verifier.leeway + 1
    monkeypatch.setattr("registry_kit.auth.time.time", lambda: later)
    await verifier.verify(token)
    assert checks == 1  # past its expiry it is no longer taken from memory: the full check runs (and refuses it then)
