"""The project list's most common requests, and the project detail, answered without FastAPI's parameter machinery.

`GET /projects?country=GE&page=2&page_size=50` is the registry's most frequent request (the dashboards' map and the
project list). Its answer is one statement over the kept read tables (read_model.py), but FastAPI checked its 14
declared query parameters one by one on every request (typing introspection per parameter, in this FastAPI),
which cost more CPU than the rest of the request (profiled under `make bench`). This route sits in front of the
declared one: a request with only `country`, `page`, `page_size` and `sort`, each valid by the declared rules, is
answered here by the same function (read_model.list_page) with the same caller (the bearer token verified the same
way); anything else (another filter, a value the declared route would refuse, a repeated single value) goes to the
declared route unchanged, which also keeps the OpenAPI document as it was.

The detail (`GET /projects/{id}` with an id in its canonical form and no query) is answered the same way: FastAPI's
routing through its included routers and its dependency solving were most of that request's CPU too.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, get_args

from fastapi import FastAPI, Request
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from projects_api.projects import read_model
from projects_api.projects.filters import ProjectFilters
from registry_kit.auth import TokenVerifier, bearer_token
from registry_kit.etag import etag
from registry_kit.pagination import MAX_PAGE_SIZE, PageParams

_NAMES = frozenset({"country", "page", "page_size", "sort"})


def _int(params: QueryParams, name: str, default: int, high: int) -> int | None:
    values = params.getlist(name)
    if not values:
        return default
    if len(values) > 1 or not values[0].isdigit():
        return None
    value = int(values[0])
    return value if 1 <= value <= high else None


def _simple(params: QueryParams, sorts: frozenset[str]) -> tuple[list[str], str, PageParams] | None:
    """The request's countries, sort and page if it is of the simple shape and valid; None otherwise."""
    if not set(params.keys()) <= _NAMES:
        return None
    countries = params.getlist("country")
    if any(len(c) != 2 or not c.isupper() for c in countries):
        return None
    sort = params.getlist("sort") or ["code"]
    page, size = _int(params, "page", 1, 1_000_000), _int(params, "page_size", 50, MAX_PAGE_SIZE)
    if len(sort) > 1 or sort[0] not in sorts or page is None or size is None:
        return None
    return countries, sort[0], PageParams(page=page, page_size=size)


class FastListRoute(Route):
    """Matches `GET path` only for requests of the simple shape; the others go on to the declared route."""

    def __init__(self, path: str, sorts: frozenset[str]) -> None:
        super().__init__(path, self._answer, methods=["GET"], include_in_schema=False)
        self.sorts = sorts

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        # The path first: every other request (the detail's too) passes here, and a regular expression is cheaper
        # than parsing its query.
        match, child = super().matches(scope)
        if match is Match.NONE:
            return match, child
        simple = _simple(QueryParams(scope.get("query_string", b"")), self.sorts)
        if simple is None:
            return Match.NONE, {}
        return match, {**child, "simple_list": simple}

    async def _answer(self, request: Request) -> Response:
        countries, sort, page = request.scope["simple_list"]
        principal = None
        token = bearer_token(request.headers.get("authorization"))
        if token is not None:
            verifier: TokenVerifier = request.app.state.verifier
            principal = await verifier.verify(token)
        body = await read_model.list_page(
            request.app.state.reads, principal, ProjectFilters(countries=countries), sort=sort, page=page
        )
        return Response(body, media_type="application/json")


class FastDetailRoute(Route):
    """`GET path/{project_id}` with a canonical id and no query; anything else goes on to the declared route.

    Served as a plain ASGI app, not an endpoint: Starlette's endpoint wrapper (a Request, a route-level exception
    wrapper, a Response object) was a fifth of this one-statement read's CPU outside the database. The answer's
    status, headers and body are what `Response(body, media_type="application/json", headers={"ETag": …})` sends;
    an error (a bad token, a project the caller may not see) propagates to the app's exception middleware, whose
    handlers are the ones the endpoint wrapper would have used."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path}/{{project_id:uuid}}", self._serve, methods=["GET"], include_in_schema=False)
        self.app = self._serve  # as it is: Route would wrap a method as a request -> response endpoint

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope.get("query_string"):
            return Match.NONE, {}
        return super().matches(scope)

    async def _serve(self, scope: Scope, _receive: Receive, send: Send) -> None:
        app = scope["app"]
        principal = None
        token = bearer_token(_authorization(scope))
        if token is not None:
            verifier: TokenVerifier = app.state.verifier
            principal = await verifier.verify(token)
        project_id = scope["path_params"]["project_id"]
        body, version = await read_model.visible_detail(app.state.reads, principal, project_id)
        headers = [
            (b"etag", etag(project_id, version).encode("latin-1")),
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"content-type", b"application/json"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _authorization(scope: Scope) -> str | None:
    """The first Authorization header, as `Request.headers.get` reads it (ASGI header names are lower case)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return str(value.decode("latin-1"))
    return None


def sort_values(sorts: Any) -> frozenset[str]:
    """The declared sort's values, from a Literal or an Enum. Empty would send every request to the declared route
    (as happened, unnoticed, when Sort became an Enum and only a Literal was read here)."""
    values = frozenset(str(s.value) for s in sorts) if isinstance(sorts, type) and issubclass(sorts, Enum) else None
    values = values if values is not None else frozenset(get_args(sorts))
    if not values:
        raise TypeError(f"no sort values in {sorts!r}")
    return values


def install(app: FastAPI, path: str, sorts: Any) -> None:
    """Put the fast routes in front of every other (the declared routes stay, for everything else)."""
    app.router.routes.insert(0, FastListRoute(path, sort_values(sorts)))
    app.router.routes.insert(1, FastDetailRoute(path))
