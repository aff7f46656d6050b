"""What projects-api asks reporting-api for IATI: the results of a batch of projects (read with the caller's token,
so reporting-api applies its own read rules) and a project's results written from an imported file."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from registry_kit.errors import DependencyUnavailable, Forbidden, Unauthorized, ValidationFailed, field_error
from registry_kit.upstream import Upstream

API = "/api/reporting/v1/iati"


def _unexpected(status: int, what: str) -> DependencyUnavailable:
    return DependencyUnavailable(f"reporting-api answered {status} to {what}.", headers={"Retry-After": "5"})


async def read_results(upstream: Upstream, ids: Sequence[uuid.UUID], token: str | None) -> dict[str, list[Any]]:
    """{project id: its results}; projects without results or that the caller may not read are absent."""
    if not ids:
        return {}
    params = [("project_id", str(i)) for i in ids]
    status, body = await upstream.get_json(f"{API}/results", token=token, params=params)
    if status == 401:
        raise Unauthorized("reporting-api did not accept the token.")
    if status != 200 or not isinstance(body, dict):
        raise _unexpected(status, "a results read")
    return {str(p["project_id"]): p["results"] for p in body.get("projects", [])}


async def write_results(
    upstream: Upstream, project_id: uuid.UUID, results: list[dict[str, Any]], token: str
) -> dict[str, Any]:
    """reporting-api's account of the results it wrote (PUT: retried safely)."""
    response = await upstream.request(
        "PUT", f"{API}/projects/{project_id}/results", token=token, json={"results": results}
    )
    body = response.json() if response.content else {}
    if response.status_code == 200:
        return dict(body)
    detail = str(body.get("detail") or body.get("title") or response.status_code)
    if response.status_code == 403:
        raise Forbidden(f"reporting-api refused the results: {detail}")
    if response.status_code == 422:
        errors = [
            field_error(e.get("field", "results"), e.get("message", ""), e.get("code", "invalid"))
            for e in body.get("errors") or []
        ]
        raise ValidationFailed(f"reporting-api refused the results: {detail}", errors=errors or None)
    raise _unexpected(response.status_code, "a results write")
