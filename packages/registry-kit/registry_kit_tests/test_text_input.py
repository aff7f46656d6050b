"""One rule for the text of a request (registry_kit.text_input): NUL, other control characters and lone surrogates
are refused with 422 naming the field, wherever they come (path, query, form, JSON), before any route runs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Form, Query
from hypothesis import given, settings
from hypothesis import strategies as st

from registry_kit.app import build_app
from registry_kit.settings import ServiceSettings
from registry_kit.text_input import FORBIDDEN, describe

aio = pytest.mark.asyncio(loop_scope="session")
seen: list[Any] = []


@asynccontextmanager
async def _no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


def _app() -> FastAPI:
    app = build_app(
        slug="demo",
        title="t",
        description="d",
        settings=ServiceSettings(max_body_bytes=2000),
        lifespan=_no_lifespan,
        upload_limits={"/api/demo/upload": 10_000},
    )

    @app.get("/api/demo/search")
    async def search(q: Annotated[str, Query()] = "") -> dict[str, str]:
        seen.append(q)
        return {"q": q}

    @app.get("/api/demo/items/{code}")
    async def item(code: str) -> dict[str, str]:
        seen.append(code)
        return {"code": code}

    @app.post("/api/demo/token")
    async def token(username: Annotated[str, Form()]) -> dict[str, str]:
        seen.append(username)
        return {"username": username}

    @app.post("/api/demo/things")
    async def things(body: dict[str, Any]) -> dict[str, Any]:
        seen.append(body)
        return body

    @app.post("/api/demo/upload/raw")
    async def upload(body: dict[str, Any]) -> dict[str, int]:
        return {"keys": len(body)}

    return app


@pytest.fixture
def client() -> httpx.AsyncClient:
    seen.clear()
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://test")


def _field(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    error = response.json()["errors"][0]
    assert error["code"] == "control_character"
    return str(error["field"])


@aio
async def test_a_nul_in_the_query_names_the_parameter(client: httpx.AsyncClient) -> None:
    assert _field(await client.get("/api/demo/search?q=a%00b")) == "query.q"
    assert _field(await client.get("/api/demo/search", params={"q": "bell\x07"})) == "query.q"
    assert seen == []


@aio
async def test_a_nul_in_the_path_is_refused(client: httpx.AsyncClient) -> None:
    assert _field(await client.get("/api/demo/items/a%00b")) == "path"


@aio
async def test_a_nul_in_a_form_field_names_it(client: httpx.AsyncClient) -> None:
    """The token endpoint's username was the reported case (a 500 and a dropped connection)."""
    assert _field(await client.post("/api/demo/token", data={"username": "admin\x00@demo"})) == "body.username"
    assert seen == []


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"name": "a\\u0000b"}', "body.name"),
        ('{"list": ["ok", {"deep": "\\u001b[31m"}]}', "body.list[1].deep"),
        ('{"name": "half \\ud800 a pair"}', "body.name"),
        ('{"na\\u0000me": "x"}', "body key 'na\\x00me'"),
        ('{"del": "\\u007f"}', "body.del"),
    ],
)
@aio
async def test_json_text_that_breaks_the_rule_is_refused_with_its_path(
    client: httpx.AsyncClient, raw: str, field: str
) -> None:
    answer = await client.post("/api/demo/things", content=raw, headers={"content-type": "application/json"})
    assert _field(answer) == field
    assert seen == []


@pytest.mark.parametrize(
    "raw",
    [
        '{"text": "line one\\nline two\\ttabbed\\r\\n"}',
        '{"emoji": "\\ud83d\\ude00"}',  # a surrogate pair is one character
        '{"escaped": "\\\\u0000 is how you write NUL"}',  # a backslash, then text
        '{"accents": "P\\u0159\\u00edbram"}',
    ],
)
@aio
async def test_ordinary_text_goes_through_unchanged(client: httpx.AsyncClient, raw: str) -> None:
    answer = await client.post("/api/demo/things", content=raw, headers={"content-type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == json.loads(raw)


@aio
async def test_malformed_json_is_still_the_parsers_400(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/demo/things", content='{"a": "\\u0000', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400


@aio
async def test_the_body_limit_still_answers_413_for_a_body_read_by_the_rule(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"a": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    answer = await client.post("/api/demo/things", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


@aio
async def test_upload_paths_are_left_to_their_readers(client: httpx.AsyncClient) -> None:
    """A multi-megabyte import is not buffered twice: upload prefixes are skipped (their readers check content)."""
    answer = await client.post(
        "/api/demo/upload/raw", content='{"a": "\\u0000"}', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 200


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=30))
def test_the_rule_refuses_exactly_the_forbidden_characters(text: str) -> None:
    """A plain reading of the rule, character by character, agrees with the compiled pattern."""

    def forbidden(c: str) -> bool:
        code = ord(c)
        return (code < 0x20 and c not in "\t\n\r") or code == 0x7F or 0xD800 <= code <= 0xDFFF

    assert (describe(text) is None) == (not any(forbidden(c) for c in text))
    assert bool(FORBIDDEN.search(text)) == any(forbidden(c) for c in text)
