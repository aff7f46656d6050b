"""The operations endpoints: liveness, readiness against the database, Prometheus metrics, request ids."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_healthz_and_readyz_answer_under_the_prefix_and_at_the_root(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/readyz", "/api/projects/healthz", "/api/projects/readyz"):
        response = await client.get(path)
        assert response.status_code == 200, path


async def test_request_id_is_kept_when_sent_and_made_when_not(client: httpx.AsyncClient) -> None:
    sent = await client.get("/api/projects/v1/reference/themes", headers={"X-Request-ID": "abc-123"})
    assert sent.headers["x-request-id"] == "abc-123"
    made = await client.get("/api/projects/v1/reference/themes")
    assert len(made.headers["x-request-id"]) == 32


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/api/projects/v1/organisations/00000000-0000-0000-0000-000000000000")
    body = (await client.get("/metrics")).text
    assert 'route="/api/projects/v1/organisations/{org_id}"' in body
    assert "http_request_duration_seconds_bucket" in body
    assert "db_pool_checked_out" in body


async def test_unknown_path_is_problem_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/projects/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404
