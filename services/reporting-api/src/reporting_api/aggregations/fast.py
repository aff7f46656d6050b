"""The dashboards' two hot reads, for their most common callers, answered without FastAPI's routing and parameter
machinery (the same pattern as projects-api's projects/fast_list.py).

A project's progress and an indicator's time series are one small statement each (aggregations/reads.py), and
FastAPI's matching through its included routers and its dependency solving cost more CPU than the statement
(profiled under `make bench`). These routes sit in front of the declared ones and answer, with the same functions,
the requests whose answer needs nothing else:

- progress (`GET /aggregations/progress/{id}`, no query) for a caller whose viewer grant reaches every project, of a
  project the local copy knows (the declared route's own shortcut: no question to projects-api);
- a time series (`GET /aggregations/time-series?indicator=…[&project_id=…][&period_type=…]`) for a caller who sees
  everything or only public projects (the declared route's compiled path).

Anything else (another caller, a project the copy does not know, other parameters, values the declared route would
refuse) goes to the declared route unchanged, which also keeps the OpenAPI document as it was.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Scope

from registry_kit.auth import Principal, Role, TokenVerifier, bearer_token
from reporting_api.aggregations import reads as aggregation_reads
from reporting_api.aggregations import rules, service
from reporting_api.aggregations.repository import as_observations
from reporting_api.aggregations.schemas import ProjectProgress, TimeSeries

_SERIES_NAMES = frozenset({"indicator", "project_id", "period_type"})
_PERIOD_TYPES = frozenset({"year", "quarter", "month"})


async def _principal(request: Request) -> Principal | None:
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        return None
    verifier: TokenVerifier = request.app.state.verifier
    return await verifier.verify(token)


class _Declined(Exception):
    """The request is not one this route answers: the declared route does."""


class FastProgressRoute(Route):
    def __init__(self, path: str) -> None:
        super().__init__(f"{path}/{{project_id:uuid}}", self._answer, methods=["GET"], include_in_schema=False)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope.get("query_string") or scope.get("fast_declined"):
            return Match.NONE, {}
        return super().matches(scope)

    async def _answer(self, request: Request) -> Response:
        principal = await _principal(request)
        project_id: uuid.UUID = request.path_params["project_id"]
        if principal is None or not principal.has_global(Role.viewer):
            raise _Declined
        known, rows = await service.progress(request.app.state.reads, project_id, datetime.now(UTC).date())
        if not known:
            raise _Declined
        return Response(
            ProjectProgress(project_id=project_id, indicators=rows).model_dump_json(), media_type="application/json"
        )


def _series_query(params: QueryParams) -> tuple[str, uuid.UUID | None, str] | None:
    if not set(params.keys()) <= _SERIES_NAMES or any(len(params.getlist(n)) > 1 for n in params.keys()):
        return None
    indicator, period_type = params.get("indicator"), params.get("period_type", "year")
    if not indicator or len(indicator) > 60 or period_type not in _PERIOD_TYPES:
        return None
    project = params.get("project_id")
    try:
        project_id = uuid.UUID(project) if project is not None else None
    except ValueError:
        return None
    if project is not None and str(project_id) != project:
        return None  # only the canonical form: the declared route reads the others
    return indicator, project_id, period_type


class FastSeriesRoute(Route):
    def __init__(self, path: str) -> None:
        super().__init__(path, self._answer, methods=["GET"], include_in_schema=False)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope.get("fast_declined"):
            return Match.NONE, {}
        query = _series_query(QueryParams(scope.get("query_string", b"")))
        if query is None:
            return Match.NONE, {}
        match, child = super().matches(scope)
        return match, {**child, "series_query": query}

    async def _answer(self, request: Request) -> Response:
        indicator, project_id, period_type = request.scope["series_query"]
        kind = aggregation_reads.reach(await _principal(request))
        if kind is None:
            raise _Declined
        reads = request.app.state.reads
        row = await aggregation_reads.indicator_rule(reads, indicator)
        if row is None:
            raise _Declined  # the declared route names the unknown indicator
        try:
            rule = rules.rule_for(row.measure, row.aggregation, row.cumulative)
        except rules.NotAggregable:
            raise _Declined from None  # the declared route refuses it
        observations = as_observations(
            await aggregation_reads.observation_rows(reads, row, kind, None, None, project_id, "")
        )
        points, unplaced = service.series_points(rule, observations, period_type)
        series = TimeSeries(
            indicator=indicator,
            period_type=period_type,
            disaggregation="",
            rule=service.rule_out(rule),
            points=points,
            unplaced_values=unplaced,
        )
        return Response(series.model_dump_json(), media_type="application/json")


def install(app: FastAPI, prefix: str) -> None:
    """Put the fast routes in front of every other (the declared routes stay, for everything else)."""
    routes: list[Route] = [
        FastProgressRoute(f"{prefix}/aggregations/progress"),
        FastSeriesRoute(f"{prefix}/aggregations/time-series"),
    ]
    for route in routes:
        route.app = _declining(route.app, app)
    app.router.routes[0:0] = routes


def _declining(inner: Any, app: FastAPI) -> Any:
    """The route's ASGI app, handing the request to the app's other routes when the fast one declines it."""

    async def run(scope: Scope, receive: Any, send: Any) -> None:
        try:
            await inner(scope, receive, send)
        except _Declined:
            await app.router(dict(scope, fast_declined=True), receive, send)

    return run
