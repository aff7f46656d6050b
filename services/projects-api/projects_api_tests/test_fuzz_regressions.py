"""What the contract fuzzer found answering 500 (issue 11), each through HTTP: the search texts with no letter or
digit, NUL in the query, form and body, a huge change-feed cursor, a transaction dated 0001-01-01."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding.models import Transaction
from projects_api.organisations.models import Organisation
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import World
from registry_kit.auth import Role

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
PUNCTUATION = ["-", "%", "(", "'", "''", "\\", ":*", "&|!", "<->", " "]


@pytest.mark.parametrize("q", PUNCTUATION)
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/projects", []),
        ("/organisations", []),
        ("/projects/counts", [("by", "country"), ("by", "status")]),
        ("/projects/export.csv", []),
    ],
)
async def test_a_search_without_letters_or_digits_is_no_search_term(
    client: httpx.AsyncClient, session: AsyncSession, path: str, params: list[tuple[str, str]], q: str
) -> None:
    """Anonymous, as the fuzzer sent it (the lists, the dashboard's counts, the CSV export): the same answer as no
    `q` at all."""
    await World.build(session)
    with_q = await client.get(f"{API}{path}", params=[*params, ("q", q)])
    without = await client.get(f"{API}{path}", params=params)
    assert with_q.status_code == 200, with_q.text
    assert with_q.content == without.content


@pytest.mark.parametrize("q", ["asylum-procedure", "(BiH)", "asyl'", "a:*", "Asylum & BiH | x"])
async def test_punctuation_around_words_still_searches_the_words(
    client: httpx.AsyncClient, session: AsyncSession, q: str
) -> None:
    world = await World.build(session)
    answer = await client.get(f"{API}/projects", params={"q": q, "page_size": 100})
    assert answer.status_code == 200, answer.text
    codes = {p["code"] for p in answer.json()["items"]}
    expected = {world.project.code} if q != "Asylum & BiH | x" else set()  # "x" starts no word of it
    assert codes & {world.project.code} == expected


async def test_a_nul_anywhere_in_a_request_is_422_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    count = select(func.count()).select_from(Organisation)
    before = await session.scalar(count)

    cases = [
        (await client.get(f"{API}/projects", params={"q": "a\x00b"}), "query.q"),
        (await client.get(f"{API}/organisations", params={"q": "\x00"}), "query.q"),
        (
            await client.post(
                f"{API}/auth/token", data={"grant_type": "password", "username": "a\x00b", "password": "x"}
            ),
            "body.username",
        ),
        (
            await client.post(
                f"{API}/organisations", json={"name": "Bad\x00name", "org_type": "10"}, headers=tokens.admin()
            ),
            "body.name",
        ),
        (
            await client.patch(
                f"{API}/projects/{world.project.id}",
                json={"title": "x\x1by"},
                headers={**tokens.admin(), "If-Match": "*"},
            ),
            "body.title",
        ),
    ]

    for answer, field in cases:
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["errors"][0]["field"] == field
    assert await session.scalar(count) == before


async def test_a_change_feed_cursor_beyond_bigint_is_422(client: httpx.AsyncClient, tokens: Tokens) -> None:
    for since in ("99999999999999999999.1", "1.99999999999999999999", "9223372036854775808.0"):
        answer = await client.get(f"{API}/changes", params={"since": since}, headers=tokens.admin())
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "query.since"
    edge = await client.get(f"{API}/changes", params={"since": "9223372036854775807.0"}, headers=tokens.admin())
    assert edge.status_code == 200
    assert edge.json()["items"] == []


@pytest.mark.parametrize("currency", ["GEL", "USD", "EUR"])
async def test_a_transaction_dated_0001_01_01_is_422_and_the_earliest_accepted_date_works(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, currency: str
) -> None:
    """asyncpg wrote 0001-01-01 as -infinity, and the year of -infinity broke the funding cube (a 500)."""
    world = await World.build(session)
    manager = tokens.role(Role.manager, org=world.prague.id)
    url = f"{API}/projects/{world.project.id}/transactions"
    body = {"transaction_type": "disbursement", "amount": "40000.00", "currency": currency}

    for day, field in (("0001-01-01", "transaction_date"), ("9999-12-31", "transaction_date")):
        refused = await client.post(url, json={**body, "transaction_date": day}, headers=manager)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == f"body.{field}"
    refused = await client.post(
        url, json={**body, "transaction_date": "2009-01-01", "value_date": "0001-01-01"}, headers=manager
    )
    assert refused.json()["errors"][0]["field"] == "body.value_date"

    accepted = await client.post(url, json={**body, "transaction_date": "1900-01-01"}, headers=manager)
    assert accepted.status_code == 201, accepted.text
    stored = await session.get(Transaction, accepted.json()["id"])
    assert stored is not None and stored.transaction_date == date(1900, 1, 1)
    # No rate for GEL or USD then: no EUR value, never a guess.
    eur = accepted.json()["eur"]
    assert (eur["amount"] if eur else None) == ("40000.00" if currency == "EUR" else None)
