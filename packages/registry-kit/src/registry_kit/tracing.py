"""OpenTelemetry traces, off unless an OTLP endpoint is configured (`*_OTLP_ENDPOINT`).

A request gets a server span, each call to another service a client span whose `traceparent` header the other
service continues, and each statement to PostgreSQL a span (asyncpg, under SQLAlchemy and the hot reads alike).
The gateway starts the trace: it sends `traceparent` with its request id as the trace id (deploy/gateway), so a
trace, the gateway's access log and every service's log line share one id. Spans go in batches to the collector
over OTLP/HTTP; the SDK's own OTEL_* variables (headers, batch sizes, sampling) apply.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI

from registry_kit.settings import ServiceSettings

logger = logging.getLogger(__name__)
_instrumented = False


def setup_tracing(app: FastAPI, service_name: str, settings: ServiceSettings, exporter: Any = None) -> None:
    """Trace this app's requests, its outgoing HTTP calls and its database statements. `exporter` replaces the OTLP
    exporter (tests); without an endpoint or an exporter, nothing is installed and nothing is traced."""
    if not settings.otlp_endpoint and exporter is None:
        return
    from opentelemetry import trace
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        # One provider per process (the one-process mode has two apps in it): the first app sets it up.
        provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        if exporter is None:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporter = OTLPSpanExporter(endpoint=f"{str(settings.otlp_endpoint).rstrip('/')}/v1/traces")
        provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
    _instrument_libraries()
    app.add_middleware(
        OpenTelemetryMiddleware,
        tracer_provider=provider,
        exclude_spans=["receive", "send"],
        excluded_urls="healthz,readyz,metrics",
    )
    logger.info("tracing on", extra={"otlp_endpoint": settings.otlp_endpoint, "service_name": service_name})


def _instrument_libraries() -> None:
    """httpx and asyncpg are patched once per process, for every client and connection in it."""
    global _instrumented
    if _instrumented:
        return
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor().instrument()
    AsyncPGInstrumentor().instrument()  # type: ignore[no-untyped-call]
    _instrumented = True
