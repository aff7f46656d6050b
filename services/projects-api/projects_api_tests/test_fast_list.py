"""The list's fast route (projects/fast_list.py) answers exactly what the declared route answers, for every caller,
and leaves everything it does not handle (other filters, values the declared route refuses) to the declared route."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.projects import fast_list
from projects_api.projects.router import Sort
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import create_org, create_project
from registry_kit.auth import Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
LIST = "/api/projects/v1/projects"


async def test_the_fast_route_answers_what_the_declared_route_answers(
    session: AsyncSession, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    donor = await create_org(session, "Donor")
    for i in range(5):
        await create_project(
            session,
            code=f"FAST-{i}",
            countries=(("UZ", "100"),),
            is_public=i % 2 == 0,
            participants=((donor.id, "funding"),),
        )
    callers = {"anonymous": {}, "viewer": tokens.role(Role.viewer), "scoped": tokens.role(Role.viewer, country="UZ")}
    for query in (
        "country=UZ",
        "country=UZ&page=2&page_size=2",
        "country=UZ&sort=-code",
        "country=UZ&sort=-title",
        "country=UZ&country=TJ&page_size=3",
        "page_size=3",
    ):
        for name, headers in callers.items():
            fast = await client.get(f"{LIST}?{query}", headers=headers)
            # An empty search is no filter, but not of the fast route's shape: the declared route answers it.
            declared = await client.get(f"{LIST}?{query}&q=", headers=headers)
            assert fast.status_code == declared.status_code == 200, (query, name, fast.text)
            assert fast.content == declared.content, (query, name)


async def test_what_the_declared_route_refuses_is_still_refused(client: httpx.AsyncClient) -> None:
    for query in ("country=uz", "page=0", "page_size=1000", "sort=colour", "page=x", "page=1&page=2"):
        response = await client.get(f"{LIST}?{query}")
        if query == "page=1&page=2":  # a repeated value is the declared route's to read (the last one wins)
            assert response.status_code == 200
            continue
        assert response.status_code == 422, (query, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_bad_token_is_refused_as_on_the_declared_route(client: httpx.AsyncClient) -> None:
    fast = await client.get(f"{LIST}?country=GE", headers={"Authorization": "Bearer not-a-token"})
    declared = await client.get(f"{LIST}?country=GE&q=", headers={"Authorization": "Bearer not-a-token"})
    assert fast.status_code == declared.status_code == 401
    assert fast.json()["title"] == declared.json()["title"]


async def test_the_fast_route_takes_only_the_simple_shape() -> None:
    from starlette.datastructures import QueryParams

    sorts = frozenset({"code", "-code"})
    assert fast_list._simple(QueryParams("country=GE&page=2"), sorts) is not None
    for query in (
        "country=GE&theme=visa-policy",
        "country=Ge",
        "sort=title",
        "page=01x",
        "page_size=0",
        "sort=code&sort=code",
    ):
        assert fast_list._simple(QueryParams(query), sorts) is None, query


async def test_the_fast_detail_answers_what_the_declared_route_answers(
    session: AsyncSession, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    public = await create_project(session, countries=(("UZ", "100"),))
    private = await create_project(session, countries=(("UZ", "100"),), is_public=False)
    callers = {
        "anonymous": {},
        "viewer": tokens.role(Role.viewer),
        "elsewhere": tokens.role(Role.viewer, country="GE"),
        "bad token": {"Authorization": "Bearer not-a-token"},
    }
    for project in (public, private):
        for name, headers in callers.items():
            fast = await client.get(f"{LIST}/{project.id}", headers=headers)
            # Any query (the declared route ignores it) or an id in capitals goes to the declared route.
            declared = await client.get(f"{LIST}/{project.id}?_=1", headers=headers)
            capitals = await client.get(f"{LIST}/{str(project.id).upper()}", headers=headers)
            assert fast.status_code == declared.status_code == capitals.status_code, (name, fast.text)
            # The fast detail writes its headers itself (no Response object): the same ones, in the same order.
            kept = ("etag", "content-length", "content-type", "x-request-id")
            shown = [k for k in fast.headers if k in kept]
            assert shown == [k for k in declared.headers if k in kept], name
            for header in ("etag", "content-length", "content-type"):
                assert fast.headers.get(header) == declared.headers.get(header), (name, header)
            if fast.status_code == 200:
                assert fast.content == declared.content == capitals.content, name
            else:
                assert fast.json()["title"] == declared.json()["title"], name
    assert (await client.get(f"{LIST}/not-an-id")).status_code == 422


async def test_the_fast_route_serves_every_declared_sort(app: FastAPI) -> None:
    """The simple requests really reach the fast route: it once read the sorts from a Literal, Sort became an Enum,
    and every request silently fell through to the declared route (same answers, four times the CPU)."""
    from starlette.routing import Match

    fast = next(r for r in app.router.routes if isinstance(r, fast_list.FastListRoute))
    for sort in Sort:
        scope = {
            "type": "http",
            "method": "GET",
            "path": LIST,
            "root_path": "",
            "query_string": f"country=GE&page=2&sort={sort.value}".encode(),
        }
        assert fast.matches(scope)[0] == Match.FULL, sort
