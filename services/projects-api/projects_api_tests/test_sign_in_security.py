"""Sign-in throttling and token revocation, through the token endpoint: too many failures lock an account, an
address or an API client with a doubling lock (429 + Retry-After), kept in PostgreSQL for every replica; a disabled
user's or removed client's tokens stop working at once, not 15 minutes later."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from projects_api.identity.models import LoginThrottle, RoleGrant, User
from projects_api.identity.passwords import hash_secret
from projects_api.main import create_app
from projects_api.settings import Settings
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import create_org
from registry_testing import app_client

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
PASSWORD = "correct horse battery"


async def _user(session: AsyncSession, email: str) -> User:
    org = await create_org(session, "IOM Tbilisi", country="GE")
    user = User(
        email=email,
        name="Nino",
        password_hash=hash_secret(PASSWORD),
        organisation_id=org.id,
        grants=[RoleGrant(role="reporter", country_code="GE")],
    )
    session.add(user)
    await session.flush()
    return user


async def _login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    form = {"grant_type": "password", "username": email, "password": password}
    return await client.post(f"{API}/auth/token", data=form)


async def _time_passes(session: AsyncSession) -> None:
    """Every lock ends (as if its time had passed); the failures stay counted."""
    await session.execute(text("UPDATE login_throttle SET locked_until = now() - interval '1 second'"))


def _retry_after(answer: httpx.Response) -> int:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/too-many-requests")
    return int(answer.headers["retry-after"])


async def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _user(session, "nino@example.org")
    for _ in range(5):
        assert (await _login(client, "nino@example.org", "guess")).status_code == 400

    locked = await _login(client, "NINO@example.org")  # the account, whatever the case of its email

    assert _retry_after(locked) == 2  # the first lock: login_lockout_base_seconds
    assert await session.scalar(select(func.count()).select_from(LoginThrottle)) == 2  # the account and the address


async def test_each_further_failure_doubles_the_lock_and_a_success_forgets_the_account(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    await _user(session, "nino@example.org")
    for _ in range(5):
        await _login(client, "nino@example.org", "guess")
    waits = []
    for _ in range(3):
        await _time_passes(session)
        assert (await _login(client, "nino@example.org", "guess")).status_code == 400
        waits.append(_retry_after(await _login(client, "nino@example.org")))
    assert waits == [4, 8, 16]

    await _time_passes(session)
    assert (await _login(client, "nino@example.org")).status_code == 200
    assert (await _login(client, "nino@example.org", "guess")).status_code == 400  # counting starts again
    assert (await _login(client, "nino@example.org")).status_code == 200


@pytest_asyncio.fixture
async def strict_app(settings: Settings, connection: AsyncConnection) -> AsyncIterator[FastAPI]:
    """projects-api allowing 3 failures per address (the default 20 makes a slow test: argon2 on every guess)."""
    strict = create_app(settings.model_copy(update={"login_max_failures_per_address": 3}))
    async with LifespanManager(strict), app_client(strict, connection):
        yield strict


async def test_one_address_guessing_many_accounts_is_locked(strict_app: FastAPI, session: AsyncSession) -> None:
    await _user(session, "nino@example.org")

    def from_address(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=strict_app, client=(address, 4000))
        return httpx.AsyncClient(transport=transport, base_url="http://test")

    guesser, other = from_address("203.0.113.7"), from_address("198.51.100.9")
    for i in range(3):  # each account stays under its own limit
        assert (await _login(guesser, f"someone{i}@example.org", "guess")).status_code == 400
    assert _retry_after(await _login(guesser, "nino@example.org")) == 2
    assert (await _login(other, "nino@example.org")).status_code == 200


async def test_an_api_client_is_locked_by_its_id(client: httpx.AsyncClient, session: AsyncSession) -> None:
    form = {"grant_type": "client_credentials", "client_id": "mcb-guessed", "client_secret": "guess"}
    for _ in range(5):
        assert (await client.post(f"{API}/auth/token", data=form)).status_code == 401  # RFC 6749: invalid_client
    assert _retry_after(await client.post(f"{API}/auth/token", data=form)) == 2


@pytest_asyncio.fixture
async def second_replica(settings: Settings, connection: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    """Another projects-api process on the same database (here: the test's transaction)."""
    replica = create_app(settings)
    async with LifespanManager(replica), app_client(replica, connection) as client:
        yield client


async def test_the_lock_holds_on_every_replica(
    client: httpx.AsyncClient, second_replica: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _user(session, "nino@example.org")
    for _ in range(5):
        await _login(client, "nino@example.org", "guess")
    assert _retry_after(await _login(second_replica, "nino@example.org")) == 2


async def _bearer(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    answer = await _login(client, email)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def _patch_user(client: httpx.AsyncClient, tokens: Tokens, user: User, body: dict[str, object]) -> None:
    current = await client.get(f"{API}/users/{user.id}", headers=tokens.admin())
    answer = await client.patch(
        f"{API}/users/{user.id}", json=body, headers={**tokens.admin(), "If-Match": current.headers["ETag"]}
    )
    assert answer.status_code == 200, answer.text


async def test_a_disabled_users_access_token_stops_working_at_once(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    user = await _user(session, "nino@example.org")
    bearer = await _bearer(client, "nino@example.org")
    assert (await client.get(f"{API}/auth/me", headers=bearer)).status_code == 200

    await _patch_user(client, tokens, user, {"is_active": False})

    refused = await client.get(f"{API}/auth/me", headers=bearer)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    published = (await client.get(f"{API}/auth/revocations")).json()["revocations"]
    assert f"user:{user.id}" in [r["subject"] for r in published]


async def test_changed_grants_revoke_the_old_token_and_a_new_sign_in_carries_the_new_grants(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    user = await _user(session, "nino@example.org")
    bearer = await _bearer(client, "nino@example.org")

    await _patch_user(client, tokens, user, {"grants": [{"role": "viewer", "country_code": "GE"}]})

    assert (await client.get(f"{API}/auth/me", headers=bearer)).status_code == 401
    fresh = await client.get(f"{API}/auth/me", headers=await _bearer(client, "nino@example.org"))
    assert fresh.status_code == 200
    assert [g["role"] for g in fresh.json()["grants"]] == ["viewer"]


async def test_a_name_change_revokes_nothing(client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens) -> None:
    user = await _user(session, "nino@example.org")
    bearer = await _bearer(client, "nino@example.org")
    await _patch_user(client, tokens, user, {"name": "Nino B."})
    assert (await client.get(f"{API}/auth/me", headers=bearer)).status_code == 200


async def test_a_removed_api_clients_token_stops_working(client: httpx.AsyncClient, tokens: Tokens) -> None:
    created = (
        await client.post(
            f"{API}/api-clients", json={"name": "Donor system", "grants": [{"role": "viewer"}]}, headers=tokens.admin()
        )
    ).json()
    form = {
        "grant_type": "client_credentials",
        "client_id": created["client_id"],
        "client_secret": created["client_secret"],
    }
    token = (await client.post(f"{API}/auth/token", data=form)).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await client.get(f"{API}/changes", headers=bearer)).status_code == 200

    assert (await client.delete(f"{API}/api-clients/{created['id']}", headers=tokens.admin())).status_code == 204

    assert (await client.get(f"{API}/changes", headers=bearer)).status_code == 401
