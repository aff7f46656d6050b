"""The one-process stack's own probes at the root, as a deployment's probes expect them: `/healthz` (this process
answers), `/readyz` (every service's own readiness, asked in-process), `/metrics` (every service's metrics in one
exposition: the families are the same, told apart by their `service` label). Unknown `/api/…` paths answer a
problem+json 404 like the gateway, never the SPA's index.html."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping

import httpx
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.registry import Collector
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from registry_kit.errors import problem_response
from registry_kit.metrics import CONTENT_TYPE

Endpoint = Callable[[Request], Awaitable[Response]]


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


def readyz(services: Mapping[str, Starlette]) -> Endpoint:
    async def endpoint(_: Request) -> Response:
        answers: dict[str, int] = {}
        for prefix, app in services.items():
            # The service's own /readyz, through ASGI in this process: the stack's readiness is theirs, not a copy.
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://stack") as client:
                answers[prefix] = (await client.get(f"{prefix}/readyz")).status_code
        if all(status == 200 for status in answers.values()):
            return JSONResponse({"status": "ready", "services": dict.fromkeys(answers, "ready")})
        down = ", ".join(prefix for prefix, status in answers.items() if status != 200)
        return problem_response(
            503, "dependency-unavailable", "Not ready", f"Not ready: {down}.", headers={"Retry-After": "5"}
        )

    return endpoint


class _Merged(Collector):
    """Every service's metric families, merged by name (each sample keeps its `service` label)."""

    def __init__(self, registries: list[CollectorRegistry]) -> None:
        self.registries = registries

    def collect(self) -> Iterable[Metric]:
        families: dict[str, Metric] = {}
        for registry in self.registries:
            for family in registry.collect():
                if family.name in families:
                    families[family.name].samples.extend(family.samples)
                else:
                    merged = Metric(family.name, family.documentation, family.type, family.unit)
                    merged.samples = list(family.samples)
                    families[family.name] = merged
        return list(families.values())


def metrics(services: Mapping[str, Starlette]) -> Endpoint:
    async def endpoint(_: Request) -> Response:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_Merged([app.state.metrics.registry for app in services.values()]))
        return Response(generate_latest(registry), media_type=CONTENT_TYPE)

    return endpoint


async def api_not_found(scope: Scope, receive: Receive, send: Send) -> None:
    """What the gateway answers for an /api/ path no service serves (deploy/gateway/nginx.conf)."""
    response = problem_response(404, "not-found", "Not found", "No API is served under this path.")
    await response(scope, receive, send)
