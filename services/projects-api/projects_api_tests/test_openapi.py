"""The published OpenAPI document: every operation named, described, with its schemas, examples and errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from projects_api.settings import Settings
from registry_kit.settings_doc import settings_table

pytestmark = pytest.mark.asyncio(loop_scope="session")
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest_asyncio.fixture
async def document(client: httpx.AsyncClient) -> dict[str, Any]:
    r = await client.get("/api/projects/openapi.json")
    assert r.status_code == 200
    doc: dict[str, Any] = r.json()
    return doc


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, m, op) for path, item in doc["paths"].items() for m, op in item.items() if m in METHODS]


async def test_every_path_is_under_the_service_prefix(document: dict[str, Any]) -> None:
    assert all(path.startswith("/api/projects/v1/") for path in document["paths"])
    assert len(_operations(document)) >= 45


async def test_operations_have_tagged_ids_and_descriptions(document: dict[str, Any]) -> None:
    ids = []
    described = {tag["name"] for tag in document["tags"]}  # openapi-tags.toml
    for path, method, op in _operations(document):
        assert op.get("operationId", "").startswith(op["tags"][0] + "-"), (path, method)
        assert op["tags"][0] in described, (path, method)
        assert op.get("description"), (path, method)
        ids.append(op["operationId"])
    assert len(ids) == len(set(ids))


async def test_writes_declare_their_problem_responses(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        if method == "get" or path.endswith("/auth/token") or path.endswith("/auth/logout"):
            continue
        for status in ("401", "403", "422"):
            if status == "422" and method == "delete":
                continue
            response = op["responses"].get(status)
            assert response, (path, method, status)
            assert "application/problem+json" in response["content"], (path, method, status)
    assert "errors" in document["components"]["schemas"]["Problem"]["properties"]


async def test_request_bodies_have_examples(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for path, method, op in _operations(document):
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if not body:
            continue
        ref = body["schema"].get("$ref", "")
        schema = schemas[ref.rsplit("/", 1)[-1]] if ref else body["schema"]
        assert schema.get("examples") or body.get("example") or body.get("examples"), (path, method)


async def test_readme_documents_every_setting_with_its_default(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text()
    assert settings_table(Settings) in readme
