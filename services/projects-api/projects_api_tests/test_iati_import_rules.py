"""Who may import IATI files, and how each activity is checked like the same change through the API (in-process,
each test in a rolled-back transaction; the files hold no results, so reporting-api is not involved)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import create_org, create_project
from registry_kit.auth import Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
URL = "/api/projects/v1/iati/imports"


def activity(code: str, *, country: str = "GE", reporting: str = "XM-TEST-1", title: str = "Border posts") -> str:
    return f"""<iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>{code}</iati-identifier>
  <reporting-org ref="{reporting}" type="40"><narrative>Test Publisher</narrative></reporting-org>
  <title><narrative>{title}</narrative><narrative xml:lang="ru">Пограничные посты</narrative></title>
  <description><narrative>What it does.</narrative></description>
  <participating-org role="1" type="10"><narrative>A Donor Ministry</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  <recipient-country code="{country}"/>
  <budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
    <value value-date="2020-01-01">1000</value></budget>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2020-03-01"/>
    <value value-date="2020-03-01">400</value>
    <receiver-org type="40"><narrative>Test Publisher</narrative></receiver-org></transaction>
</iati-activity>"""


def document(*activities: str) -> bytes:
    return f'<iati-activities version="2.03">{"".join(activities)}</iati-activities>'.encode()


async def _import(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str], dry_run: bool = False
) -> httpx.Response:
    files = {"file": ("f.xml", content, "application/xml")}
    return await client.post(URL, params={"dry_run": str(dry_run).lower()}, files=files, headers=headers)


async def test_anonymous_viewers_and_reporters_may_not_import(client: httpx.AsyncClient, tokens: Tokens) -> None:
    content = document(activity("XM-TEST-1-A"))
    assert (await _import(client, content, {})).status_code == 401
    for role in (Role.viewer, Role.reporter):
        response = await _import(client, content, tokens.role(role))
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_manager_imports_within_their_grants_only(
    client: httpx.AsyncClient, tokens: Tokens, session: AsyncSession
) -> None:
    mine, elsewhere = activity("XM-TEST-1-GE", country="GE"), activity("XM-TEST-1-MD", country="MD")
    georgia = tokens.role(Role.manager, country="GE")
    response = await _import(client, document(mine, elsewhere), georgia)
    assert response.status_code == 200, response.text
    items = {i["identifier"]: i for i in response.json()["items"]}
    assert items["XM-TEST-1-GE"]["outcome"] == "created"
    assert items["XM-TEST-1-MD"]["outcome"] == "skipped"
    assert "grants" in items["XM-TEST-1-MD"]["errors"][0]
    assert items["XM-TEST-1-MD"]["organisations_created"] == []  # rolled back with the activity
    other_org = await create_org(session, "Some office")
    org_manager = tokens.role(Role.manager, org=other_org.id)
    again = await _import(client, document(mine), org_manager)
    assert again.json()["items"][0]["outcome"] == "skipped"  # the existing GE project is outside their grants
    assert "grants" in again.json()["items"][0]["errors"][0]


async def test_created_then_updated_with_texts_money_and_counted_organisations(
    client: httpx.AsyncClient, tokens: Tokens, session: AsyncSession
) -> None:
    existing = await create_org(session, "A Donor Ministry")  # matched by name: it has no identifier
    first = await _import(client, document(activity("XM-TEST-1-UP")), tokens.admin())
    item = first.json()["items"][0]
    assert item["outcome"] == "created" and item["organisations_created"] == ["Test Publisher (XM-TEST-1)"]
    project = (await client.get(f"/api/projects/v1/projects/{item['project_id']}", headers=tokens.admin())).json()
    assert project["titles"] == {"en": "Border posts", "ru": "Пограничные посты"}
    assert project["participants"][0]["organisation"]["id"] == str(existing.id)
    budgets = (
        await client.get(f"/api/projects/v1/projects/{item['project_id']}/budgets", headers=tokens.admin())
    ).json()["items"]
    assert [b["amount"] for b in budgets] == ["1000.00"]
    second = await _import(client, document(activity("XM-TEST-1-UP", title="Border posts, phase 2")), tokens.admin())
    assert second.json()["items"][0]["outcome"] == "updated"
    project = (await client.get(f"/api/projects/v1/projects/{item['project_id']}", headers=tokens.admin())).json()
    assert project["title"] == "Border posts, phase 2"
    budgets = (
        await client.get(f"/api/projects/v1/projects/{item['project_id']}/budgets", headers=tokens.admin())
    ).json()["items"]
    assert len(budgets) == 1  # replaced, not added
    history = await client.get(f"/api/projects/v1/projects/{item['project_id']}/history", headers=tokens.admin())
    assert history.json()["total"] >= 4  # every change in the audit trail


async def test_an_activity_with_errors_is_skipped_and_the_others_applied(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    bad = activity("XM-TEST-1-BAD").replace('<recipient-country code="GE"/>', '<recipient-country code="QQ"/>')
    response = await _import(client, document(bad, activity("XM-TEST-1-OK")), tokens.admin())
    items = response.json()["items"]
    assert [i["outcome"] for i in items] == ["skipped", "created"]
    assert "country" in " ".join(items[0]["errors"]) and "recipient-country QQ" in " ".join(items[0]["warnings"])


async def test_an_existing_code_outside_the_file_is_untouched(
    client: httpx.AsyncClient, tokens: Tokens, session: AsyncSession
) -> None:
    await create_project(session, code="XM-TEST-1-KEEP", title="Kept")
    response = await _import(client, document(activity("XM-TEST-1-NEW")), tokens.admin(), dry_run=True)
    assert response.json()["created"] == 1
    listed = (await client.get("/api/projects/v1/projects", params={"q": "XM-TEST-1"}, headers=tokens.admin())).json()
    assert [p["code"] for p in listed["items"]] == ["XM-TEST-1-KEEP"]  # the dry run kept nothing
