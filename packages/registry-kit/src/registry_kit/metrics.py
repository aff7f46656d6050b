"""Prometheus metrics: requests by route template, database pool use, upstream call outcomes."""

from __future__ import annotations

import time
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry_kit.routes import route_template

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class ServiceMetrics:
    """One registry per app, so several apps (tests, the one-process mode) never collide."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests by route template and status",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency by route template",
            ["service", "method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.upstream = Counter(
            "upstream_requests_total",
            "Calls to other services by outcome",
            ["service", "upstream", "outcome"],
            registry=self.registry,
        )
        self.service = service

    def watch_pool(self, engine: AsyncEngine) -> None:
        self.registry.register(_PoolCollector(self.service, engine))

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _PoolCollector(Collector):
    def __init__(self, service: str, engine: AsyncEngine) -> None:
        self.service = service
        self.engine = engine

    def collect(self) -> Iterable[Metric]:
        pool = self.engine.sync_engine.pool
        for name, attr in (("checked_out", "checkedout"), ("size", "size"), ("overflow", "overflow")):
            fn = getattr(pool, attr, None)
            if fn is None:
                continue
            family = GaugeMetricFamily(f"db_pool_{name}", f"Database pool {name}", labels=["service"])
            family.add_metric([self.service], float(fn()))
            yield family


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            route = route_template(scope) or "unmatched"
            method = scope["method"]
            service = self.metrics.service
            self.metrics.requests.labels(service, method, route, str(status)).inc()
            self.metrics.latency.labels(service, method, route).observe(time.perf_counter() - started)


async def metrics_endpoint(request: Request) -> Response:
    metrics: ServiceMetrics = request.app.state.metrics
    return Response(metrics.render(), media_type=CONTENT_TYPE)
