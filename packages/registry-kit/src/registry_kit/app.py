"""The FastAPI application shell both services share: prefixes, errors, middleware, health, metrics."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import JSONResponse, Response

from registry_kit.auth import KeySource, TokenVerifier
from registry_kit.database import create_sessionmaker, database_config, resolve_database_url
from registry_kit.errors import DependencyUnavailable, Problem, register_error_handlers
from registry_kit.lifecycle import DrainMiddleware, drain
from registry_kit.metrics import MetricsMiddleware, ServiceMetrics, metrics_endpoint
from registry_kit.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from registry_kit.raw_reads import Reads
from registry_kit.readiness import Readiness
from registry_kit.settings import ServiceSettings
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


def token_verifier(keys: KeySource, settings: ServiceSettings) -> TokenVerifier:
    """A verifier for the issuer, audience and grants claim the settings name."""
    return TokenVerifier(
        keys, issuer=settings.auth_issuer, audience=settings.auth_audience,
        grants_claim=settings.auth_grants_claim, leeway=settings.auth_leeway_seconds,
    )  # fmt: skip


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
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        openapi_url=f"{prefix}/openapi.json",
        docs_url=f"{prefix}/docs",
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        openapi_tags=openapi_tags,
        separate_input_output_schemas=True,
    )
    app.state.settings = settings
    app.state.metrics = ServiceMetrics(slug)
    register_error_handlers(app)
    app.include_router(_ops_router())
    app.include_router(_ops_router(), prefix=prefix)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, overrides=upload_limits)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(DrainMiddleware)
    setup_tracing(app, f"{slug}-api", settings)
    _add_problem_schema(app)
    return app


def _add_problem_schema(app: FastAPI) -> None:
    """Make sure `Problem` is in the OpenAPI components even before a route references it."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in problem.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault("Problem", problem)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
