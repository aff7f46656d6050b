"""problem+json for every kind of failure, with the field at fault."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from registry_kit.app import build_app
from registry_kit.errors import Conflict, invalid
from registry_kit.settings import ServiceSettings

pytestmark = pytest.mark.asyncio(loop_scope="session")


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    count: int = Field(ge=0)


@asynccontextmanager
async def _no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


def _app() -> FastAPI:
    app = build_app(
        slug="demo", title="t", description="d", settings=ServiceSettings(max_body_bytes=200), lifespan=_no_lifespan
    )

    @app.post("/api/demo/things")
    async def create(thing: Thing) -> Thing:
        if thing.name == "taken":
            raise Conflict("That name is taken.")
        if thing.name == "bad":
            raise invalid("body.name", "may not be 'bad'")
        return thing

    @app.get("/api/demo/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return app


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


async def test_validation_errors_name_each_field(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/demo/things", json={"name": "", "count": -1, "colour": "red"})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"body.name", "body.count", "body.colour"}


async def test_malformed_json_is_400(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/demo/things", content=b'{"name": ', headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["title"] == "The body is not valid JSON"


async def test_app_errors_map_to_their_status(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/demo/things", json={"name": "taken", "count": 1})).status_code == 409
    r = await client.post("/api/demo/things", json={"name": "bad", "count": 1})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.name"


async def test_oversized_body_is_413_before_reading_it(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/demo/things", json={"name": "x" * 500, "count": 1})
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"


async def test_unexpected_error_is_500_without_internals(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/demo/boom")
    assert r.status_code == 500
    assert "secret internals" not in r.text
    assert r.json()["type"].endswith("/internal")
