"""The funding summary's figures as an auditor checks them (issue 10), through the HTTP API: counts are of
transactions whatever the grouping, every grouping's rows add up to the total to the cent (EUR and unconverted
currencies), money with no EUR value has no EUR figure, and an empty or far-away range is an empty answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api_tests.factories import create_org, create_project, create_transaction

pytestmark = pytest.mark.asyncio(loop_scope="session")
SUMMARY = "/api/projects/v1/funding/summary"


async def _world(session: AsyncSession) -> dict[str, Any]:
    donor = await create_org(session, "Auditor's donor")
    thirds = await create_project(
        session,
        countries=(("GE", "33.33"), ("AM", "33.33"), ("AZ", "33.34")),
        themes=("border-protection", "visa-policy", "reintegration"),
        participants=((donor.id, "funding"),),
    )
    georgia = await create_project(
        session,
        countries=(("GE", "100"),),
        themes=("visa-policy", "data-collection", "reintegration"),
        participants=((donor.id, "funding"),),
    )
    for amount in ("100.01", "0.05", "333.33"):
        await create_transaction(session, thirds.id, amount=amount, provider=donor.id)
    await create_transaction(session, georgia.id, amount="40000.00", currency="GEL", provider=donor.id)
    return {"funder": str(donor.id)}


async def _summary(client: httpx.AsyncClient, params: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(SUMMARY, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("dims", [[], ["country"], ["theme"], ["country", "theme"], ["region", "theme"]])
async def test_counts_are_transactions_and_rows_add_up_to_the_cent(
    session: AsyncSession, client: httpx.AsyncClient, dims: list[str]
) -> None:
    params = await _world(session)
    body = await _summary(client, {**params, "group_by": dims})
    total = body["total"]
    assert total["transactions"] == 4  # four transactions, however many shares they are split into
    assert total["eur_amount"] == "433.39"
    assert total["not_converted"] == [{"currency": "GEL", "amount": "40000.00"}]
    rows_eur = sum(Decimal(r["eur_amount"]) for r in body["rows"] if r["eur_amount"] is not None)
    assert rows_eur == Decimal("433.39")  # not 433.41, not 433.37: the cents left by rounding are handed out once
    gel = sum(Decimal(m["amount"]) for r in body["rows"] for m in r["not_converted"] if m["currency"] == "GEL")
    assert gel == Decimal("40000.00")  # not 39,999.99


async def test_a_row_of_only_unconverted_money_has_no_eur_figure(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    params = await _world(session)
    body = await _summary(client, {**params, "group_by": ["theme"]})
    rows = {r["theme"]["code"]: r for r in body["rows"]}
    assert rows["data-collection"]["eur_amount"] is None  # only the GEL project has it
    # a third each of GEL 40,000: the cent left over goes to the first theme in order (the documented tie rule)
    assert rows["data-collection"]["not_converted"] == [{"currency": "GEL", "amount": "13333.34"}]
    assert rows["border-protection"]["not_converted"] == []
    assert rows["border-protection"]["eur_amount"] is not None


@pytest.mark.parametrize(
    "years", [{"year_from": 2030}, {"year_to": 1900}, {"year_from": 2011, "year_to": 2009}, {"year_to": 2009}]
)
async def test_an_empty_range_is_an_empty_answer(
    session: AsyncSession, client: httpx.AsyncClient, years: dict[str, int]
) -> None:
    params = await _world(session)
    for dims in ([], ["country"], ["theme"]):
        body = await _summary(client, {**params, **years, "group_by": dims})
        assert body["rows"] == []
        assert (body["total"]["eur_amount"], body["total"]["transactions"], body["total"]["not_converted"]) == (
            "0.00",
            0,
            [],
        )
