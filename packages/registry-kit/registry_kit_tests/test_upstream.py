"""The resilient upstream client: retries only idempotent calls, opens its breaker, passes the request id on."""

from __future__ import annotations

import httpx
import pytest

from registry_kit.errors import DependencyUnavailable
from registry_kit.logs import request_id_var
from registry_kit.metrics import ServiceMetrics
from registry_kit.upstream import CircuitBreaker, CircuitOpen, TTLCache, Upstream, upstream_client

pytestmark = pytest.mark.asyncio(loop_scope="session")


class Script:
    """A transport answering a scripted sequence of statuses (or raising for 0)."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 0:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(status, json={"ok": status == 200})


def make(script: Script, **kw: object) -> tuple[Upstream, ServiceMetrics]:
    metrics = ServiceMetrics("test")
    client = upstream_client("http://upstream.test", transport=httpx.MockTransport(script))
    return Upstream("upstream", client, metrics=metrics, backoff_seconds=0, **kw), metrics  # type: ignore[arg-type]


async def test_idempotent_calls_are_retried_until_they_succeed() -> None:
    script = Script(503, 0, 200)
    upstream, metrics = make(script, retries=2)
    status, body = await upstream.get_json("/x")
    assert (status, body) == (200, {"ok": True})
    assert len(script.seen) == 3
    rendered = metrics.render().decode()
    assert 'upstream_requests_total{outcome="ok",service="test",upstream="upstream"} 1.0' in rendered
    assert 'outcome="http_5xx"' in rendered


async def test_posts_are_not_retried_and_failures_become_503() -> None:
    script = Script(0, 200)
    upstream, _ = make(script, retries=2)
    with pytest.raises(DependencyUnavailable) as caught:
        await upstream.request("POST", "/x")
    assert len(script.seen) == 1
    assert caught.value.headers["Retry-After"] == "5"


async def test_client_errors_are_answers_not_failures() -> None:
    script = Script(404)
    upstream, _ = make(script)
    status, _ = await upstream.get_json("/x")
    assert status == 404
    assert upstream.breaker.failures == 0


async def test_the_breaker_opens_then_lets_one_trial_through() -> None:
    script = Script(0, 0, 0, 0, 200)
    breaker = CircuitBreaker(threshold=2, reset_seconds=0.05)
    upstream, _ = make(script, retries=0, breaker=breaker)
    for _ in range(2):
        with pytest.raises(DependencyUnavailable):
            await upstream.request("GET", "/x")
    with pytest.raises(CircuitOpen) as caught:
        await upstream.request("GET", "/x")
    assert int(caught.value.headers["Retry-After"]) >= 1
    assert len(script.seen) == 2  # the open breaker did not call
    import asyncio

    await asyncio.sleep(0.06)
    assert breaker.state == "half-open"
    with pytest.raises(DependencyUnavailable):
        await upstream.request("GET", "/x")  # the trial fails: open again
    assert breaker.state == "open"
    await asyncio.sleep(0.06)
    script.statuses = [200]
    await upstream.request("GET", "/x")
    assert breaker.state == "closed"


async def test_request_id_and_token_are_passed_on() -> None:
    script = Script(200)
    upstream, _ = make(script)
    token = request_id_var.set("req-42")
    try:
        await upstream.request("GET", "/x", token="abc")
    finally:
        request_id_var.reset(token)
    assert script.seen[0].headers["x-request-id"] == "req-42"
    assert script.seen[0].headers["authorization"] == "Bearer abc"


async def test_ttl_cache_keeps_none_as_a_hit_and_expires() -> None:
    cache: TTLCache[str, int | None] = TTLCache(60, max_entries=10)
    cache.set("a", None)
    assert cache.lookup("a") == (True, None)
    assert cache.lookup("b") == (False, None)
    for i in range(20):
        cache.set(str(i), i)
    assert len(cache._items) <= 10
    expired: TTLCache[str, int] = TTLCache(0)
    expired.set("x", 1)
    assert expired.get("x") is None
