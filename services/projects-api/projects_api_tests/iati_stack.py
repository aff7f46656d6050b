"""Both services as real uvicorn servers on loopback, each on a database of its own made for the test (with the
demo data, or empty), for the IATI tests: the export reads results from reporting-api over HTTP and the import
writes them there."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import SecretStr

from projects_api.demo.loader import load_demo as load_projects_demo
from projects_api.identity.tokens import issue_access_token
from projects_api.main import create_app as create_projects_app
from projects_api.migrate import migrate as migrate_projects
from projects_api.settings import Settings
from registry_kit.auth import Grant, Role
from registry_kit.database import create_engine, create_sessionmaker
from registry_kit.settings import Environment
from registry_testing import Served, create_test_database, drop_test_database, free_port
from reporting_api.demo.loader import load_demo as load_reporting_demo
from reporting_api.main import create_app as create_reporting_app
from reporting_api.migrate import migrate as migrate_reporting
from reporting_api.settings import Settings as ReportingSettings


@dataclass
class Stack:
    projects: Served
    reporting: Served
    settings: Settings
    http: httpx.AsyncClient

    @property
    def api(self) -> str:
        return f"{self.projects.url}/api/projects/v1"

    def headers(self, *grants: Grant, org: uuid.UUID | None = None) -> dict[str, str]:
        token, _ = issue_access_token(
            self.projects.app.state.signing_key,
            self.settings,
            subject=f"user:{uuid.uuid4()}",
            name="IATI Test",
            organisation_id=org,
            grants=list(grants),
        )
        return {"Authorization": f"Bearer {token}"}

    def admin(self) -> dict[str, str]:
        return self.headers(Grant(Role.admin))


async def _load(url: str, settings: Settings, *, reporting: bool) -> None:
    engine = create_engine(url, settings)
    try:
        async with create_sessionmaker(engine)() as session:
            if reporting:
                await load_reporting_demo(session)
            else:
                await load_projects_demo(session, with_users=True)
            await session.commit()
    finally:
        await engine.dispose()


@asynccontextmanager
async def stack(name: str, tmp: Path, *, demo: bool, **overrides: object) -> AsyncIterator[Stack]:
    projects_db = await create_test_database(f"projects_{name}")
    reporting_db = await create_test_database(f"reporting_{name}")
    pa, ra = free_port(), free_port()
    settings = Settings(
        environment=Environment.test,
        database_url=SecretStr(projects_db),
        dev_key_path=tmp / f"{name}-key.pem",
        auth_issuer=f"http://127.0.0.1:{pa}/api/projects",
        public_url=f"http://127.0.0.1:{pa}",
        reporting_api_url=f"http://127.0.0.1:{ra}",
        iati_import_poll_seconds=0,
        **overrides,
    )
    reporting_settings = ReportingSettings(
        environment=Environment.test,
        database_url=SecretStr(reporting_db),
        projects_api_url=f"http://127.0.0.1:{pa}",
        auth_issuer=settings.auth_issuer,
        auth_jwks_url=f"http://127.0.0.1:{pa}/api/projects/v1/auth/jwks",
        sync_interval_seconds=0,
        import_poll_seconds=0,
        access_cache_seconds=0,
    )
    try:
        await asyncio.to_thread(migrate_projects, projects_db)
        await asyncio.to_thread(migrate_reporting, reporting_db)
        if demo:
            await _load(projects_db, settings, reporting=False)
            await _load(reporting_db, settings, reporting=True)
        projects = Served(create_projects_app(settings), pa)
        reporting = Served(create_reporting_app(reporting_settings), ra)
        await projects.start()
        await reporting.start()
        try:
            async with httpx.AsyncClient(timeout=60) as http:
                yield Stack(projects, reporting, settings, http)
        finally:
            await reporting.stop()
            await projects.stop()
    finally:
        await drop_test_database(projects_db)
        await drop_test_database(reporting_db)
