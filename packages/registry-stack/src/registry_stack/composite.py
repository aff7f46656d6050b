"""One ASGI app that routes by prefix like the gateway: each service under its own /api/<service>/, the SPA elsewhere."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from registry_stack import ops
from registry_stack.headers import GatewayHeaders, SecurityHeadersMiddleware


class SpaFiles:
    """The built SPA: files as they are, `index.html` for client-side routes; hashed assets cached for a year."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist.resolve()

    def _response(self, path: str) -> Response:
        if not (self.dist / "index.html").exists():
            return HTMLResponse(_NO_SPA, status_code=200)
        candidate = (self.dist / path.lstrip("/")).resolve()
        if candidate.is_file() and candidate.is_relative_to(self.dist):
            cache = "public, max-age=31536000, immutable" if "/assets/" in path else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(self.dist / "index.html", headers={"Cache-Control": "no-cache"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._response(scope["path"])(scope, receive, send)


_NO_SPA = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Migration Capacity-Building Registry</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto">
<h1>Migration Capacity-Building Registry</h1>
<p>The web app has not been built in this checkout. The APIs are running:</p>
<ul><li><a href="/api/projects/docs">projects-api documentation</a> (<a href="/api/projects/openapi.json">OpenAPI</a>)</li>
<li><a href="/api/reporting/docs">reporting-api documentation</a> (<a href="/api/reporting/openapi.json">OpenAPI</a>)</li></ul>
</body></html>"""


class PrefixRouter:
    """Sends each request, unchanged, to the app whose prefix its path starts with (the gateway rewrites nothing)."""

    def __init__(self, apps: Mapping[str, ASGIApp], fallback: ASGIApp) -> None:
        self.apps = dict(apps)
        self.fallback = fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            path = scope["path"]
            for prefix, app in self.apps.items():
                if path == prefix or path.startswith(prefix + "/"):
                    await app(scope, receive, send)
                    return
            if scope["type"] == "http" and (path == "/api" or path.startswith("/api/")):
                await ops.api_not_found(scope, receive, send)
                return
        await self.fallback(scope, receive, send)


def composite_app(services: Mapping[str, Starlette], dist: Path, headers: GatewayHeaders | None = None) -> Starlette:
    """Run every service's lifespan, route by prefix, serve the SPA for the rest; the root probes, and the gateway's
    security headers on every response."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for app in services.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
            yield

    outer = Starlette(
        lifespan=lifespan,
        routes=[
            Route("/healthz", ops.healthz, methods=["GET", "HEAD"]),
            Route("/readyz", ops.readyz(services), methods=["GET", "HEAD"]),
            Route("/metrics", ops.metrics(services), methods=["GET"]),
        ],
    )
    # Every other request goes to the prefix router as it is: not a Mount("/"), whose pattern stops at a newline and
    # leaves Starlette's plain-text 404 for a path such as /api/projects/v1/projects/a%0Ab.
    outer.router.default = PrefixRouter(services, SpaFiles(dist))
    outer.add_middleware(SecurityHeadersMiddleware, headers=headers or GatewayHeaders.load())
    return outer
