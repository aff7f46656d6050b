"""The one-process stack (`make run`: registry_stack's composite app) answers like the nginx gateway: the same
security headers on every kind of response, compared here with the real gateway's; real probes at the root instead
of the SPA; a problem+json 404 for an /api/ path no service serves, never index.html."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from conftest import ASSET_NAME, Stack
from projects_api.main import create_app as create_projects_app
from projects_api.settings import Settings as ProjectsSettings
from registry_kit.settings import Environment
from registry_stack.composite import composite_app
from reporting_api.main import create_app as create_reporting_app
from reporting_api.settings import Settings as ReportingSettings
from support import free_port, wait_for

# Headers that describe one response or connection, not the site's policy.
PER_RESPONSE = {
    "date",
    "server",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "etag",
    "last-modified",
    "accept-ranges",
    "x-request-id",
    "vary",
    "content-encoding",
    "content-type",
    "location",
    "www-authenticate",
}
PATHS = [
    "/",
    "/projects/some-client-route",
    f"/assets/{ASSET_NAME}",
    "/api/projects/v1/projects",
    "/api/projects/v1/auth/jwks",
    "/api/projects/v1/nothing-here",
    "/api/nothing",
    "/api/reporting/v1/indicators",
]


@pytest.fixture(scope="module")
def one_process(stack: Stack) -> Iterator[str]:
    """The composite app of `make run`, in this process on a free port, over the deploy suite's databases and SPA."""
    port = free_port()
    projects = create_projects_app(
        ProjectsSettings(
            environment=Environment.test,
            database_url=SecretStr(stack.databases["projects-api"]),
            dev_key_path=stack.workdir / "dev-jwt-key.pem",
            log_json=True,
        )
    )
    reporting = create_reporting_app(
        ReportingSettings(
            environment=Environment.test,
            database_url=SecretStr(stack.databases["reporting-api"]),
            projects_api_url=f"http://127.0.0.1:{port}",
            auth_jwks_url=f"http://127.0.0.1:{port}/api/projects/v1/auth/jwks",
            sync_interval_seconds=0,
            import_poll_seconds=0,
            log_json=True,
        )
    )
    app = composite_app({"/api/projects": projects, "/api/reporting": reporting}, stack.workdir / "dist")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _policy(response: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in PER_RESPONSE}


@pytest.mark.parametrize("path", PATHS)
def test_the_same_security_headers_as_the_gateway(stack: Stack, one_process: str, path: str) -> None:
    gateway = httpx.get(f"{stack.gateway.url}{path}", timeout=10)
    mine = httpx.get(f"{one_process}{path}", timeout=10)
    assert mine.status_code == gateway.status_code, (path, mine.text)
    assert _policy(mine) == _policy(gateway)
    assert "content-security-policy" in _policy(mine)


def test_hsts_only_when_a_proxy_says_https(stack: Stack, one_process: str) -> None:
    https = {"X-Forwarded-Proto": "https"}
    gateway = httpx.get(f"{stack.gateway.url}/", headers=https, timeout=10)
    mine = httpx.get(f"{one_process}/", headers=https, timeout=10)
    assert mine.headers["strict-transport-security"] == gateway.headers["strict-transport-security"]
    assert "strict-transport-security" not in httpx.get(f"{one_process}/", timeout=10).headers


def test_an_unknown_api_path_is_a_problem_not_the_spa(stack: Stack, one_process: str) -> None:
    for base in (stack.gateway.url, one_process):
        answer = httpx.get(f"{base}/api/nothing/here", timeout=10)
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["detail"] == "No API is served under this path."


def test_root_probes_are_real(one_process: str) -> None:
    health = httpx.get(f"{one_process}/healthz", timeout=10)
    assert health.headers["content-type"] == "application/json" and health.json() == {"status": "ok"}
    ready = httpx.get(f"{one_process}/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "services": {"/api/projects": "ready", "/api/reporting": "ready"}}
    httpx.get(f"{one_process}/api/reporting/v1/indicators", timeout=10)
    metrics = httpx.get(f"{one_process}/metrics", timeout=10)
    assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = metrics.text.splitlines()
    assert any('service="projects"' in line for line in lines) and any('service="reporting"' in line for line in lines)
    help_lines = [line for line in lines if line.startswith("# HELP ")]
    assert len(help_lines) == len(set(help_lines))  # one family per name: a valid exposition
