"""The real projects-api under reporting-api's httpx client, in place of a re-implementation of it.

`ProjectsHarness` offers what the tests used on `FakeProjectsApi` (`token`, `headers`, `admin`, `role`, `add`,
`publish`, `down`, `calls`, `projects`, `transport()`, and `organisation()` for organisation trees), but every
request goes to a projects-api app built with `create_app` on its own throw-away, migrated database (on a
PostgreSQL server of its own: see `projects_database`), through `httpx.ASGITransport`: access checks, the JWKS,
the client-credentials token, the change feed and the regions are answered by projects-api's own code.

Only the network is simulated: the transport records each call in `calls` and raises `httpx.ConnectError`
while `down` is true. `add` and `publish` write projects (with their organisations, countries, themes and
participants) straight into projects-api's database and record audit events with
`projects_api.audit.service.record`, so the real change feed reports them. Tokens are signed with the app's
own key (`issue_access_token`), and an API client with the reporting settings' client id and secret holds a
global viewer grant, so reporting-api's client-credentials grant works for real.

One app and database per test run (`ProjectsHarness.running()`); `reset()` between tests brings `down` and
`calls` back and empties projects-api's data (the API client stays), as the stand-in started clean each test.

`add` and `publish` stay synchronous like the stand-in's: they run on a private event loop in a worker
thread with its own engine, and return once the transaction has committed. Unlike the stand-in's `add`,
creating a project is a change, so it is on the feed too.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import func, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from projects_api.audit.service import record
from projects_api.identity.keys import SigningKey
from projects_api.identity.models import ApiClient, RoleGrant, User
from projects_api.identity.passwords import hash_secret
from projects_api.identity.tokens import issue_access_token
from projects_api.main import create_app
from projects_api.migrate import migrate
from projects_api.models import Base
from projects_api.organisations.models import Organisation
from projects_api.projects import repository
from projects_api.projects.models import Project, ProjectCountry, ProjectParticipant, ProjectTheme
from projects_api.projects.presenters import snapshot
from projects_api.settings import Settings
from registry_kit.auth import Grant, Principal, Role
from registry_kit.embedded_pg import embedded_url, ensure_database
from registry_kit.settings import Environment
from registry_testing import TEST_PG_DIR, drop_test_database

ISSUER = "http://projects.test/api/projects"
AUDIENCE = "mcb-registry"
BASE_URL = "http://projects.test"
CLIENT_ID = "reporting-test"
CLIENT_SECRET = "secret"  # noqa: S105 (a test client's secret)
# Who the harness's own writes are attributed to in projects-api's audit trail.
HARNESS = Principal(
    subject="user:projects-harness", name="Test harness", organisation_id=None, grants=(Grant(Role.admin),)
)
KEPT_TABLES = frozenset({"alembic_version"})
# projects-api's database lives on a PostgreSQL server of its own (see `projects_database`).
SERVER_DIR = Path(os.environ.get("PROJECTS_HARNESS_PG_DIR", TEST_PG_DIR.parent / "test-pg-projects-harness"))

CENT = Decimal("0.01")
T = TypeVar("T")


class ProjectDescription(Protocol):
    """What a test says about a project: a `ProjectSpec`, or anything shaped alike."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def is_public(self) -> bool: ...
    @property
    def countries(self) -> tuple[str, ...]: ...
    @property
    def orgs(self) -> tuple[uuid.UUID, ...]: ...
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def themes(self) -> tuple[str, ...]: ...


P = TypeVar("P", bound=ProjectDescription)


@dataclass
class ProjectSpec:
    """The description of a project to create in projects-api."""

    id: uuid.UUID
    is_public: bool = True
    countries: tuple[str, ...] = ("BA",)
    orgs: tuple[uuid.UUID, ...] = ()
    code: str = ""
    title: str = "A project"
    themes: tuple[str, ...] = ()

    def state(self) -> dict[str, Any]:
        """The project as projects-api's change feed describes it (for arranging the local copy directly)."""
        return {
            "id": str(self.id),
            "code": project_code(self),
            "title": self.title,
            "status": "implementation",
            "is_public": self.is_public,
            "countries": [{"country_code": c, "percentage": str(s)} for c, s in equal_shares(self.countries).items()],
            "themes": list(self.themes),
            "participants": [{"organisation_id": str(o), "role": "implementing"} for o in self.orgs],
            "version": 1,
        }


def project_code(project: ProjectDescription) -> str:
    return project.code or f"P-{project.id.hex[:8]}"


def equal_shares(countries: tuple[str, ...]) -> dict[str, Decimal]:
    """Equal percentages that total exactly 100 (the first ones take the leftover cents)."""
    codes = list(dict.fromkeys(countries))
    if not codes:
        return {}
    cents, extra = divmod(10000, len(codes))
    return {c: (Decimal(cents + (1 if i < extra else 0)) / 100).quantize(CENT) for i, c in enumerate(codes)}


@asynccontextmanager
async def projects_database() -> AsyncIterator[str]:
    """A throw-away database for this run, migrated to head, on a server that holds no other database.

    The change feed serves an event only once every older transaction *of the server* has ended (transaction
    ids are server-wide). On the shared test server the test's own rolled-back transaction in reporting-api's
    database, and any other run's, would hold the feed back for the whole test; on its own server it is not.
    PROJECTS_HARNESS_DATABASE_URL (any database on another server) replaces the embedded one.
    """
    name = f"projects_harness_{os.getpid()}"
    configured = os.environ.get("PROJECTS_HARNESS_DATABASE_URL")
    if configured:
        url = make_url(configured).set(database=name).render_as_string(hide_password=False)
    else:
        url = await asyncio.to_thread(embedded_url, SERVER_DIR, name)
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(migrate, url)
    try:
        yield url
    finally:
        await drop_test_database(url)


class _Network(httpx.AsyncBaseTransport):
    """The wire between the services: records each call, and fails to connect while the harness is down."""

    def __init__(self, harness: ProjectsHarness, app: FastAPI) -> None:
        self.harness = harness
        self.inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.harness.calls.append(f"{request.method} {request.url.path}")
        if self.harness.down:
            raise httpx.ConnectError("projects-api is down", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Writer:
    """A private event loop in a thread, with its own engine on projects-api's database, for synchronous writes."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="projects-harness-writer", daemon=True)
        self.thread.start()
        self.engine: AsyncEngine = create_async_engine(url, pool_size=1, max_overflow=0)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    def run(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run `work` in one transaction on the writer's loop and commit; block until it has."""

        async def transaction() -> T:
            async with self.sessionmaker() as session:
                result = await work(session)
                await session.commit()
                return result

        return asyncio.run_coroutine_threadsafe(transaction(), self.loop).result(timeout=60)

    def close(self) -> None:
        async def dispose() -> None:
            await self.engine.dispose()

        asyncio.run_coroutine_threadsafe(dispose(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


class ProjectsHarness:
    """A running projects-api (its app, database and signing key) that reporting-api's tests talk to."""

    def __init__(
        self,
        app: FastAPI,
        settings: Settings,
        url: str,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
    ) -> None:
        self.app = app
        self.settings = settings
        self.url = url
        self.client_id = client_id
        self.client_secret = client_secret
        self.down = False
        self.calls: list[str] = []
        # The projects this harness has written and not deleted since the last reset, by id.
        self.projects: dict[uuid.UUID, ProjectDescription] = {}
        self._network = _Network(self, app)
        self._writer = _Writer(url)
        self._secret_hash = hash_secret(client_secret)

    # -- lifecycle
    @classmethod
    @asynccontextmanager
    async def running(
        cls, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET
    ) -> AsyncIterator[ProjectsHarness]:
        """projects-api on a throw-away migrated database, its lifespan entered, with reporting-api's API client."""
        async with projects_database() as url:
            settings = Settings(
                environment=Environment.test,
                database_url=SecretStr(url),
                auth_issuer=ISSUER,
                auth_audience=AUDIENCE,
                public_url=BASE_URL,
                jwt_private_key=SecretStr(_new_key_pem()),
                notification_clients=client_id,
            )
            app = create_app(settings)
            async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60):
                harness = cls(app, settings, url, client_id=client_id, client_secret=client_secret)
                try:
                    harness.reset()
                    yield harness
                finally:
                    harness._writer.close()

    def reset(self) -> None:
        """Back to a reachable projects-api with no calls seen and no data but reporting-api's API client."""
        self.down = False
        self.calls.clear()
        self.projects.clear()
        self._writer.run(self._empty)

    async def _empty(self, session: AsyncSession) -> None:
        # DELETE, dependants first: on a few rows it is far quicker than TRUNCATE (new files for every table).
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                await session.execute(table.delete())
        client = ApiClient(
            client_id=self.client_id,
            name="reporting-api (tests)",
            secret_hash=self._secret_hash,
            grants=[RoleGrant(role=Role.viewer.value)],
            acts_for_users=True,
        )
        session.add(client)
        await session.flush()
        record(
            session,
            HARNESS,
            entity_type="api_client",
            entity_id=client.id,
            action="create",
            after={"client_id": client.client_id, "name": client.name, "grants": ["viewer"]},
        )

    def transport(self) -> httpx.AsyncBaseTransport:
        """The transport to put under reporting-api's httpx client (`create_app(..., projects_transport=...)`)."""
        return self._network

    # -- tokens, signed by projects-api's own key
    @property
    def signing_key(self) -> SigningKey:
        key: SigningKey = self.app.state.signing_key
        return key

    def token(self, *grants: Grant, org: uuid.UUID | None = None, subject: str | None = None) -> str:
        token, _ = issue_access_token(
            self.signing_key,
            self.settings,
            subject=subject or f"user:{uuid.uuid4()}",
            name="Test User",
            organisation_id=org,
            grants=list(grants),
        )
        return token

    def headers(self, *grants: Grant, org: uuid.UUID | None = None, subject: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*grants, org=org, subject=subject)}"}

    def admin(self) -> dict[str, str]:
        return self.headers(Grant(Role.admin), subject="user:admin")

    def person(self, *grants: Grant, org: uuid.UUID | None = None, active: bool = True) -> str:
        """A user account in projects-api with these grants (what an import job acts for); its subject."""
        user_id = uuid.uuid4()

        async def create(session: AsyncSession) -> None:
            session.add(
                User(
                    id=user_id,
                    email=f"{user_id.hex}@people.test",
                    name="A person",
                    password_hash="not-a-hash",
                    organisation_id=org,
                    is_active=active,
                    grants=[
                        RoleGrant(role=g.role.value, organisation_id=g.organisation_id, country_code=g.country)
                        for g in grants
                    ],
                )
            )

        if org is not None:
            self.organisation(org)
        self._writer.run(create)
        return f"user:{user_id}"

    def disable(self, subject: str) -> None:
        """The account was disabled in projects-api (after it uploaded something, say)."""
        user_id = uuid.UUID(subject.removeprefix("user:"))

        async def disable(session: AsyncSession) -> None:
            user = await session.get(User, user_id)
            assert user is not None
            user.is_active = False

        self._writer.run(disable)

    def role(self, role: Role, *, org: uuid.UUID | None = None, country: str | None = None) -> dict[str, str]:
        return self.headers(Grant(role, org, country), org=org)

    # -- people in projects-api (whom notifications reach, with their address and language)
    def contact(
        self,
        email: str,
        role: Role,
        *,
        country: str | None = None,
        org: uuid.UUID | None = None,
        language: str | None = None,
        name: str = "Test User",
    ) -> tuple[str, dict[str, str]]:
        """An account with one grant; its subject and the headers of a token for it."""
        user_id = uuid.uuid4()

        async def create(session: AsyncSession) -> None:
            if org is not None:
                await self._ensure_organisations(session, (org,))
            session.add(
                User(
                    id=user_id,
                    email=email,
                    name=name,
                    password_hash="not-a-hash",
                    language=language,
                    grants=[RoleGrant(role=role.value, organisation_id=org, country_code=country)],
                )
            )

        self._writer.run(create)
        subject = f"user:{user_id}"
        return subject, self.headers(Grant(role, org, country), org=org, subject=subject)

    # -- data in projects-api
    def add(self, project: P) -> P:
        """Create the project in projects-api (or bring it to this description), as a committed, audited change."""
        self._writer.run(lambda session: self._put(session, project))
        self.projects[project.id] = project
        return project

    def publish(self, project: ProjectDescription, *, deleted: bool = False) -> None:
        """Change the project in projects-api to this description (or delete it): the change feed reports it."""
        if deleted:
            self._writer.run(lambda session: self._delete(session, project.id))
            self.projects.pop(project.id, None)
        else:
            self.add(project)

    def organisation(self, org_id: uuid.UUID, *, parent: uuid.UUID | None = None, name: str | None = None) -> None:
        """Create an organisation (under `parent`, which is created too if missing): grants reach its children."""
        self._writer.run(lambda session: self._organisation(session, org_id, parent, name))

    async def _organisation(
        self, session: AsyncSession, org_id: uuid.UUID, parent: uuid.UUID | None, name: str | None
    ) -> None:
        if parent is not None:
            await self._ensure_organisations(session, (parent,))
        org = await session.get(Organisation, org_id)
        if org is None:
            session.add(self._new_organisation(org_id, parent, name))
            await session.flush()
            record(
                session,
                HARNESS,
                entity_type="organisation",
                entity_id=org_id,
                action="create",
                after={"name": name or _org_name(org_id), "parent_id": str(parent) if parent else None},
            )
        elif org.parent_id != parent or (name and org.name != name):
            before = {"name": org.name, "parent_id": str(org.parent_id) if org.parent_id else None}
            org.parent_id, org.name = parent, name or org.name
            await session.flush()
            record(
                session,
                HARNESS,
                entity_type="organisation",
                entity_id=org_id,
                action="update",
                before=before,
                after={"name": org.name, "parent_id": str(parent) if parent else None},
            )

    @staticmethod
    def _new_organisation(org_id: uuid.UUID, parent: uuid.UUID | None, name: str | None) -> Organisation:
        return Organisation(id=org_id, name=name or _org_name(org_id), org_type="10", parent_id=parent)

    async def _ensure_organisations(self, session: AsyncSession, ids: tuple[uuid.UUID, ...]) -> None:
        for org_id in dict.fromkeys(ids):
            if await session.get(Organisation, org_id) is None:
                await self._organisation(session, org_id, None, None)

    async def _put(self, session: AsyncSession, wanted: ProjectDescription) -> None:
        await self._ensure_organisations(session, wanted.orgs)
        shares = equal_shares(wanted.countries)
        project = await repository.get_full(session, wanted.id)
        if project is None:
            project = Project(
                id=wanted.id,
                code=project_code(wanted),
                title=wanted.title,
                status="implementation",
                is_public=wanted.is_public,
                countries=[ProjectCountry(country_code=c, percentage=s) for c, s in shares.items()],
                themes=[ProjectTheme(theme_code=t) for t in dict.fromkeys(wanted.themes)],
                sectors=[],
                locations=[],
                participants=[
                    ProjectParticipant(organisation_id=o, role="implementing", position=i)
                    for i, o in enumerate(dict.fromkeys(wanted.orgs))
                ],
            )
            session.add(project)
            await session.flush()
            record(
                session,
                HARNESS,
                entity_type="project",
                entity_id=project.id,
                project_id=project.id,
                action="create",
                after=snapshot(project),
            )
            return
        before = snapshot(project)
        project.code, project.title, project.is_public = project_code(wanted), wanted.title, wanted.is_public
        _replace(
            project.countries,
            shares,
            lambda c: c.country_code,
            lambda c, s: setattr(c, "percentage", s),
            lambda c, s: ProjectCountry(country_code=c, percentage=s),
        )
        _replace(
            project.themes,
            dict.fromkeys(wanted.themes),
            lambda t: t.theme_code,
            None,
            lambda t, _: ProjectTheme(theme_code=t),
        )
        positions = {o: i for i, o in enumerate(dict.fromkeys(wanted.orgs))}
        _replace(
            project.participants,
            positions,
            lambda p: p.organisation_id,
            lambda p, i: setattr(p, "position", i),
            lambda o, i: ProjectParticipant(organisation_id=o, role="implementing", position=i),
        )
        after = snapshot(project)
        if after == before:
            return
        project.updated_at = func.now()  # bumps the version even when only lists changed, as projects-api does
        await session.flush()
        record(
            session,
            HARNESS,
            entity_type="project",
            entity_id=project.id,
            project_id=project.id,
            action="update",
            before=before,
            after=after,
        )

    async def _delete(self, session: AsyncSession, project_id: uuid.UUID) -> None:
        project = await repository.get_full(session, project_id)
        if project is None:
            return
        before = snapshot(project)
        await session.delete(project)
        await session.flush()
        record(
            session,
            HARNESS,
            entity_type="project",
            entity_id=project_id,
            project_id=project_id,
            action="delete",
            before=before,
        )


def _replace(
    rows: list[Any],
    wanted: dict[Any, Any],
    key: Callable[[Any], Any],
    update: Callable[[Any, Any], None] | None,
    make: Callable[[Any, Any], Any],
) -> None:
    """Make `rows` match `wanted` by key, keeping the rows whose key stays."""
    for row in list(rows):
        if key(row) not in wanted:
            rows.remove(row)
    existing = {key(row): row for row in rows}
    for k, value in wanted.items():
        if k in existing:
            if update is not None:
                update(existing[k], value)
        else:
            rows.append(make(k, value))


def _org_name(org_id: uuid.UUID) -> str:
    return f"Organisation {org_id.hex[:8]}"


def _new_key_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
