"""The FastAPI application shell both services share: prefixes, errors, middleware, health, metrics."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import HTMLResponse, JSONResponse, Response

from registry_kit import openapi
from registry_kit.auth import KeySource, RevocationSource, TokenVerifier
from registry_kit.database import create_sessionmaker, database_config, resolve_database_url
from registry_kit.database_errors import register_database_errors
from registry_kit.errors import DependencyUnavailable, register_error_handlers
from registry_kit.lifecycle import DrainMiddleware, drain
from registry_kit.logs import service_var
from registry_kit.metrics import MetricsMiddleware, ServiceMetrics, metrics_endpoint
from registry_kit.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from registry_kit.raw_reads import Reads
from registry_kit.readiness import Readiness
from registry_kit.settings import ServiceSettings
from registry_kit.text_input import TextInputMiddleware
from registry_kit.tracing import setup_tracing

logger = logging.getLogger(__name__)


def operation_id(route: APIRoute) -> str:
    """`{tag}-{name}` so generated clients read well (e.g. projects-list_projects)."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


async def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


async def readyz(request: Request) -> Response:
    """Readiness: not shutting down, and the database answers on the probe's own connection, promptly."""
    if drain.active:
        raise DependencyUnavailable("This instance is shutting down.", headers={"Retry-After": "1"})
    readiness: Readiness = request.app.state.readiness
    if not await readiness.check():
        raise DependencyUnavailable("The database is not reachable.", headers={"Retry-After": "5"})
    return JSONResponse({"status": "ready"})


def _ops_router() -> APIRouter:
    router = APIRouter(tags=["ops"], include_in_schema=False)
    router.add_api_route("/healthz", healthz, methods=["GET"])
    router.add_api_route("/readyz", readyz, methods=["GET"])
    router.add_api_route("/metrics", metrics_endpoint, methods=["GET"])
    return router


async def open_database(app: FastAPI, settings: ServiceSettings, *, raw_reads: bool = False) -> AsyncEngine:
    """The lifespan's first step in every service: engine, sessionmaker and pool metrics on the app's state; with
    `raw_reads`, also the asyncpg pool of the hot reads (`app.state.reads`, closed by `close_database`)."""
    url = await asyncio.to_thread(resolve_database_url, settings)  # may start the embedded server
    config = database_config(url, settings).with_application_name(f"{app.state.metrics.service}-api")
    engine = config.create_engine()
    app.state.database = config
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.readiness = Readiness(config, settings.db_ready_timeout_seconds)
    if raw_reads:
        app.state.reads = await Reads.open(config)
    app.state.metrics.watch_pools(engine, lambda: _raw_pools(app))
    budget = config.pool_budget() if raw_reads else {**config.pool_budget(), "reads": 0}
    logger.info(
        "database pools", extra={"connections_at_most": sum(budget.values()), **budget, "sslmode": config.sslmode}
    )
    return engine


def _raw_pools(app: FastAPI) -> dict[str, Any]:
    reads: Reads | None = getattr(app.state, "reads", None)
    return {"reads": reads.pool if reads else None, "readiness": app.state.readiness.pool}


async def close_database(app: FastAPI) -> None:
    reads: Reads | None = getattr(app.state, "reads", None)
    if reads is not None:
        await reads.close()
    await app.state.readiness.close()
    await app.state.engine.dispose()


def token_verifier(
    keys: KeySource, settings: ServiceSettings, revocations: RevocationSource | None = None
) -> TokenVerifier:
    """A verifier for the issuer, audience and grants claim the settings name (and the revocations, if any)."""
    return TokenVerifier(
        keys,
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        grants_claim=settings.auth_grants_claim,
        leeway=settings.auth_leeway_seconds,
        revocations=revocations,
    )


# Swagger UI and ReDoc as published builds inside a PyPI package (fastapi-offline): the docs render with no CDN.
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
# The docs pages load nothing from elsewhere, even what their scripts would (ReDoc's footer logo is on a CDN).
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
)


def _self_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_CSP
    return page


def docs_routes(app: FastAPI, prefix: str, title: str) -> None:
    """`{prefix}/docs` (Swagger UI, with its OAuth2 redirect) and `{prefix}/redoc`, their scripts and styles served
    from `{prefix}/docs-assets/` by the service itself."""
    assets = f"{prefix}/docs-assets"
    app.mount(assets, StaticFiles(directory=DOCS_ASSETS), name=f"{prefix}-docs-assets")
    openapi_url = f"{prefix}/openapi.json"
    redirect = f"{prefix}/docs/oauth2-redirect"

    async def swagger_ui() -> HTMLResponse:
        return _self_only(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{title}: API",
                oauth2_redirect_url=redirect,
                swagger_js_url=f"{assets}/swagger-ui-bundle.js",
                swagger_css_url=f"{assets}/swagger-ui.css",
                swagger_favicon_url=f"{assets}/favicon.png",
                # No call-out to the public validator (its badge): nothing leaves the service.
                swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": False},
            )
        )

    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc() -> HTMLResponse:
        return _self_only(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{title}: API",
                redoc_js_url=f"{assets}/redoc.standalone.js",
                redoc_favicon_url=f"{assets}/favicon.png",
                with_google_fonts=False,
            )
        )

    app.add_api_route(f"{prefix}/docs", swagger_ui, methods=["GET"], include_in_schema=False)
    app.add_api_route(redirect, oauth2_redirect, methods=["GET"], include_in_schema=False)
    app.add_api_route(f"{prefix}/redoc", redoc, methods=["GET"], include_in_schema=False)


def api_router(prefix: str, *routers: APIRouter) -> APIRouter:
    """The service's domain routers under its versioned prefix, in the order given: a request is matched against the
    routes in that order."""
    api = APIRouter(prefix=prefix)
    for router in routers:
        api.include_router(router)
    return api


@asynccontextmanager
async def running(*jobs: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """The lifespan's background jobs (workers, sync loops) run as tasks while the block runs; leaving it cancels
    each and waits for it to end, before the lifespan closes what the jobs use."""
    tasks = [asyncio.create_task(job) for job in jobs]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


def named_lifespan(
    service: str, lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]]
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The lifespan with `service` naming its log lines: start-up, shutdown, and the tasks it starts (they copy the
    context they were created in). The name is unset while the app serves, so a process running several apps (the
    one-process stack) labels its own lines with its own name."""

    @asynccontextmanager
    async def named(app: FastAPI) -> AsyncIterator[None]:
        token = service_var.set(service)
        try:
            async with lifespan(app):
                service_var.reset(token)
                try:
                    yield
                finally:
                    token = service_var.set(service)
        finally:
            service_var.reset(token)

    return named


def build_app(
    *,
    slug: str,
    title: str,
    description: str,
    settings: ServiceSettings,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    upload_limits: dict[str, int] | None = None,
    openapi_tags: list[dict[str, Any]] | None = None,
) -> FastAPI:
    """A service app serving everything under `/api/<slug>/`; ops endpoints also at the root."""
    prefix = f"/api/{slug}"
    service = f"{slug}-api"
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        openapi_url=f"{prefix}/openapi.json",
        docs_url=None,  # served by docs_routes, from packaged assets
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=f"{prefix}/docs/oauth2-redirect",
        lifespan=named_lifespan(service, lifespan),
        generate_unique_id_function=operation_id,
        openapi_tags=openapi_tags,
        separate_input_output_schemas=True,
        # `/things/` is not `/things`: a 404 problem, never an undocumented 307 to another URL.
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.metrics = ServiceMetrics(slug)
    register_error_handlers(app)
    register_database_errors(app)
    app.include_router(_ops_router())
    app.include_router(_ops_router(), prefix=prefix)
    docs_routes(app, prefix, title)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    # Inside the body limit (which caps what it reads), outside everything that reads text.
    app.add_middleware(TextInputMiddleware, skip_body_prefixes=tuple(upload_limits or ()))
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, overrides=upload_limits)
    app.add_middleware(RequestContextMiddleware, service=service)
    app.add_middleware(DrainMiddleware)
    setup_tracing(app, service, settings)
    openapi.install(app, settings.token_url)
    return app
