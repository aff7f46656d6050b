"""The funding summary counts each transaction once per group, whichever joins (countries, themes) the grouping
needs: count(*) where a group holds every dimension a join multiplies by, count(DISTINCT) where it does not."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding.schemas import FundingSummary
from projects_api_tests.factories import create_org, create_project, create_transaction

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


@pytest.mark.parametrize(
    "dims",
    [
        ["funder"],
        ["country"],
        ["region"],
        ["theme"],
        ["country", "theme"],
        ["funder", "country", "year"],
        ["region", "theme"],
        ["funder", "theme"],
        ["year"],
    ],
)
async def test_each_group_counts_a_transaction_once(
    session: AsyncSession, client: httpx.AsyncClient, dims: list[str]
) -> None:
    donor = await create_org(session, "Counting donor")
    # Two countries of one region and two themes: a transaction joins four times before grouping.
    project = await create_project(
        session,
        countries=(("KZ", "60"), ("KG", "40")),
        themes=("reintegration", "data-collection"),
        participants=((donor.id, "funding"),),
    )
    await create_transaction(session, project.id, amount="1000.00", provider=donor.id)
    await create_transaction(session, project.id, amount="500.00", provider=donor.id)
    params = {"group_by": dims, "project": str(project.id)}
    body = (await client.get(f"{API}/funding/summary", params=params)).json()
    assert body["rows"], dims
    assert all(row["transactions"] == 2 for row in body["rows"]), (dims, body["rows"])
    assert body["total"]["eur_amount"] == "1500.00", dims


async def test_the_summary_json_is_exactly_the_schema_s(session: AsyncSession, client: httpx.AsyncClient) -> None:
    """The rows are written straight to JSON: they must be what FundingSummary would have written, field for field."""
    donor = await create_org(session, "Schema donor")
    project = await create_project(
        session, countries=(("GE", "70"), ("AM", "30")), themes=("visa-policy",), participants=((donor.id, "funding"),)
    )
    await create_transaction(session, project.id, amount="1000.00", provider=donor.id)
    await create_transaction(session, project.id, amount="300.00", currency="GEL", provider=donor.id)
    for dims in (["funder", "country", "year"], ["project", "theme", "region", "status", "transaction_type"], []):
        body = (
            await client.get(f"{API}/funding/summary", params={"group_by": dims, "project": str(project.id)})
        ).json()
        assert FundingSummary.model_validate(body).model_dump(mode="json") == body, dims
        assert body["total"]["not_converted"] == [{"currency": "GEL", "amount": "300.00"}]
