"""A streamed download never passes a failure off as a whole file (registry_kit.streaming), through a real server:
a failure before the first chunk is an error response; one after it drops the connection, and the client sees an
incomplete body instead of a 200 with a short file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from registry_kit.app import build_app
from registry_kit.errors import DependencyUnavailable
from registry_kit.settings import ServiceSettings
from registry_kit.spreadsheet import stream_csv
from registry_kit.streaming import PrimedStreamingResponse
from registry_testing import free_port, serving

pytestmark = pytest.mark.asyncio(loop_scope="session")


@asynccontextmanager
async def _no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


async def _rows(fail_at: int | None, count: int = 2000) -> AsyncIterator[tuple[object, ...]]:
    for i in range(count):
        if i == fail_at:
            raise DependencyUnavailable("The database went away.", headers={"Retry-After": "5"})
        yield (i, f"row {i}")


def _app() -> FastAPI:
    app = build_app(slug="demo", title="t", description="d", settings=ServiceSettings(), lifespan=_no_lifespan)

    @app.get("/api/demo/export.csv")
    async def export(fail_at: int | None = None) -> PrimedStreamingResponse:
        return PrimedStreamingResponse(stream_csv(("n", "text"), _rows(fail_at)), media_type="text/csv")

    return app


async def test_a_whole_export_ends_properly() -> None:
    async with serving(_app(), free_port()) as served, httpx.AsyncClient(base_url=served.url) as client:
        answer = await client.get("/api/demo/export.csv")
        assert answer.status_code == 200
        assert answer.text.count("\r\n") == 2001


async def test_a_failure_before_the_first_chunk_is_a_problem_response() -> None:
    async with serving(_app(), free_port()) as served, httpx.AsyncClient(base_url=served.url) as client:
        answer = await client.get("/api/demo/export.csv", params={"fail_at": 0})
        assert answer.status_code == 503
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"] == "5"


async def test_a_failure_mid_stream_cuts_the_connection_instead_of_ending_the_file() -> None:
    async with serving(_app(), free_port()) as served, httpx.AsyncClient(base_url=served.url) as client:
        received: list[bytes] = []
        status: list[int] = []

        async def download() -> None:
            async with client.stream("GET", "/api/demo/export.csv", params={"fail_at": 1500}) as answer:
                status.append(answer.status_code)  # committed with the first chunk, before the failure
                async for chunk in answer.aiter_bytes():
                    received.append(chunk)

        with pytest.raises(httpx.RemoteProtocolError):  # "peer closed connection without sending complete message"
            await download()
        assert status == [200]
        assert 0 < b"".join(received).count(b"\r\n") < 1501
