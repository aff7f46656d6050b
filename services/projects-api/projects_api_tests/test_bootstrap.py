"""`python -m projects_api bootstrap` as an operator runs it (a real process, production settings, a fresh database):
it makes the first admin and reporting-api's API client, runs again without changing anything, and what it made
works: the admin signs in, the client reads the change feed and gets a token to act for a user."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import SecretStr

from projects_api.main import create_app
from projects_api.migrate import migrate
from projects_api.settings import Settings
from registry_kit.settings import Environment
from registry_testing import create_test_database, drop_test_database

API = "/api/projects/v1"
ADMIN = "first.admin@registry.example"
FEED_SECRET = "feed-secret-" + "x" * 24


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    url = asyncio.run(create_test_database(f"projects_bootstrap_{uuid.uuid4().hex[:6]}"))
    migrate(url)
    yield url
    asyncio.run(drop_test_database(url))


@pytest.fixture(scope="module")
def key_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


def _environment(database: str, key_pem: str, env: dict[str, str]) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("PROJECTS_")},
        "PROJECTS_ENVIRONMENT": "production",
        "PROJECTS_DATABASE_URL": database,
        "PROJECTS_JWT_PRIVATE_KEY": key_pem,
        "PROJECTS_LOG_JSON": "false",
        **env,
    }


def bootstrap(database: str, key_pem: str, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, exactly as an operator (or the compose one-shot, or the Job) runs it."""
    return subprocess.run(  # noqa: S603 (our interpreter, our module)
        [sys.executable, "-m", "projects_api", "bootstrap", *args],
        input=stdin,
        env=_environment(database, key_pem, env),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent,
    )


def bootstrap_here(
    monkeypatch: pytest.MonkeyPatch, database: str, key_pem: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """The same command line in this process (starting Python again costs seconds on a busy machine)."""
    import contextlib
    import io

    from projects_api.__main__ import main

    with monkeypatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("PROJECTS_")]:
            patch.delenv(name)
        for name, value in _environment(database, key_pem, env).items():
            patch.setenv(name, value)
        patch.setattr(sys, "argv", ["projects_api", "bootstrap", *args])
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit:
            # In a thread of its own: the command runs its own event loop, as it does in its process.
            with ThreadPoolExecutor(1) as pool:
                pool.submit(main).result()
    return subprocess.CompletedProcess(args, int(exit.value.code or 0), out.getvalue(), err.getvalue())


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def client(
    database: str, key_pem: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        environment=Environment.production,
        database_url=SecretStr(database),
        jwt_private_key=SecretStr(key_pem),
        dev_key_path=tmp_path_factory.mktemp("keys") / "unused.pem",
    )
    app = create_app(settings)
    async with LifespanManager(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield client


@pytest.mark.asyncio(loop_scope="session")
async def test_bootstrap_makes_a_working_first_install(
    database: str, key_pem: str, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = bootstrap_here(monkeypatch, database, key_pem, PROJECTS_BOOTSTRAP_ADMIN_EMAIL=ADMIN)
    assert missing.returncode == 2 and "give its password" in missing.stderr
    assert "Traceback" not in missing.stderr

    first = bootstrap(
        database,
        key_pem,
        "--admin-password-stdin",
        stdin="a long first passphrase\n",
        PROJECTS_BOOTSTRAP_ADMIN_EMAIL=ADMIN,
        PROJECTS_FEED_CLIENT_SECRET=FEED_SECRET,
    )
    assert first.returncode == 0, first.stderr
    assert f"admin {ADMIN} created" in first.stdout
    assert "API client reporting-api created" in first.stdout
    assert FEED_SECRET not in first.stdout + first.stderr and "passphrase" not in first.stdout + first.stderr

    again = bootstrap_here(
        monkeypatch,
        database,
        key_pem,
        PROJECTS_BOOTSTRAP_ADMIN_EMAIL=ADMIN,
        PROJECTS_BOOTSTRAP_ADMIN_PASSWORD="another passphrase!",
        PROJECTS_FEED_CLIENT_SECRET=FEED_SECRET,
    )
    assert again.returncode == 0, again.stderr
    assert "exists, an admin; left unchanged" in again.stdout
    assert "reporting-api is as it should be" in again.stdout

    # The admin signs in with the first password (the second run changed nothing) and can administer.
    signed_in = await client.post(
        f"{API}/auth/token", data={"grant_type": "password", "username": ADMIN, "password": "a long first passphrase"}
    )
    assert signed_in.status_code == 200, signed_in.text
    admin = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    users = (await client.get(f"{API}/users", headers=admin)).json()
    assert [u["email"] for u in users["items"]] == [ADMIN]

    # reporting-api's client follows the change feed and acts for the admin with the admin's current grants.
    feed = await client.post(
        f"{API}/auth/token", data={"grant_type": "client_credentials"}, auth=("reporting-api", FEED_SECRET)
    )
    assert feed.status_code == 200, feed.text
    changes = await client.get(f"{API}/changes", headers={"Authorization": f"Bearer {feed.json()['access_token']}"})
    assert changes.status_code == 200
    admin_id = users["items"][0]["id"]
    acting = await client.post(
        f"{API}/auth/token",
        auth=("reporting-api", FEED_SECRET),
        data={"grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "requested_subject": f"user:{admin_id}"},
    )
    assert acting.status_code == 200, acting.text
    me = (
        await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {acting.json()['access_token']}"})
    ).json()
    assert me["subject"] == f"user:{admin_id}" and [g["role"] for g in me["grants"]] == ["admin"]


def test_bootstrap_rotates_the_feed_secret_and_refuses_a_weak_one(
    database: str, key_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    weak = bootstrap_here(monkeypatch, database, key_pem, PROJECTS_FEED_CLIENT_SECRET="short")
    assert weak.returncode == 2 and "at least 24 characters" in weak.stderr
    rotated = bootstrap_here(
        monkeypatch, database, key_pem, PROJECTS_FEED_CLIENT_SECRET="a-new-feed-secret-" + "y" * 24
    )
    assert rotated.returncode == 0, rotated.stderr
    assert "API client reporting-api updated: secret" in rotated.stdout
