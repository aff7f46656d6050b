"""The shell: ops endpoints under the prefix and at the root, OpenAPI and docs at the agreed places."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/readyz", "/api/reporting/healthz", "/api/reporting/readyz"):
        assert (await client.get(path)).status_code == 200, path


async def test_openapi_and_docs_are_served(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/reporting/openapi.json")).json()
    assert all(p.startswith("/api/reporting/v1/") for p in schema["paths"])
    assert "Problem" in schema["components"]["schemas"]
    assert (await client.get("/api/reporting/docs")).status_code == 200


async def test_every_operation_has_an_id_a_summary_and_declared_errors(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/reporting/openapi.json")).json()
    for path, item in schema["paths"].items():
        for method, op in item.items():
            assert op["operationId"].split("-")[0] in {t["name"] for t in schema["tags"]}, (path, method)
            assert op.get("description") or op.get("summary"), (path, method)
            if method != "get" or "{" in path:
                assert any(code.startswith(("4", "5")) for code in op["responses"]), (path, method)


async def test_unknown_path_is_problem_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/reporting/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_openapi_documents_problems_and_examples(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/reporting/openapi.json")).json()
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, op in item.items():
            for code, response in op["responses"].items():
                for media, content in response.get("content", {}).items():
                    ref = content.get("schema", {}).get("$ref", "")
                    assert not ref.endswith("HTTPValidationError"), (method, path, code)
                    if code.startswith(("4", "5")) and media == "application/problem+json":
                        assert ref.endswith("/Problem"), (method, path, code)
                if code.startswith(("4", "5")):  # a DHIS2 import's 409 may also be DHIS2's summary
                    assert "application/problem+json" in response["content"], (method, path, code)
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                name = body["schema"]["$ref"].split("/")[-1]
                assert "examples" in components[name], (method, path, name)


async def test_every_public_schema_has_an_example(client: httpx.AsyncClient) -> None:
    """Each schema of a body or an answer shows an example (on the schema or on its fields); FastAPI's own
    multipart bodies and enums (their values are the examples) excepted."""
    schema = (await client.get("/api/reporting/openapi.json")).json()
    missing = [
        name
        for name, definition in schema["components"]["schemas"].items()
        if not name.startswith("Body_") and "enum" not in definition and "example" not in str(definition)
    ]
    assert missing == []
