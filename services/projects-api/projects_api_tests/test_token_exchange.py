"""Token exchange (RFC 8693) for the registry's own services: only a client marked to act for users gets a user's
token, with that user's grants as they are now, an `act` claim naming the client, and a short life."""

from __future__ import annotations

import httpx
import jwt
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.identity.passwords import hash_secret
from projects_api_tests import factories

pytestmark = pytest.mark.asyncio(loop_scope="session")

API = "/api/projects/v1"
EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
SECRET = "s" * 32


async def _service_client(session: AsyncSession, *, acts_for_users: bool) -> str:
    client = await factories.create_api_client(session)
    client.secret_hash, client.acts_for_users = hash_secret(SECRET), acts_for_users
    await session.flush()
    return client.client_id


async def _exchange(client: httpx.AsyncClient, cid: str, subject: str) -> httpx.Response:
    return await client.post(
        f"{API}/auth/token", data={"grant_type": EXCHANGE, "requested_subject": subject}, auth=(cid, SECRET)
    )


async def test_a_service_client_gets_a_users_current_rights(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await _service_client(session, acts_for_users=True)
    user = await factories.create_user(session, grants=(("reporter", None, "GE"),))
    answer = await _exchange(client, cid, f"user:{user.id}")
    assert answer.status_code == 200, answer.text
    claims = jwt.decode(answer.json()["access_token"], options={"verify_signature": False})
    assert claims["sub"] == f"user:{user.id}"
    assert claims["act"] == {"sub": f"client:{cid}"}
    assert claims["grants"] == [{"role": "reporter", "country": "GE"}]
    assert answer.json()["expires_in"] == 300 and "refresh_token" not in answer.json()

    user.is_active = False  # disabled since the upload: the job's rights check stops here
    await session.flush()
    refused = await _exchange(client, cid, f"user:{user.id}")
    assert refused.status_code == 400


async def test_only_clients_marked_to_act_for_users_may(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await _service_client(session, acts_for_users=False)
    user = await factories.create_user(session, grants=(("admin", None, None),))
    refused = await _exchange(client, cid, f"user:{user.id}")
    assert refused.status_code == 400
    assert "may not act for users" in refused.json()["detail"]


@pytest.mark.parametrize("subject", ["user:not-a-uuid", "user:00000000-0000-0000-0000-000000000000", "robot:1", ""])
async def test_unknown_subjects_are_refused(client: httpx.AsyncClient, session: AsyncSession, subject: str) -> None:
    cid = await _service_client(session, acts_for_users=True)
    answer = await _exchange(client, cid, subject)
    assert answer.status_code == 400, answer.text


async def test_a_wrong_secret_gets_nothing(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await _service_client(session, acts_for_users=True)
    user = await factories.create_user(session, grants=(("viewer", None, None),))
    answer = await client.post(
        f"{API}/auth/token", data={"grant_type": EXCHANGE, "requested_subject": f"user:{user.id}"}, auth=(cid, "wrong")
    )
    # RFC 6749 §5.2: a client that authenticated with the Authorization header and failed is answered 401.
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert answer.headers["www-authenticate"].startswith("Basic")
