"""reporting-api: indicators, results frameworks, reports with approval, context series, imports and exports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from registry_kit import openapi
from registry_kit.app import api_router, build_app, close_database, open_database, running, token_verifier
from registry_kit.auth import RemoteJWKS, remote_revocations
from registry_kit.logs import configure_logging
from registry_kit.upstream import CircuitBreaker, Upstream, upstream_client
from reporting_api.aggregations import fast
from reporting_api.aggregations.router import router as aggregations_router
from reporting_api.context.router import router as context_router
from reporting_api.exports.router import router as exports_router
from reporting_api.frameworks.router import router as frameworks_router
from reporting_api.iati.router import router as iati_router
from reporting_api.imports.dhis2_router import router as dhis2_router
from reporting_api.imports.dhis2_schemas import DataValueSet
from reporting_api.imports.router import router as imports_router
from reporting_api.imports.worker import ImportWorker
from reporting_api.indicators.router import router as indicators_router
from reporting_api.notifications.router import router as notifications_router
from reporting_api.notifications.worker import NotificationWorker
from reporting_api.ops_metrics import OpsMetrics
from reporting_api.periods_router import router as periods_router
from reporting_api.projects.client import ProjectsClient
from reporting_api.projects.router import router as sync_router
from reporting_api.projects.sync import sync_loop
from reporting_api.reports.router import router as reports_router
from reporting_api.settings import Settings

API_PREFIX = "/api/reporting/v1"

TAGS = [
    {"name": "indicators", "description": "The indicator catalogue: measures, aggregation, disaggregation dimensions"},
    {"name": "frameworks", "description": "Project results frameworks: results, indicators, baselines and targets"},
    {"name": "reports", "description": "A project's values for a period, with the approval workflow and audit"},
    {"name": "context", "description": "Country context series: points, ranges and computed shares, with sources"},
    {"name": "imports", "description": "Bulk import of values (CSV, XLSX, JSON, DHIS2 dataValueSets)"},
    {"name": "exports", "description": "Streamed exports of values (CSV with optional HXL, XLSX, JSON)"},
    {"name": "aggregations", "description": "Dashboards: progress against target, time series, roll-ups"},
    {"name": "periods", "description": "Period codes and their dates"},
    {"name": "sync", "description": "The local copy of projects, kept from projects-api's change feed"},
    {"name": "iati", "description": "Results as IATI publishes them, for projects-api's IATI export and import"},
    {"name": "notifications", "description": "The caller's notifications (in the app and by e-mail) and their choices"},
]


def create_app(
    settings: Settings | None = None, *, projects_transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """The app; `projects_transport` lets tests put a stand-in for projects-api under the httpx client."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await open_database(app, settings, raw_reads=True)
        http = upstream_client(
            settings.projects_api_url,
            connect=settings.projects_connect_timeout,
            read=settings.projects_timeout,
            transport=projects_transport,
        )
        upstream = Upstream(
            "projects-api",
            http,
            metrics=app.state.metrics,
            retries=settings.projects_retries,
            backoff_seconds=settings.projects_backoff_seconds,
            breaker=CircuitBreaker(settings.projects_breaker_threshold, settings.projects_breaker_reset_seconds),
        )
        app.state.projects = ProjectsClient(upstream, settings)
        url = settings.revocations_url
        app.state.verifier = token_verifier(
            RemoteJWKS(http, settings.auth_jwks_url, settings.auth_jwks_cache_seconds),
            settings,
            remote_revocations(http, url, settings.auth_revocation_cache_seconds) if url else None,
        )
        # Heartbeats on connections of their own: a running job holds one connection in a long transaction.
        app.state.import_worker = ImportWorker(app, settings, heartbeats=app.state.sessionmaker)
        app.state.notification_worker = NotificationWorker(app, settings)
        jobs: list[Coroutine[Any, Any, None]] = []
        if settings.sync_interval_seconds > 0 and settings.projects_client_id:
            jobs.append(sync_loop(app))
        if settings.import_poll_seconds > 0:
            jobs.append(app.state.import_worker.run_forever())
        if settings.notify_poll_seconds > 0:
            jobs.append(app.state.notification_worker.run_forever())
        try:
            async with running(*jobs):
                yield
        finally:
            await http.aclose()
            await close_database(app)

    configure_logging("reporting-api", settings.log_level, json=settings.log_json)
    app = build_app(
        slug="reporting",
        title="Migration Capacity-Building Registry: reporting-api",
        description=(
            "Indicators and results frameworks of the registry's projects, reports per period with an approval "
            "workflow, country context series, bulk imports and streamed exports, dashboard aggregations. "
            "Projects and the caller's rights to them come from projects-api. Errors are RFC 9457 problem+json. "
            "Updates need If-Match with the ETag you read."
        ),
        settings=settings,
        lifespan=lifespan,
        openapi_tags=TAGS,
        upload_limits={
            # The file may be REPORTING_MAX_IMPORT_BYTES; the multipart envelope around it is not counted against it.
            f"{API_PREFIX}/imports": settings.max_import_bytes + 65536,
            f"{API_PREFIX}/reports": settings.max_attachment_bytes + 65536,
        },
    )
    # The dashboards' hot reads first: a request is matched against the routes in this order.
    app.include_router(
        api_router(
            API_PREFIX,
            aggregations_router,
            indicators_router,
            frameworks_router,
            reports_router,
            context_router,
            imports_router,
            dhis2_router,
            exports_router,
            periods_router,
            sync_router,
            notifications_router,
            iati_router,
        )
    )
    openapi.register_models(app, DataValueSet)  # the DHIS2 body /imports reads as it streams
    fast.install(app, API_PREFIX)  # the dashboards' hot reads for their common callers, same answers, less CPU
    app.state.ops_metrics = OpsMetrics(app)
    return app
