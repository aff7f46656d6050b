"""Prometheus metrics: the process (CPU, memory, file descriptors, GC), requests by route template, every database
pool, upstream call outcomes, and what each service adds (the import queue, the change feed's lag)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import asyncpg
from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry_kit.routes import route_template

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REFRESH_TIMEOUT_SECONDS = 2.0
logger = logging.getLogger(__name__)
Refresher = Callable[[], Awaitable[None]]


class ServiceMetrics:
    """One registry per app, so several apps (tests, the one-process mode) never collide."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        # process_* (CPU seconds, resident memory, open file descriptors, start time), python_* (GC, version):
        # the collectors are stateless readers of /proc and the interpreter, shared by every registry.
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            self.registry.register(collector)
        self._refreshers: list[Refresher] = []
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
        # `labels()` takes a lock and checks its values on every call: a request's two series, kept by their labels
        # (as many as prometheus_client keeps anyway, one per method, route template and status).
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def request_series(self, method: str, route: str, status: int) -> tuple[Any, Any]:
        """The request counter's and the latency histogram's series for these labels."""
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = (
                self.requests.labels(self.service, method, route, str(status)),
                self.latency.labels(self.service, method, route),
            )
        return series

    def watch_pools(self, engine: AsyncEngine, pools: Callable[[], dict[str, asyncpg.Pool | None]]) -> None:
        """SQLAlchemy's request pool, and the asyncpg pools `pools()` names (read at each scrape: they open later)."""
        self.registry.register(_PoolCollector(self.service, engine, pools))

    def add_refresher(self, refresh: Refresher) -> None:
        """An async step run before each scrape (a query for queue depths, say), bounded in time."""
        self._refreshers.append(refresh)

    async def refresh(self) -> None:
        for refresh in self._refreshers:
            try:
                async with asyncio.timeout(REFRESH_TIMEOUT_SECONDS):
                    await refresh()
            except Exception:  # noqa: BLE001 (a scrape shows the last values rather than failing)
                logger.warning("metrics refresh failed", exc_info=True)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _PoolCollector(Collector):
    """Connections per pool: in use, open, and the most the pool may open (sum `max` over pools and replicas to
    size the server's max_connections)."""

    def __init__(self, service: str, engine: AsyncEngine, pools: Callable[[], dict[str, asyncpg.Pool | None]]) -> None:
        self.service = service
        self.engine = engine
        self.pools = pools

    def collect(self) -> Iterable[Metric]:
        labels = ["service", "pool"]
        in_use = GaugeMetricFamily("db_pool_checked_out", "Connections in use, by pool", labels=labels)
        size = GaugeMetricFamily("db_pool_size", "Connections open, by pool", labels=labels)
        most = GaugeMetricFamily("db_pool_max", "Most connections the pool may open", labels=labels)
        overflow = GaugeMetricFamily("db_pool_overflow", "Request pool connections beyond its size", labels=labels)
        pool = self.engine.sync_engine.pool
        if isinstance(pool, QueuePool):
            in_use.add_metric([self.service, "requests"], float(pool.checkedout()))
            size.add_metric([self.service, "requests"], float(pool.checkedin() + pool.checkedout()))
            overflow.add_metric([self.service, "requests"], float(max(pool.overflow(), 0)))
            most.add_metric([self.service, "requests"], float(pool.size() + pool._max_overflow))
        for name, raw in self.pools().items():
            if raw is None:
                continue
            in_use.add_metric([self.service, name], float(raw.get_size() - raw.get_idle_size()))
            size.add_metric([self.service, name], float(raw.get_size()))
            most.add_metric([self.service, name], float(raw.get_max_size()))
        yield from (in_use, size, most, overflow)


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
            requests, latency = self.metrics.request_series(
                scope["method"], route_template(scope) or "unmatched", status
            )
            requests.inc()
            latency.observe(time.perf_counter() - started)


async def metrics_endpoint(request: Request) -> Response:
    metrics: ServiceMetrics = request.app.state.metrics
    await metrics.refresh()
    return Response(metrics.render(), media_type=CONTENT_TYPE)
