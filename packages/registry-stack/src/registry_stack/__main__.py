"""`make run`: the embedded PostgreSQL (unless a DATABASE_URL is set), migrations, demo data, then every
service and the SPA on one port. Ctrl-C stops everything, the database included."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from projects_api.__main__ import load_demo_for as load_projects_demo
from projects_api.main import create_app as create_projects_app
from projects_api.migrate import migrate as migrate_projects
from projects_api.settings import Settings as ProjectsSettings
from registry_kit.cli import Server, exit_on_sigterm, load_demo_data, prepare_database
from registry_kit.embedded_pg import stop_embedded_server
from registry_kit.logs import configure_logging, service_var
from registry_kit.settings import REPO_ROOT
from registry_stack.composite import composite_app
from registry_stack.feed_client import ensure_feed_client
from reporting_api.__main__ import load_demo_for as load_reporting_demo
from reporting_api.main import create_app as create_reporting_app
from reporting_api.migrate import migrate as migrate_reporting
from reporting_api.settings import Settings as ReportingSettings

logger = logging.getLogger("registry_stack")


def _prepare(settings: ProjectsSettings) -> None:
    url = prepare_database(settings)
    migrate_projects(url)
    asyncio.run(load_demo_data(settings, url, load_projects_demo))
    if not (os.environ.get("REPORTING_PROJECTS_CLIENT_ID") and os.environ.get("REPORTING_PROJECTS_CLIENT_SECRET")):
        client_id, secret = asyncio.run(ensure_feed_client(settings, url))
        os.environ["REPORTING_PROJECTS_CLIENT_ID"], os.environ["REPORTING_PROJECTS_CLIENT_SECRET"] = client_id, secret
    # reporting-api's client also sends the notifications: it may read whom to tell (unless configured otherwise).
    settings.notification_clients = settings.notification_clients or os.environ["REPORTING_PROJECTS_CLIENT_ID"]


def _prepare_reporting(settings: ReportingSettings) -> None:
    url = prepare_database(settings)
    migrate_reporting(url)
    asyncio.run(load_demo_data(settings, url, load_reporting_demo))


def main() -> None:
    host = os.environ.get("MCB_HOST", "127.0.0.1")
    port = int(os.environ.get("MCB_PORT", "8000"))
    origin = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"  # noqa: S104
    os.environ.setdefault("PROJECTS_PUBLIC_URL", origin)
    os.environ.setdefault("PROJECTS_AUTH_ISSUER", f"{origin}/api/projects")
    os.environ.setdefault("REPORTING_AUTH_ISSUER", f"{origin}/api/projects")
    os.environ.setdefault("REPORTING_AUTH_JWKS_URL", f"{origin}/api/projects/v1/auth/jwks")
    os.environ.setdefault("REPORTING_PROJECTS_API_URL", origin)
    os.environ.setdefault("PROJECTS_REPORTING_API_URL", origin)  # IATI: results read and written over HTTP
    os.environ.setdefault("REPORTING_APP_URL", origin)
    projects_settings = ProjectsSettings()
    configure_logging("registry-stack", projects_settings.log_level, json=projects_settings.log_json)
    exit_on_sigterm()
    try:
        with service_context("projects-api"):
            _prepare(projects_settings)
        reporting_settings = ReportingSettings()
        with service_context("reporting-api"):
            _prepare_reporting(reporting_settings)
        services = {
            "/api/projects": create_projects_app(projects_settings),
            "/api/reporting": create_reporting_app(reporting_settings),
        }
        # Each service configured logging for itself; this process's own lines (uvicorn's) are the stack's.
        configure_logging("registry-stack", projects_settings.log_level, json=projects_settings.log_json)
        app = composite_app(services, REPO_ROOT / "frontend" / "dist")
        banner = (
            f"\n  Migration Capacity-Building Registry is running at {origin}/\n"
            f"  projects-api docs: {origin}/api/projects/docs\n"
            f"  reporting-api docs: {origin}/api/reporting/docs\n  Ctrl-C stops it.\n"
        )
        config = uvicorn.Config(app, host=host, port=port, log_config=None, loop="uvloop", http="httptools")
        Server(config, banner).run()
    finally:
        if projects_settings.database_url is None:
            stop_embedded_server(projects_settings.embedded_pg_dir)


@contextmanager
def service_context(service: str) -> Iterator[None]:
    """Lines logged while preparing a service's database name that service."""
    token = service_var.set(service)
    try:
        yield
    finally:
        service_var.reset(token)


if __name__ == "__main__":
    main()
