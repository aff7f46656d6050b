"""The deployed shape for real, on loopback: both services as uvicorn processes against throw-away databases,
and Debian's nginx with the gateway's own config in front of them and of a small SPA build."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from registry_testing import create_test_database, drop_test_database
from support import Nginx, ServiceProcess, free_port, render_gateway, reporting_present, wait_for

# Small limits, so the suite reaches them in a few requests.
TEST_GATEWAY_SETTINGS = {
    "GATEWAY_MAX_BODY_SIZE": "256k",
    "GATEWAY_TOKEN_RATE": "6r/m",
    "GATEWAY_TOKEN_BURST": "3",
    "GATEWAY_WRITE_RATE": "1r/s",
    "GATEWAY_WRITE_BURST": "5",
    "GATEWAY_READ_TIMEOUT": "5s",  # long enough for a first openapi.json on a busy machine
    "GATEWAY_WORKER_PROCESSES": "1",
}

ASSET_NAME = "index-3f9a1c2b.js"
ASSET_BODY = "export const registry = " + repr("capacity-building " * 200) + ";\n"
INDEX_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>MCB Registry</title>'
    f'<script type="module" crossorigin src="/assets/{ASSET_NAME}"></script></head>'
    '<body><div id="root"></div></body></html>\n'
)


@dataclass
class Stack:
    gateway: Nginx
    projects: ServiceProcess
    reporting: ServiceProcess | None
    workdir: Path
    databases: dict[str, str]  # service → SQLAlchemy URL of its (migrated) test database


@pytest.fixture(scope="session")
def workdir() -> Iterator[Path]:
    # Readable by nginx's worker user (nobody) when the suite runs as root: not under pytest's 0700 tmp.
    path = Path(tempfile.mkdtemp(prefix="mcb-deploy-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _spa(workdir: Path) -> Path:
    dist = workdir / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX_HTML)
    (dist / "assets" / ASSET_NAME).write_text(ASSET_BODY)
    (dist / "robots.txt").write_text("User-agent: *\nDisallow: /api/\n")
    for path in [dist, dist / "assets"]:
        path.chmod(0o755)
    return dist


def _database(service: str) -> str:
    return asyncio.run(create_test_database(service))


@pytest.fixture(scope="session")
def projects_database_url() -> Iterator[str]:
    url = _database("deploy_projects")
    yield url
    asyncio.run(drop_test_database(url))


@pytest.fixture(scope="session")
def stack(workdir: Path, projects_database_url: str) -> Iterator[Stack]:
    projects = ServiceProcess("projects_api", {}, workdir)
    reporting = ServiceProcess("reporting_api", {}, workdir) if reporting_present() else None
    projects.env.update(
        PROJECTS_ENVIRONMENT="test",
        PROJECTS_DATABASE_URL=projects_database_url,
        PROJECTS_DEV_KEY_PATH=str(workdir / "dev-jwt-key.pem"),
        PROJECTS_LOG_JSON="true",
        PROJECTS_LOG_LEVEL="INFO",
    )
    reporting_db = _database("deploy_reporting") if reporting is not None else None
    services = [projects] if reporting is None else [projects, reporting]
    gateway: Nginx | None = None
    try:
        if reporting is not None:
            assert reporting_db is not None
            reporting.env.update(
                REPORTING_ENVIRONMENT="test",
                REPORTING_DATABASE_URL=reporting_db,
                REPORTING_LOG_JSON="true",
                REPORTING_LOG_LEVEL="INFO",
                REPORTING_PROJECTS_API_URL=projects.url,
                REPORTING_AUTH_JWKS_URL=f"{projects.url}/api/projects/v1/auth/jwks",
                REPORTING_SYNC_INTERVAL_SECONDS="0",
            )
        # Two cores: migrations side by side, then the demo data loads while the services start.
        for service, command in [(s, s.launch("migrate")) for s in services]:
            service.finish(command)
        demo = projects.launch("load-demo")
        for service in services:
            service.spawn()
        projects.finish(demo)
        for service in services:
            service.wait_ready()
            # The first OpenAPI document is built on demand and slow on a busy machine: not through the gateway.
            wait_for(f"{service.url}/api/{service.module.removesuffix('_api')}/openapi.json")
        port = free_port()
        conf = render_gateway(
            {
                **TEST_GATEWAY_SETTINGS,
                "GATEWAY_PORT": f"127.0.0.1:{port}",
                "GATEWAY_TEMP_DIR": str(workdir / "nginx"),
                "GATEWAY_SPA_ROOT": str(_spa(workdir)),
                "PROJECTS_UPSTREAM": f"127.0.0.1:{projects.port}",
                # Without reporting-api, its route points at a closed port (and the suite checks the 502).
                "REPORTING_UPSTREAM": f"127.0.0.1:{reporting.port}" if reporting else "127.0.0.1:9",
            },
            workdir / "nginx-conf",
        )
        gateway = Nginx(conf, port, workdir)
        gateway.start()
        databases = {"projects-api": projects_database_url}
        if reporting_db is not None:
            databases["reporting-api"] = reporting_db
        yield Stack(gateway=gateway, projects=projects, reporting=reporting, workdir=workdir, databases=databases)
    finally:
        if gateway is not None:
            gateway.stop()
        for service in services:
            service.stop()
        if reporting_db is not None:
            asyncio.run(drop_test_database(reporting_db))
