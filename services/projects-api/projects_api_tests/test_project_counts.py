"""GET /projects/counts: the dashboard's numbers by country, theme and status, over the projects the caller may see
(the list's visibility and filters), so anonymous callers and grants elsewhere never learn of private projects."""

from __future__ import annotations

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import NO_SCOPE, visible_clause
from projects_api.project_counts.repository import grouped
from projects_api.project_counts.schemas import CountBy
from projects_api.projects.filters import ProjectFilters, conditions
from projects_api.projects.models import Project
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import World, create_org, create_project
from projects_api_tests.test_query_plans import COUNTRY_INDEXES, VOLUME_SQL, plan, uses
from registry_kit.auth import Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
COUNTS = f"{API}/projects/counts"


def _rows(body: dict[str, object], by: str) -> dict[str, int]:
    groups = body["by"]
    assert isinstance(groups, dict)
    return {row["key"]: row["projects"] for row in groups[by]}


async def _world(session: AsyncSession) -> World:
    world = await World.build(session)
    await create_project(
        session,
        title="Border police in Georgia and Moldova",
        countries=(("GE", "50"), ("MD", "50")),
        themes=("border-protection", "police-education"),
        status="closed",
        participants=((world.prague.id, "implementing"),),
    )
    return world


async def test_counts_by_country_theme_and_status_in_one_request(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _world(session)
    r = await client.get(COUNTS, params=[("by", "country"), ("by", "theme"), ("by", "status")])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 2  # the public ones
    assert _rows(body, "country") == {"BA": 1, "GE": 1, "MD": 1}  # a project in two countries counts in each
    assert _rows(body, "theme") == {"border-protection": 1, "police-education": 1}
    assert _rows(body, "status") == {"closed": 1, "implementation": 1}
    assert r.headers["cache-control"].startswith("private")


async def test_anonymous_callers_do_not_count_private_projects(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _world(session)
    body = (await client.get(COUNTS, params={"by": "country"})).json()
    listed = (await client.get(f"{API}/projects", params={"country": "GE"})).json()
    assert _rows(body, "country")["GE"] == listed["total"] == 1  # the private GE project is not among them


async def test_a_grant_elsewhere_does_not_reveal_private_projects(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await _world(session)
    elsewhere = await create_org(session, "IOM Chisinau", country="MD")
    for headers in (tokens.role(Role.manager, org=elsewhere.id), tokens.role(Role.viewer, country="MD")):
        body = (await client.get(COUNTS, params={"by": "country"}, headers=headers)).json()
        assert _rows(body, "country")["GE"] == 1 and body["total"] == 2
    # In scope (a viewer of the participating organisation, or of its country), the private project counts.
    for headers in (tokens.role(Role.viewer, org=world.other.id), tokens.role(Role.viewer, country="GE")):
        body = (await client.get(COUNTS, params={"by": "country"}, headers=headers)).json()
        assert _rows(body, "country")["GE"] == 2 and body["total"] == 3
    assert (await client.get(COUNTS, params={"by": "country"}, headers=tokens.admin())).json()["total"] == 3


async def test_counts_take_the_lists_filters(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await _world(session)
    body = (await client.get(COUNTS, params={"by": "country", "theme": "border-protection"})).json()
    assert body["total"] == 1 and _rows(body, "country") == {"GE": 1, "MD": 1}
    body = (await client.get(COUNTS, params={"by": "status", "region": "western-balkans"})).json()
    assert _rows(body, "status") == {"implementation": 1}


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "query.by"), ({"by": "planet"}, "query.by"), ({"by": "country", "country": "georgia"}, "query.country[0]")],
)
async def test_bad_counts_queries_are_422_problem_json(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    r = await client.get(COUNTS, params=params)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert any(e["field"].startswith(field) for e in r.json()["errors"])


async def test_a_bad_token_is_401_not_a_silent_anonymous_count(client: httpx.AsyncClient) -> None:
    r = await client.get(COUNTS, params={"by": "country"}, headers={"Authorization": "Bearer not.a.jwt"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


@pytest_asyncio.fixture
async def volume(session: AsyncSession) -> None:
    for sql in VOLUME_SQL:
        await session.execute(text(sql))


@pytest.mark.usefixtures("volume")
@pytest.mark.parametrize(
    ("by", "indexes"),
    [
        (CountBy.country, COUNTRY_INDEXES),
        (CountBy.theme, ("ix_project_theme_theme", "pk_project_theme")),
        (CountBy.status, ("ix_project_status", "pk_project")),
    ],
)
async def test_counts_are_served_by_indexes(session: AsyncSession, by: CountBy, indexes: tuple[str, ...]) -> None:
    """Anonymous visibility plus a filter, grouped by each dimension: the planner finds an index for every step."""
    matching = select(Project.id).where(visible_clause(NO_SCOPE), *conditions(ProjectFilters(countries=["GE"])))
    explained = await plan(session, grouped(by, matching))
    assert uses(explained, *indexes), explained
    assert uses(explained, *COUNTRY_INDEXES), explained
