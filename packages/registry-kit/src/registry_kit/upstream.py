"""Calling another service resiliently: explicit timeouts, retries with backoff on idempotent calls,
a circuit breaker, the caller's request id passed on, and upstream metrics.

Every failure that means "the other service cannot answer now" becomes `DependencyUnavailable` (503 with
Retry-After), so a route that needs the other service fails clearly and loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Hashable, Mapping
from typing import Any, Generic, TypeVar

import httpx
import orjson

from registry_kit.errors import DependencyUnavailable
from registry_kit.logs import request_id_var
from registry_kit.metrics import ServiceMetrics

logger = logging.getLogger(__name__)

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def upstream_client(
    base_url: str,
    *,
    connect: float = 2.0,
    read: float = 5.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """An httpx client with explicit timeouts and a bounded pool, for one upstream service."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(read, connect=connect),
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
        transport=transport,
    )


class CircuitOpen(DependencyUnavailable):
    """The breaker is open: the upstream failed repeatedly and is given time to recover."""


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; after `reset_seconds` lets one trial call through
    (half-open): success closes it, failure opens it again."""

    def __init__(self, threshold: int = 5, reset_seconds: float = 15.0) -> None:
        self.threshold = threshold
        self.reset_seconds = reset_seconds
        self.failures = 0
        self.opened_at: float | None = None
        self._trial = False

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.remaining() <= 0 else "open"

    def remaining(self) -> float:
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.reset_seconds - (time.monotonic() - self.opened_at))

    def before_call(self) -> None:
        state = self.state
        if state == "open" or (state == "half-open" and self._trial):
            raise CircuitOpen(
                "A service this needs failed repeatedly; calls to it are paused.",
                headers={"Retry-After": str(max(1, round(self.remaining())))},
            )
        if state == "half-open":
            self._trial = True

    def success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self._trial = False

    def failure(self) -> None:
        self.failures += 1
        self._trial = False
        if self.failures >= self.threshold or self.opened_at is not None:
            self.opened_at = time.monotonic()


class TTLCache(Generic[K, V]):
    """A small in-process cache with expiry and a size bound (oldest entries go first)."""

    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._items: dict[K, tuple[float, V]] = {}

    def lookup(self, key: K) -> tuple[bool, V | None]:
        """(found, value): a cached None (e.g. "not found") is still a hit."""
        hit = self._items.get(key)
        if hit is None:
            return False, None
        expires, value = hit
        if expires < time.monotonic():
            self._items.pop(key, None)
            return False, None
        return True, value

    def get(self, key: K) -> V | None:
        return self.lookup(key)[1]

    def set(self, key: K, value: V) -> None:
        if len(self._items) >= self.max_entries:
            for old in list(self._items)[: max(1, self.max_entries // 10)]:
                self._items.pop(old, None)
        self._items[key] = (time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        self._items.clear()


class Upstream:
    """One upstream service: `request()` with retries, a breaker, request-id propagation and metrics."""

    def __init__(
        self,
        name: str,
        client: httpx.AsyncClient,
        *,
        metrics: ServiceMetrics | None = None,
        retries: int = 2,
        backoff_seconds: float = 0.2,
        breaker: CircuitBreaker | None = None,
        retry_after_seconds: int = 5,
    ) -> None:
        self.name = name
        self.client = client
        self.metrics = metrics
        self.retries = retries
        self.backoff = backoff_seconds
        self.breaker = breaker or CircuitBreaker()
        self.retry_after = retry_after_seconds

    def _count(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.upstream.labels(self.metrics.service, self.name, outcome).inc()

    def _unavailable(self, detail: str) -> DependencyUnavailable:
        return DependencyUnavailable(
            f"{self.name} is unavailable: {detail}. Nothing was changed; retry later.",
            headers={"Retry-After": str(self.retry_after)},
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """The upstream's answer (any status below 500 is an answer); 503 DependencyUnavailable otherwise."""
        method = method.upper()
        sent = dict(headers or {})
        request_id = request_id_var.get()
        if request_id:
            sent.setdefault("X-Request-ID", request_id)
        if token:
            sent["Authorization"] = f"Bearer {token}"
        attempts = 1 + (self.retries if method in IDEMPOTENT else 0)
        last_error = "no answer"
        for attempt in range(attempts):
            try:
                self.breaker.before_call()
            except CircuitOpen:
                self._count("breaker_open")
                raise
            try:
                response = await self.client.request(method, url, headers=sent, **kwargs)
            except httpx.HTTPError as exc:
                last_error = type(exc).__name__
                self.breaker.failure()
                self._count("error")
            else:
                if response.status_code not in RETRY_STATUSES and response.status_code < 500:
                    self.breaker.success()
                    self._count("ok")
                    return response
                last_error = f"HTTP {response.status_code}"
                self.breaker.failure()
                self._count("http_5xx")
            if attempt + 1 < attempts:
                delay = self.backoff * (2**attempt) * (0.5 + random.random())  # noqa: S311 (jitter, not crypto)
                await asyncio.sleep(delay)
        logger.warning("upstream failed", extra={"upstream": self.name, "url": url, "error": last_error})
        raise self._unavailable(last_error)

    async def get_json(self, url: str, *, token: str | None = None, **kwargs: Any) -> tuple[int, Any]:
        response = await self.request("GET", url, token=token, **kwargs)
        try:
            # orjson: several times faster than the standard library on large answers (the IATI export's results)
            body = orjson.loads(response.content) if response.content else None
        except ValueError as exc:  # orjson.JSONDecodeError is a ValueError
            self._count("bad_body")
            raise self._unavailable("its answer was not JSON") from exc
        return response.status_code, body
