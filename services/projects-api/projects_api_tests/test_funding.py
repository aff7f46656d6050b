"""Money: amounts kept as given, EUR derived with the rate stored, totals that add up, unconverted amounts apart."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.models import AuditEvent
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import World, create_org, create_project, create_transaction

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"


async def _post_tx(client: httpx.AsyncClient, tokens: Tokens, project_id: object, **body: object) -> httpx.Response:
    payload = {"transaction_type": "disbursement", "transaction_date": "2010-06-15", **body}
    return await client.post(f"{API}/projects/{project_id}/transactions", json=payload, headers=tokens.admin())


async def test_usd_amount_gets_the_ecb_rate_of_its_value_date(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    r = await _post_tx(client, tokens, world.project.id, amount="1000.00", currency="USD", value_date="2010-06-15")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["amount"] == "1000.00" and body["currency"] == "USD"
    eur = body["eur"]
    assert eur["source"] == "ECB reference rate"
    assert eur["rate_date"] == "2010-06-15"
    assert Decimal(eur["rate"]) == Decimal("1.2258")  # ECB USD reference rate of 15 June 2010
    assert Decimal(eur["amount"]) == (Decimal("1000") / Decimal("1.2258")).quantize(Decimal("0.01"))


async def test_weekend_value_date_uses_the_last_published_rate(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    r = await _post_tx(client, tokens, world.project.id, amount="100.00", currency="CZK", value_date="2010-06-13")
    assert r.json()["eur"]["rate_date"] == "2010-06-11"  # 13 June 2010 was a Sunday


async def test_bam_uses_the_legal_peg(client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens) -> None:
    world = await World.build(session)
    r = await _post_tx(client, tokens, world.project.id, amount="195583.00", currency="BAM")
    assert r.json()["eur"]["amount"] == "100000.00"
    assert r.json()["eur"]["rate"] == "1.95583"
    assert "peg" in r.json()["eur"]["source"]


async def test_currency_without_rate_has_no_eur_value_and_is_counted_apart(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    assert (await _post_tx(client, tokens, world.project.id, amount="40000.00", currency="GEL")).json()["eur"] is None
    await _post_tx(client, tokens, world.project.id, amount="1000.00", currency="EUR")
    summary = (await client.get(f"{API}/funding/summary", params={"project": str(world.project.id)})).json()
    assert summary["total"]["eur_amount"] == "1000.00"
    assert summary["total"]["not_converted"] == [{"currency": "GEL", "amount": "40000.00"}]


async def test_a_rate_added_later_converts_the_amounts_it_covers_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    tx = (
        await _post_tx(client, tokens, world.project.id, amount="2315.40", currency="GEL", value_date="2010-06-15")
    ).json()
    csv = "currency,rate_date,units_per_eur,source\nGEL,2010-06-01,2.3154,National Bank of Georgia (monthly)\n"
    r = await client.post(f"{API}/exchange-rates", content=csv, headers={**tokens.admin(), "content-type": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.json() == {"rates_saved": 1, "amounts_converted": 1}
    after = (await client.get(f"{API}/projects/{world.project.id}/transactions/{tx['id']}")).json()
    assert after["eur"] == {
        "amount": "1000.00",
        "rate": "2.3154",
        "rate_date": "2010-06-01",
        "source": "National Bank of Georgia (monthly)",
    }
    assert after["version"] == tx["version"] + 1
    converted = await session.scalar(
        select(func.count()).where(AuditEvent.entity_type == "transaction", AuditEvent.action == "convert")
    )
    assert converted == 1


async def test_rates_per_usd_are_crossed_through_the_ecb_usd_rate(client: httpx.AsyncClient, tokens: Tokens) -> None:
    csv = "currency,rate_date,units_per_usd,source\nMDL,2010-06-15,12.5,National Bank of Moldova\n"
    r = await client.post(f"{API}/exchange-rates", content=csv, headers={**tokens.admin(), "content-type": "text/csv"})
    assert r.status_code == 200, r.text
    rates = (await client.get(f"{API}/exchange-rates", params={"currency": "MDL"})).json()["items"]
    assert Decimal(rates[0]["units_per_eur"]) == Decimal("12.5") * Decimal("1.2258")
    assert "crossed with the ECB USD rate" in rates[0]["source"]


async def test_a_bad_rate_file_saves_nothing_and_names_the_rows(client: httpx.AsyncClient, tokens: Tokens) -> None:
    csv = (
        "currency,rate_date,units_per_eur,source\nGEL,2010-06-01,2.3,NBG\nZZZ,2010-06-01,1,NBG\nGEL,not-a-date,2,NBG\n"
    )
    r = await client.post(f"{API}/exchange-rates", content=csv, headers={**tokens.admin(), "content-type": "text/csv"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["file.row[3]", "file.row[4]"]
    assert (await client.get(f"{API}/exchange-rates", params={"currency": "GEL"})).json()["total"] == 0


async def test_summary_prorates_countries_and_every_grouping_adds_up(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    donor = await create_org(session, "Donor A")
    other_donor = await create_org(session, "Donor B")
    shared = await create_project(
        session,
        countries=(("KZ", "60"), ("GE", "40")),
        themes=("reintegration", "data-collection"),
        participants=((donor.id, "funding"),),
    )
    single = await create_project(session, countries=(("BA", "100"),), themes=("border-protection",))
    await create_transaction(session, shared.id, amount="1000.00", provider=donor.id)
    await create_transaction(session, single.id, amount="500.00", provider=other_donor.id)
    await create_transaction(session, single.id, amount="300.00", currency="GEL", provider=other_donor.id)
    projects = [str(shared.id), str(single.id)]
    for dims in (["country"], ["region"], ["theme"], ["funder", "country", "year"], ["theme", "region"]):
        r = await client.get(f"{API}/funding/summary", params={"group_by": dims, "project": projects})
        body = r.json()
        assert body["total"]["eur_amount"] == "1500.00", dims
        assert sum(Decimal(row["eur_amount"]) for row in body["rows"]) == Decimal("1500.00"), dims
        assert body["total"]["not_converted"] == [{"currency": "GEL", "amount": "300.00"}], dims
    by_country = (
        await client.get(f"{API}/funding/summary", params={"group_by": "country", "project": projects})
    ).json()
    assert {r["country"]["code"]: r["eur_amount"] for r in by_country["rows"]} == {
        "KZ": "600.00",
        "GE": "400.00",
        "BA": "500.00",
    }
    bih = next(r for r in by_country["rows"] if r["country"]["code"] == "BA")
    assert bih["not_converted"] == [{"currency": "GEL", "amount": "300.00"}]
    by_region = (await client.get(f"{API}/funding/summary", params={"group_by": "region", "project": projects})).json()
    assert {r["region"]["code"]: r["eur_amount"] for r in by_region["rows"]} == {
        "central-asia": "600.00",
        "south-caucasus": "400.00",
        "western-balkans": "500.00",
    }


async def test_summary_filters_by_funder_including_its_departments(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    ministry = await create_org(session, "Ministry")
    department = await create_org(session, "Department", parent_id=ministry.id)
    stranger = await create_org(session, "Stranger")
    project = await create_project(session, countries=(("BA", "100"),))
    await create_transaction(session, project.id, amount="700.00", provider=department.id)
    await create_transaction(session, project.id, amount="50.00", provider=stranger.id)
    r = await client.get(f"{API}/funding/summary", params={"funder": str(ministry.id), "group_by": "funder"})
    rows = r.json()["rows"]
    assert [(row["funder"]["name"], row["eur_amount"]) for row in rows] == [("Department", "700.00")]


async def test_summary_counts_only_the_transaction_types_asked(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    project = await create_project(session)
    await create_transaction(session, project.id, amount="900.00", kind="commitment")
    await create_transaction(session, project.id, amount="400.00", kind="disbursement")
    params: dict[str, object] = {"project": str(project.id)}
    assert (await client.get(f"{API}/funding/summary", params=params)).json()["total"]["eur_amount"] == "400.00"
    both = (
        await client.get(
            f"{API}/funding/summary",
            params={**params, "transaction_type": ["commitment", "disbursement"], "group_by": "transaction_type"},
        )
    ).json()
    assert {r["transaction_type"]: r["eur_amount"] for r in both["rows"]} == {
        "commitment": "900.00",
        "disbursement": "400.00",
    }


async def test_changing_amount_rederives_eur(client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens) -> None:
    world = await World.build(session)
    r = await _post_tx(client, tokens, world.project.id, amount="100.00", currency="EUR")
    tx = r.json()
    r = await client.patch(
        f"{API}/projects/{world.project.id}/transactions/{tx['id']}",
        json={"amount": "250.00"},
        headers={**tokens.admin(), "If-Match": r.headers["etag"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["eur"]["amount"] == "250.00"


async def test_budgets_keep_currency_and_eur(client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens) -> None:
    world = await World.build(session)
    r = await client.post(
        f"{API}/projects/{world.project.id}/budgets",
        json={"period_start": "2010-01-01", "period_end": "2010-12-31", "amount": "50000.00", "currency": "CHF"},
        headers=tokens.admin(),
    )
    assert r.status_code == 201, r.text
    assert r.json()["value_date"] == "2010-01-01"
    assert r.json()["eur"]["source"] == "ECB reference rate"
    listed = (await client.get(f"{API}/projects/{world.project.id}/budgets")).json()
    assert listed["total"] == 1


async def test_project_list_exports_as_safe_csv_with_the_same_filters(
    session: AsyncSession, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    import csv
    import io

    world = await World.build(session)
    await create_transaction(session, world.project.id, amount="1000.00", kind="commitment")
    await create_transaction(session, world.project.id, amount="300.00", currency="GEL")
    evil = await create_project(session, title='=HYPERLINK("http://evil")', countries=(("BA", "100"),))
    r = await client.get(f"{API}/projects/export.csv", params={"country": "BA", "sort": "title"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_id = {row["id"]: row for row in table}
    assert str(world.private.id) not in by_id  # anonymous: public projects only, like the list
    mine = by_id[str(world.project.id)]
    assert mine["countries"] == "BA 100.00"
    assert mine["funders"] == "Czech Ministry of the Interior"
    assert mine["implementers"] == "IOM Prague"
    assert mine["eur_committed"] == "1000.00"
    assert mine["not_converted_transactions"] == "1"
    assert by_id[str(evil.id)]["title"] == '\'=HYPERLINK("http://evil")'
    listed = (await client.get(f"{API}/projects", params={"country": "BA", "sort": "title", "page_size": 200})).json()
    assert [row["id"] for row in table] == [p["id"] for p in listed["items"]]
    bad = await client.get(f"{API}/projects/export.csv", params={"region": "atlantis"})
    assert bad.status_code == 422
