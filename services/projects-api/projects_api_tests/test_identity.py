"""Identity: OAuth2 grants, rotating refresh tokens, API clients, JWKS, and no development key in production."""

from __future__ import annotations

from datetime import timedelta

import httpx
import jwt
import pytest
from pydantic import SecretStr, ValidationError
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.identity.models import RefreshToken, RoleGrant, User
from projects_api.identity.passwords import hash_secret
from projects_api.settings import Settings
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import create_org
from registry_kit.auth import Role, StaticKeys, TokenVerifier
from registry_kit.errors import Unauthorized
from registry_kit.settings import Environment

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
PASSWORD = "correct horse battery"


async def _user(session: AsyncSession, email: str = "nino@example.org", active: bool = True) -> User:
    org = await create_org(session, "IOM Tbilisi", country="GE")
    user = User(
        email=email,
        name="Nino",
        password_hash=hash_secret(PASSWORD),
        organisation_id=org.id,
        is_active=active,
        grants=[RoleGrant(role="reporter", country_code="GE")],
    )
    session.add(user)
    await session.flush()
    return user


async def _password_login(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, **headers: str
) -> httpx.Response:
    return await client.post(
        f"{API}/auth/token", data={"grant_type": "password", "username": email, "password": password}, headers=headers
    )


async def test_password_grant_gives_a_verifiable_token_with_the_users_grants(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await _user(session)
    r = await _password_login(client, "NINO@example.org")  # emails match without case
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900 and body["refresh_token"]
    me = (await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})).json()
    assert me["subject"] == f"user:{user.id}"
    assert me["grants"] == [
        {
            "role": "reporter",
            "organisation_id": None,
            "country_code": "GE",
            "organisation_name": None,
            "organisation_acronym": None,
        }
    ]
    assert me["organisation_name"] == "IOM Tbilisi"
    jwks = (await client.get(f"{API}/auth/jwks")).json()
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "ES256" and header["kid"] == jwks["keys"][0]["kid"]
    assert "d" not in jwks["keys"][0]  # the public half only


@pytest.mark.parametrize(
    ("email", "password"), [("nino@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)]
)
async def test_wrong_credentials_are_refused_alike(
    client: httpx.AsyncClient, session: AsyncSession, email: str, password: str
) -> None:
    await _user(session)
    r = await _password_login(client, email, password)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"  # RFC 6749 §5.2
    assert r.json()["error"] == "invalid_grant"
    assert r.json()["type"].endswith("/invalid-grant")  # the problem members stay beside
    assert "access_token" not in r.text


async def test_disabled_account_cannot_sign_in(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await _user(session, active=False)
    assert (await _password_login(client, "nino@example.org")).status_code == 400


async def test_refresh_token_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _user(session)
    first = (await _password_login(client, "nino@example.org")).json()["refresh_token"]
    r = await client.post(f"{API}/auth/token", data={"grant_type": "refresh_token", "refresh_token": first})
    assert r.status_code == 200, r.text
    second = r.json()["refresh_token"]
    assert second != first
    # A minute later (past the reuse grace), the first token comes back: stolen.
    await session.execute(update(RefreshToken).values(used_at=RefreshToken.used_at - timedelta(minutes=1)))
    replay = await client.post(f"{API}/auth/token", data={"grant_type": "refresh_token", "refresh_token": first})
    assert replay.status_code == 400  # a stolen token replayed
    after = await client.post(f"{API}/auth/token", data={"grant_type": "refresh_token", "refresh_token": second})
    assert after.status_code == 400  # the whole family is signed out


async def test_a_refresh_token_presented_again_within_seconds_still_works(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _user(session)
    first = (await _password_login(client, "nino@example.org")).json()["refresh_token"]
    body = {"grant_type": "refresh_token", "refresh_token": first}
    lost = await client.post(f"{API}/auth/token", data=body)  # the answer never reached the browser
    again = await client.post(f"{API}/auth/token", data=body)
    assert lost.status_code == 200
    assert again.status_code == 200, again.text
    assert (
        await client.post(
            f"{API}/auth/token", data={"grant_type": "refresh_token", "refresh_token": again.json()["refresh_token"]}
        )
    ).status_code == 200


async def test_refresh_token_can_live_in_an_httponly_cookie(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await _user(session)
    r = await _password_login(client, "nino@example.org", **{"X-Refresh-Cookie": "true"})
    assert "refresh_token" not in r.json()
    cookie = r.headers["set-cookie"]
    assert "mcb_refresh=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/api/projects/v1/auth" in cookie
    hint = next(c for c in r.headers.get_list("set-cookie") if c.startswith("mcb_session="))
    assert "HttpOnly" not in hint and "Path=/" in hint  # the page may read it: it says a session exists, no more
    refreshed = await client.post(
        f"{API}/auth/token", data={"grant_type": "refresh_token"}, headers={"X-Refresh-Cookie": "true"}
    )
    assert refreshed.status_code == 200, refreshed.text
    logout = await client.post(f"{API}/auth/logout")
    assert logout.status_code == 204
    again = await client.post(f"{API}/auth/token", data={"grant_type": "refresh_token"})
    assert again.status_code == 401
    assert again.json()["error"] == "invalid_request"


async def test_a_refresh_without_any_token_is_401(client: httpx.AsyncClient) -> None:
    """An anonymous page load asks for a refresh: it gets 401 (no session), not 400 (a malformed request)."""
    r = await client.post(
        f"{API}/auth/token", data={"grant_type": "refresh_token"}, headers={"X-Refresh-Cookie": "true"}
    )
    assert r.status_code == 401
    body = r.json()
    assert body["error"] == "invalid_request" and body["error_description"].startswith("No refresh token")
    assert body["status"] == 401
    assert "access_token" not in r.text
    cleared = r.headers.get_list("set-cookie")
    assert cleared and all('=""' in c and "Max-Age=0" in c for c in cleared)  # a stale session hint goes too


async def test_me_names_the_organisations_of_the_grants(client: httpx.AsyncClient, session: AsyncSession) -> None:
    org = await create_org(session, "IOM Prague", country="CZ")
    org.acronym = "IOM CZ"
    user = User(
        email="petra@example.org",
        name="Petra",
        password_hash=hash_secret(PASSWORD),
        organisation_id=org.id,
        grants=[RoleGrant(role="manager", organisation_id=org.id), RoleGrant(role="viewer")],
    )
    session.add(user)
    await session.flush()
    token = (await _password_login(client, "petra@example.org")).json()["access_token"]
    me = (await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token}"})).json()
    assert me["organisation_name"] == "IOM Prague"
    by_role = {g["role"]: g for g in me["grants"]}
    assert by_role["manager"]["organisation_name"] == "IOM Prague"
    assert by_role["manager"]["organisation_acronym"] == "IOM CZ"
    assert by_role["viewer"]["organisation_name"] is None


async def test_api_client_uses_client_credentials(client: httpx.AsyncClient, tokens: Tokens) -> None:
    created = await client.post(
        f"{API}/api-clients", json={"name": "Statistics office", "grants": [{"role": "viewer"}]}, headers=tokens.admin()
    )
    assert created.status_code == 201, created.text
    cid, secret = created.json()["client_id"], created.json()["client_secret"]
    listed = (await client.get(f"{API}/api-clients", headers=tokens.admin())).json()
    assert "client_secret" not in str(listed)
    r = await client.post(f"{API}/auth/token", data={"grant_type": "client_credentials"}, auth=(cid, secret))
    assert r.status_code == 200, r.text
    assert "refresh_token" not in r.json()
    me = (await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})).json()
    assert me["subject"] == f"client:{cid}"
    wrong = await client.post(
        f"{API}/auth/token", data={"grant_type": "client_credentials", "client_id": cid, "client_secret": "nope"}
    )
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    basic = await client.post(f"{API}/auth/token", data={"grant_type": "client_credentials"}, auth=(cid, "nope"))
    assert (basic.status_code, basic.json()["error"]) == (401, "invalid_client")
    assert basic.headers["www-authenticate"].startswith("Basic")  # RFC 6749: the client authenticated by header


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({}, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type"),
        ({"grant_type": "password", "username": "nino@example.org"}, "invalid_request"),
        ({"grant_type": "client_credentials"}, "invalid_request"),
    ],
)
async def test_token_request_errors_are_rfc_6749(client: httpx.AsyncClient, form: dict[str, str], error: str) -> None:
    """What a standard OAuth2 client reads: 400, `error` and `error_description`, JSON, never cached."""
    r = await client.post(f"{API}/auth/token", data=form)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["error"] == error
    assert body["error_description"] and body["detail"] == body["error_description"] and body["status"] == 400


async def test_a_json_token_request_is_an_rfc_6749_error(client: httpx.AsyncClient) -> None:
    r = await client.post(f"{API}/auth/token", json={"grant_type": "password"})
    assert (r.status_code, r.json()["error"]) == (400, "invalid_request")


@pytest.mark.parametrize(
    ("header", "detail"),
    [("Bearer not.a.jwt", "malformed"), ("Basic abc", "Bearer"), ("Bearer " + "e30.e30.sig", "")],
)
async def test_bad_bearer_tokens_are_401(client: httpx.AsyncClient, header: str, detail: str) -> None:
    r = await client.get(f"{API}/auth/me", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert detail in r.json()["detail"]


async def test_expired_and_foreign_tokens_are_refused(app: object, settings: Settings) -> None:
    from datetime import UTC, datetime, timedelta

    from cryptography.hazmat.primitives.asymmetric import ec

    key = app.state.signing_key  # type: ignore[attr-defined]
    verifier = TokenVerifier(
        StaticKeys(key.jwks), issuer=settings.auth_issuer, audience=settings.auth_audience, leeway=0
    )
    now = datetime.now(UTC)
    base = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": "user:x",
        "iat": now,
        "grants": [{"role": "admin"}],
    }
    expired = jwt.encode(
        {**base, "exp": now - timedelta(seconds=5)}, key.private_key, "ES256", headers={"kid": key.kid}
    )
    with pytest.raises(Unauthorized, match="expired"):
        await verifier.verify(expired)
    other_audience = jwt.encode(
        {**base, "aud": "someone-else", "exp": now + timedelta(minutes=5)},
        key.private_key,
        "ES256",
        headers={"kid": key.kid},
    )
    with pytest.raises(Unauthorized):
        await verifier.verify(other_audience)
    forged = jwt.encode(
        {**base, "exp": now + timedelta(minutes=5)},
        ec.generate_private_key(ec.SECP256R1()),
        "ES256",
        headers={"kid": key.kid},
    )
    with pytest.raises(Unauthorized):
        await verifier.verify(forged)
    good = await verifier.verify(
        jwt.encode({**base, "exp": now + timedelta(minutes=5)}, key.private_key, "ES256", headers={"kid": key.kid})
    )
    assert good.is_admin and good.grants[0].role is Role.admin


async def test_production_refuses_to_start_without_a_real_key() -> None:
    db = SecretStr("postgresql+asyncpg://u:p@db/projects")
    with pytest.raises(ValidationError, match="PROJECTS_JWT_PRIVATE_KEY"):
        Settings(environment=Environment.production, database_url=db)
    dev_key = "# DEVELOPMENT KEY: generated locally\n-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n"
    with pytest.raises(ValidationError, match="development key"):
        Settings(environment=Environment.production, database_url=db, jwt_private_key=SecretStr(dev_key))
    with pytest.raises(ValidationError, match="DATABASE_URL"):
        Settings(environment=Environment.production, jwt_private_key=SecretStr("-----BEGIN PRIVATE KEY-----"))


async def test_users_are_managed_by_admins_with_grants(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    org = await create_org(session, "IOM Prague")
    body = {
        "email": "new.manager@example.org",
        "name": "New Manager",
        "password": "a long enough passphrase",
        "organisation_id": str(org.id),
        "grants": [{"role": "manager", "organisation_id": str(org.id)}],
    }
    created = await client.post(f"{API}/users", json=body, headers=tokens.admin())
    assert created.status_code == 201, created.text
    assert "password" not in created.text
    duplicate = await client.post(
        f"{API}/users", json={**body, "email": "NEW.manager@example.org"}, headers=tokens.admin()
    )
    assert duplicate.status_code == 409
    login = await _password_login(client, "new.manager@example.org", "a long enough passphrase")
    assert login.status_code == 200
    bad = await client.post(
        f"{API}/users",
        json={**body, "email": "x@example.org", "grants": [{"role": "admin", "country_code": "GE"}]},
        headers=tokens.admin(),
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"].startswith("body.grants[0]")
