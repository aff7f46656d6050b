"""Projects' titles and descriptions in several languages through the API: the reporting organisation's default
language, `title` kept as the default-language text for existing clients, updates that keep the other languages,
and bad languages or disagreeing texts refused with the field named."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import create_org

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


def _body(code: str, **texts: Any) -> dict[str, Any]:
    return {
        "code": code,
        "status": "pipeline",
        "planned_start": "2011-01-01",
        "is_public": True,
        "countries": [{"country_code": "GE", "percentage": 100}],
        **texts,
    }


async def test_a_project_takes_its_publishers_language_and_keeps_every_language(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    publisher = await create_org(session, "IOM Moscow", iati_identifier="XM-DAC-47066-RU")
    publisher.default_language = "ru"
    await session.flush()
    titles = {"ru": "Пограничные посты", "en": "Border posts", "cs": "Hraniční přechody"}
    created = await client.post(
        f"{API}/projects", json=_body("XM-DAC-47066-RU-BP", titles=titles), headers=tokens.admin()
    )
    assert created.status_code == 201, created.text
    project = created.json()
    assert (project["language"], project["title"], project["titles"]) == ("ru", "Пограничные посты", titles)
    assert project["reporting_organisation"]["id"] == str(publisher.id)  # its IATI identifier prefixes the code

    changed = await client.patch(
        f"{API}/projects/{project['id']}",
        json={"title": "Пограничные пункты"},
        headers={**tokens.admin(), "If-Match": created.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["titles"] == {**titles, "ru": "Пограничные пункты"}  # the other languages kept
    listed = (await client.get(f"{API}/projects", params={"q": "XM-DAC-47066-RU-BP"})).json()["items"]
    assert [(p["title"], p["titles"]["cs"]) for p in listed] == [("Пограничные пункты", "Hraniční přechody")]


async def test_bad_languages_and_disagreeing_texts_are_named(client: httpx.AsyncClient, tokens: Tokens) -> None:
    cases = [
        (_body("XM-TEST-L1", title="Border posts", titles={"en": "Something else"}), "title"),
        (_body("XM-TEST-L2", titles={"xx": "Border posts"}, language="xx"), "language"),
        (_body("XM-TEST-L3", titles={"en": "Border posts", "english": "Border posts"}), "titles"),
        (_body("XM-TEST-L4", titles={"ru": "Пограничные посты"}, language="en"), "title"),
    ]
    for body, field in cases:
        response = await client.post(f"{API}/projects", json=body, headers=tokens.admin())
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert any(field in e["field"] for e in response.json()["errors"]), (field, response.json())
    found = (await client.get(f"{API}/projects", params={"q": "XM-TEST-L"}, headers=tokens.admin())).json()
    assert found["total"] == 0  # nothing half-written
