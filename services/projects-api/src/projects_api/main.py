"""projects-api: the project and funding registry, and the built-in identity issuer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from projects_api.activities.router import router as activities_router
from projects_api.audit.router import router as changes_router
from projects_api.funding.explorer_router import explorer
from projects_api.funding.fx import ecb
from projects_api.funding.router import budgets, funding, rates, transactions
from projects_api.funding.summary_cache import SummaryCache
from projects_api.iati.jobs import IatiImportWorker
from projects_api.iati.router import router as iati_router
from projects_api.identity.keys import load_signing_key
from projects_api.identity.recipients import router as recipients_router
from projects_api.identity.revocation import database_revocations
from projects_api.identity.router import auth, clients, users
from projects_api.organisations.router import router as organisations_router
from projects_api.project_counts.router import router as project_counts_router
from projects_api.projects import fast_list
from projects_api.projects.router import Sort
from projects_api.projects.router import router as projects_router
from projects_api.reference.router import router as reference_router
from projects_api.settings import Settings
from registry_kit.app import api_router, build_app, close_database, open_database, running, token_verifier
from registry_kit.auth import KeySource, RemoteJWKS, RevocationSource, StaticKeys, remote_revocations
from registry_kit.logs import configure_logging
from registry_kit.upstream import Upstream, upstream_client

API_PREFIX = "/api/projects/v1"

TAGS = [
    {"name": "projects", "description": "Projects with their countries, themes, sectors and organisations"},
    {
        "name": "activities",
        "description": "Workshops, trainings, study visits and on-site visits of a project",
    },
    {"name": "transactions", "description": "Money moved, in its own currency and in EUR"},
    {"name": "budgets", "description": "Planned money by period"},
    {"name": "funding", "description": "EUR totals by funder, country, region, year, theme and status"},
    {"name": "exchange-rates", "description": "Rates for currencies the ECB does not publish"},
    {"name": "organisations", "description": "Donors, IOM offices, partners and beneficiary institutions"},
    {"name": "reference", "description": "Code lists: countries, regions, themes, sectors, IATI codelists"},
    {"name": "auth", "description": "OAuth2 tokens, JWKS and the caller"},
    {"name": "users", "description": "People and their role grants (admins)"},
    {"name": "api-clients", "description": "Third-party systems (admins)"},
    {"name": "changes", "description": "The feed of changed projects other services follow"},
    {"name": "iati", "description": "IATI 2.03 XML: activities and organisations out, partners' activity files in"},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await open_database(app, settings, raw_reads=True)
        app.state.signing_key = load_signing_key(settings)
        http = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0))
        keys: KeySource = (
            StaticKeys(app.state.signing_key.jwks)
            if settings.use_builtin_issuer
            else RemoteJWKS(http, settings.auth_jwks_url, settings.auth_jwks_cache_seconds)
        )
        revocations: RevocationSource | None = None
        if settings.use_builtin_issuer:
            revocations = database_revocations(app, settings)
        elif url := settings.revocations_url:
            revocations = remote_revocations(http, url, settings.auth_revocation_cache_seconds)
        app.state.verifier = token_verifier(keys, settings, revocations)
        app.state.summary_cache = SummaryCache()
        reporting_http = upstream_client(
            settings.reporting_api_url, connect=settings.reporting_connect_timeout, read=settings.reporting_timeout
        )
        app.state.reporting = Upstream(
            "reporting-api", reporting_http, metrics=app.state.metrics, retries=settings.reporting_retries
        )
        await asyncio.to_thread(ecb)  # load the ECB rates before the first request needs them
        app.state.iati_worker = IatiImportWorker(app, settings.iati_import_poll_seconds)
        jobs = [app.state.iati_worker.run_forever()] if settings.iati_import_poll_seconds > 0 else []
        try:
            async with running(*jobs):
                yield
        finally:
            await http.aclose()
            await reporting_http.aclose()
            await close_database(app)

    configure_logging("projects-api", settings.log_level, json=settings.log_json)
    app = build_app(
        slug="projects",
        title="Migration Capacity-Building Registry: projects-api",
        description=(
            "The project and funding registry: organisations, projects, activities, budgets and transactions "
            "with EUR values, funding totals, users and tokens. Errors are RFC 9457 problem+json. "
            "Updates need If-Match with the ETag you read."
        ),
        settings=settings,
        lifespan=lifespan,
        openapi_tags=TAGS,
        upload_limits={f"{API_PREFIX}/iati/imports": settings.iati_max_import_bytes},
    )
    app.include_router(
        api_router(
            API_PREFIX,
            project_counts_router,
            projects_router,
            activities_router,
            transactions,
            budgets,
            funding,
            explorer,
            rates,
            organisations_router,
            reference_router,
            changes_router,
            auth,
            users,
            clients,
            iati_router,
            recipients_router,
        )
    )
    fast_list.install(app, f"{API_PREFIX}/projects", Sort)  # the list's common requests, same answers, less CPU
    return app
