"""No list endpoint (nor the project detail) issues a query per row: a request runs the same number of SQL
statements for 2 rows as for 20, each row with its own related records (countries, organisations, grants…)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from projects_api.audit.models import AuditEvent
from projects_api.funding.models import ExchangeRate
from projects_api.projects.models import ProjectLocation, ProjectParticipant, ProjectSector
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import (
    World,
    create_activity,
    create_api_client,
    create_budget,
    create_org,
    create_project,
    create_transaction,
    create_user,
)
from registry_kit.auth import Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


class Statements:
    """The SQL statements run on the test's connection since the last reset."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.seen.append(statement)

    def reset(self) -> None:
        self.seen.clear()


@pytest_asyncio.fixture
async def statements(connection: AsyncConnection) -> AsyncIterator[Statements]:
    """Counts statements on the connection the app's sessions use in tests (see the `client` fixture)."""
    counter = Statements()
    event.listen(connection.sync_connection, "before_cursor_execute", counter)
    yield counter
    event.remove(connection.sync_connection, "before_cursor_execute", counter)


Grow = Callable[[AsyncSession, World, int], Awaitable[None]]


async def _projects(session: AsyncSession, w: World, n: int) -> None:
    for i in range(n):
        funder = await create_org(session, f"Funder {i}")
        partner = await create_org(session, f"Partner {i}", parent_id=w.iom.id)
        project = await create_project(
            session,
            countries=(("GE", "60"), ("AM", "40")),
            themes=("border-protection", "competences"),
            participants=((funder.id, "funding"), (partner.id, "implementing")),
        )
        session.add(ProjectSector(project_id=project.id, sector_code="15190", percentage=Decimal(100)))
        await create_transaction(session, project.id, amount="100.00", provider=funder.id)
    await session.flush()


async def _organisations(session: AsyncSession, w: World, n: int) -> None:
    for i in range(n):
        await create_org(session, f"Office {i}", parent_id=w.iom.id, country="GE")


async def _activities(session: AsyncSession, w: World, n: int) -> None:
    for i in range(n):
        a = await create_org(session, f"Police {i}")
        b = await create_org(session, f"Ministry {i}")
        await create_activity(
            session, w.project.id, start=date(2010, 1, 1) + timedelta(days=i), people=((a.id, 2, 3), (b.id, 1, 0))
        )


async def _transactions(session: AsyncSession, w: World, n: int) -> None:
    for i in range(n):
        provider = await create_org(session, f"Provider {i}")
        receiver = await create_org(session, f"Receiver {i}")
        await create_transaction(session, w.project.id, amount="10.00", provider=provider.id, receiver=receiver.id)


async def _budgets(session: AsyncSession, w: World, n: int) -> None:
    for i in range(n):
        await create_budget(session, w.project.id, start=date(2010, 1, 1) + timedelta(days=i))


async def _history(session: AsyncSession, w: World, n: int) -> None:
    for i in range(n):
        session.add(
            AuditEvent(
                actor="user:x",
                actor_name="X",
                entity_type="project",
                entity_id=w.project.id,
                project_id=w.project.id,
                action="update",
                changes={"title": {"before": i, "after": i + 1}},
            )
        )
    await session.flush()


async def _users(session: AsyncSession, w: World, n: int) -> None:
    for _ in range(n):
        await create_user(
            session, organisation_id=w.prague.id, grants=(("viewer", None, "GE"), ("manager", w.prague.id, None))
        )


async def _api_clients(session: AsyncSession, w: World, n: int) -> None:
    for _ in range(n):
        await create_api_client(session, grants=("viewer", "reporter"))


async def _rates(session: AsyncSession, w: World, n: int) -> None:
    for i in range(n):
        session.add(
            ExchangeRate(
                currency="GEL",
                rate_date=date(2010, 1, 1) + timedelta(days=100 * n + i),
                units_per_eur=Decimal("2.3"),
                source="NBG",
            )
        )
    await session.flush()


async def _participants(session: AsyncSession, w: World, n: int) -> None:
    for i in range(n):
        org = await create_org(session, f"Beneficiary {i}")
        session.add(
            ProjectParticipant(project_id=w.project.id, organisation_id=org.id, role="beneficiary", position=10 + i)
        )
        session.add(ProjectLocation(project_id=w.project.id, country_code="BA", name=f"Place {org.name}"))
    await session.flush()


def _participant_count(body: Any) -> int:
    return len(body["participants"])


def _items(body: Any) -> int:
    return len(body["items"])


def _rows(body: Any) -> int:
    return len(body["rows"])


@dataclass(frozen=True)
class Listing:
    name: str
    path: Callable[[World], str]
    grow: Grow
    size: Callable[[Any], int] = _items
    admin: bool = False


SUMMARY = "/funding/summary?group_by=funder&group_by=project&group_by=country&group_by=theme&group_by=year"
LISTINGS = [
    Listing("projects", lambda w: f"{API}/projects?page_size=200", _projects),
    Listing(
        "projects-filtered",
        lambda w: (
            f"{API}/projects?organisation={w.iom.id}&country=GE&theme=competences&sector=15190&q=project&year_from=2000"
        ),
        _projects,
    ),
    Listing("organisations", lambda w: f"{API}/organisations?page_size=200", _organisations),
    Listing("activities", lambda w: f"{API}/projects/{w.project.id}/activities?page_size=200", _activities),
    Listing("transactions", lambda w: f"{API}/projects/{w.project.id}/transactions?page_size=200", _transactions),
    Listing("budgets", lambda w: f"{API}/projects/{w.project.id}/budgets?page_size=200", _budgets),
    Listing("history", lambda w: f"{API}/projects/{w.project.id}/history?page_size=200", _history),
    Listing("funding-summary", lambda w: f"{API}{SUMMARY}", _projects, _rows),
    Listing("users", lambda w: f"{API}/users?page_size=200", _users, admin=True),
    Listing("api-clients", lambda w: f"{API}/api-clients?page_size=200", _api_clients, admin=True),
    Listing("project-detail", lambda w: f"{API}/projects/{w.project.id}", _participants, _participant_count),
    Listing("exchange-rates", lambda w: f"{API}/exchange-rates?page_size=200", _rates),
]


CASES = [
    pytest.param(item, caller, id=f"{item.name}-{caller}")
    for item in LISTINGS
    for caller in (["admin"] if item.admin else ["anonymous", "scoped-viewer"])
]


@pytest.mark.parametrize(("listing", "caller"), CASES)
async def test_list_statement_count_does_not_grow_with_the_rows(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    statements: Statements,
    listing: Listing,
    caller: str,
) -> None:
    world = await World.build(session)
    headers = {
        "admin": tokens.admin(),
        "scoped-viewer": tokens.role(Role.viewer, org=world.iom.id),  # its scope takes a query: once, not per row
        "anonymous": {},
    }[caller]

    async def measure() -> tuple[int, int, list[str]]:
        statements.reset()
        response = await client.get(listing.path(world), headers=headers)
        assert response.status_code == 200, response.text
        return listing.size(response.json()), len(statements.seen), list(statements.seen)

    await listing.grow(session, world, 2)
    small_rows, small, small_sql = await measure()
    await listing.grow(session, world, 18)
    large_rows, large, large_sql = await measure()

    assert large_rows >= small_rows + 18, "the second answer should include the 18 rows added"
    assert large == small, "\n\n".join(large_sql)
