"""A search of punctuation only (schemathesis found `q=«}`) is an empty answer, and a control character in a filter
a named problem, not a 500, wherever the project list's filters apply."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_query_without_words_finds_nothing(client: httpx.AsyncClient) -> None:
    for path, extra in (("/projects", {}), ("/projects/counts", {"by": "country"}), ("/iati/activities.xml", {})):
        response = await client.get(f"/api/projects/v1{path}", params={"q": "«}", **extra})
        assert response.status_code == 200, (path, response.text)
        if path != "/iati/activities.xml":
            assert response.json()["total"] == 0
        else:
            assert b"<iati-activity " not in response.content
    organisations = await client.get("/api/projects/v1/organisations", params={"q": "%)"})
    assert organisations.status_code == 200 and organisations.json()["total"] == 0


async def test_control_characters_in_filters_are_named_problems(client: httpx.AsyncClient) -> None:
    for path in ("/projects", "/projects/counts", "/iati/activities.xml"):
        for name, value in (("sector", "151\x0090"), ("theme", "a\x15"), ("q", "border\x00")):
            response = await client.get(f"/api/projects/v1{path}", params={name: value, "by": "country"})
            assert response.status_code == 422, (path, name, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["errors"][0]["field"].startswith(f"query.{name}")
