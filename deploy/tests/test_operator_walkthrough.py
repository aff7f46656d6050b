"""The README's first install on one host, as far as this machine allows (no container engine in `make test`):
`deploy/compose-init.sh` writes a complete .env, and the very commands the compose file's one-shot steps run
(`migrate`, `bootstrap`) then `serve`, with the settings from that .env, give an admin who can sign in and
reporting-api's API client. Compose's own behaviour (order, health checks) is checked by test_containers.py."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from dotenv import dotenv_values

from registry_testing import create_test_database, drop_test_database
from support import DEPLOY, REPO_ROOT, ServiceProcess

INIT = DEPLOY / "compose-init.sh"
COMPOSE = (REPO_ROOT / "docker-compose.yml").read_text()
README = (REPO_ROOT / "README.md").read_text()
ADMIN = "operator@registry.test"


def _init(directory: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "ENV_EXAMPLE": str(REPO_ROOT / ".env.example")}
    if password is not None:
        env["ADMIN_PASSWORD"] = password
    return subprocess.run(  # noqa: S603
        ["/bin/sh", str(INIT), *args], cwd=directory, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def env_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed (Debian's openssl package)")
    directory = tmp_path_factory.mktemp("first-install")
    result = _init(directory, ADMIN)
    assert result.returncode == 0, result.stderr
    return directory / ".env"


def test_compose_init_fills_in_every_secret_compose_requires(env_file: Path) -> None:
    values = dotenv_values(env_file)
    required = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):\?", COMPOSE))
    assert required, "the compose file marks its secrets as required"
    for name in required:
        assert values.get(name), f"{name} is still empty"
    for name in ("POSTGRES_PASSWORD", "PROJECTS_DB_PASSWORD", "REPORTING_DB_PASSWORD"):
        assert re.fullmatch(r"[0-9a-f]{48}", values[name] or ""), f"{name}: letters and digits (it goes into a URL)"
    assert len(values["REPORTING_PROJECTS_CLIENT_SECRET"] or "") >= 24
    assert values["PROJECTS_BOOTSTRAP_ADMIN_EMAIL"] == ADMIN
    assert len(values["PROJECTS_BOOTSTRAP_ADMIN_PASSWORD"] or "") >= 12
    key = load_pem_private_key((values["PROJECTS_JWT_PRIVATE_KEY"] or "").encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600, "secrets readable by the owner only"
    # Everything else is .env.example's, untouched.
    example = dotenv_values(REPO_ROOT / ".env.example")
    assert set(values) == set(example)


def test_compose_init_never_overwrites_an_env_and_refuses_bad_input(env_file: Path, tmp_path: Path) -> None:
    before = env_file.read_bytes()
    again = _init(env_file.parent, ADMIN)
    assert again.returncode == 1 and "exists" in again.stderr
    assert env_file.read_bytes() == before
    assert _init(tmp_path, "not-an-email").returncode == 2
    assert _init(tmp_path, ADMIN, password="short").returncode == 2
    assert not (tmp_path / ".env").exists()
    assert "sh deploy/compose-init.sh" in README, "the README's walkthrough uses it"


@pytest.fixture
def database_url() -> Iterator[str]:
    url = asyncio.run(create_test_database("deploy_first_install"))
    yield url
    asyncio.run(drop_test_database(url))


def test_the_one_shot_steps_then_serve_give_an_admin_and_reporting_apis_client(
    env_file: Path, database_url: str, tmp_path: Path
) -> None:
    """projects-migrate, projects-bootstrap (twice: every `up` runs it) and projects-api, with compose's settings."""
    values = {k: v or "" for k, v in dotenv_values(env_file).items()}
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PROJECTS_", "REPORTING_"))}
    projects = ServiceProcess("projects_api", {}, tmp_path)
    projects.env = {
        **clean,
        "PROJECTS_ENVIRONMENT": "production",
        "PROJECTS_DATABASE_URL": database_url,
        "PROJECTS_JWT_PRIVATE_KEY": values["PROJECTS_JWT_PRIVATE_KEY"],
        "PROJECTS_BOOTSTRAP_ADMIN_EMAIL": values["PROJECTS_BOOTSTRAP_ADMIN_EMAIL"],
        "PROJECTS_BOOTSTRAP_ADMIN_PASSWORD": values["PROJECTS_BOOTSTRAP_ADMIN_PASSWORD"],
        # docker-compose.yml: PROJECTS_FEED_CLIENT_SECRET is REPORTING_PROJECTS_CLIENT_SECRET.
        "PROJECTS_FEED_CLIENT_SECRET": values["REPORTING_PROJECTS_CLIENT_SECRET"],
        "PROJECTS_LOG_LEVEL": "WARNING",
    }
    assert "PROJECTS_FEED_CLIENT_SECRET: ${REPORTING_PROJECTS_CLIENT_SECRET:?" in COMPOSE
    projects.run("migrate")
    projects.run("bootstrap")
    projects.run("bootstrap")
    projects.start()
    try:
        token_url = f"{projects.url}/api/projects/v1/auth/token"
        with httpx.Client(timeout=30) as http:
            admin = http.post(
                token_url,
                data={
                    "grant_type": "password",
                    "username": ADMIN,
                    "password": values["PROJECTS_BOOTSTRAP_ADMIN_PASSWORD"],
                },
            )
            assert admin.status_code == 200, admin.text
            me = http.get(
                f"{projects.url}/api/projects/v1/users?page_size=10",
                headers={"Authorization": f"Bearer {admin.json()['access_token']}"},
            )
            assert me.status_code == 200, me.text
            assert [u["email"] for u in me.json()["items"]] == [ADMIN], "one account: the first admin, made once"
            feed = http.post(
                token_url,
                data={"grant_type": "client_credentials"},
                auth=("reporting-api", values["REPORTING_PROJECTS_CLIENT_SECRET"]),
            )
            assert feed.status_code == 200, feed.text
    finally:
        projects.stop()


def _walkthrough() -> str:
    start = README.index("## Operating it")
    return README[start : README.index("\n## ", start + 1)]


def test_the_walkthrough_names_only_what_exists() -> None:
    """Every compose service, label, file and command the README's walkthrough uses is there."""
    import yaml

    text = _walkthrough()
    services = set(yaml.safe_load(COMPOSE)["services"])
    used = set(re.findall(r"docker compose (?:--profile \w+ )?(?:run --rm|exec -T) ([\w-]+)", text))
    for logs in re.findall(r"docker compose logs -f ([\w -]+?)\s*(?:#|$)", text, re.M):
        used |= set(logs.split())
    assert {"projects-migrate", "postgres", "gateway"} <= used
    assert used <= services, used - services
    for service in ("projects-bootstrap", "projects-demo", "reporting-demo", "postgres", "gateway"):
        assert service in services and service in text, service
    for path in re.findall(r"`?(deploy/[\w./-]+)", text):
        assert (REPO_ROOT / path.rstrip(".")).exists(), path
    from k8s_render import render

    docs = render("prod")
    labels = {(k, v) for d in docs for k, v in d["metadata"].get("labels", {}).items()}
    for key, value in re.findall(r"-l ([\w./-]+)=([\w-]+)", text):
        assert (key, value) in labels, f"{key}={value}"
    help_text = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "projects_api", "migrate", "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    assert "--to REVISION" in help_text
    # The gateway publishes on loopback unless told otherwise, as the walkthrough says.
    assert '"${GATEWAY_BIND_ADDRESS:-127.0.0.1}:${GATEWAY_PUBLISHED_PORT:-8080}:8080"' in COMPOSE
