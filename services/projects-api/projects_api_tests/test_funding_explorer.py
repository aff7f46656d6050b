"""The funding explorer's API: departments counted and named under their ministry, funders found by either name,
and the summary as a CSV or XLSX file holding exactly the summary's rows and total."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding.funders import named_as
from projects_api.organisations.models import Organisation
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import create_org, create_project, create_transaction
from registry_kit.auth import Role
from registry_kit.etag import etag

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
PROBLEM = "application/problem+json"


@dataclass
class Ministry:
    government: Organisation
    ministry: Organisation
    department: Organisation  # is_department: rolls up into the ministry
    agency: Organisation  # below the ministry, not a department: a funder in its own name
    project: uuid.UUID  # public, BA
    private: uuid.UUID  # not public, GE, the agency participates


async def _department(session: AsyncSession, name: str, acronym: str, parent: Organisation) -> Organisation:
    org = await create_org(session, name, country="CZ", parent_id=parent.id)
    org.acronym, org.is_department = acronym, True
    await session.flush()
    return org


@pytest_asyncio.fixture
async def ministry(session: AsyncSession) -> Ministry:
    government = await create_org(session, "Government of Ruritania", country="CZ")
    ministry = await create_org(session, "Ruritanian Ministry of the Interior", country="CZ", parent_id=government.id)
    department = await _department(session, "Directorate of Asylum Policy", "DAP", ministry)
    agency = await create_org(session, "Ruritanian Border Agency", country="CZ", parent_id=ministry.id)
    project = await create_project(session, title="Asylum in BiH", participants=((department.id, "funding"),))
    private = await create_project(
        session,
        title="Borders in GE",
        countries=(("GE", "100"),),
        participants=((agency.id, "funding"),),
        is_public=False,
    )
    for amount, day, provider in (
        ("100000.00", date(2004, 6, 30), department),
        ("30000.00", date(2005, 6, 30), ministry),
        ("20000.00", date(2005, 7, 1), agency),
    ):
        await create_transaction(session, project.id, amount=amount, day=day, provider=provider.id)
    await create_transaction(
        session, project.id, amount="40000.00", currency="GEL", day=date(2005, 1, 1), provider=department.id
    )
    await create_transaction(session, private.id, amount="5000.00", day=date(2006, 1, 1), provider=agency.id)
    return Ministry(government, ministry, department, agency, project.id, private.id)


async def _summary(client: httpx.AsyncClient, headers: dict[str, str] | None = None, **params: Any) -> dict[str, Any]:
    response = await client.get(f"{API}/funding/summary", params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "group_by",
    [pytest.param(["funder"], id="from-the-cube"), pytest.param(["funder", "status"], id="from-the-transactions")],
)
async def test_a_departments_money_counts_under_its_ministry_named_with_it(
    client: httpx.AsyncClient, ministry: Ministry, group_by: list[str]
) -> None:
    body = await _summary(client, group_by=group_by)
    by_id = {row["funder"]["id"]: row for row in body["rows"]}
    assert set(by_id) == {str(ministry.ministry.id), str(ministry.agency.id)}
    moi = by_id[str(ministry.ministry.id)]
    assert moi["funder"]["label"] == "Ruritanian Ministry of the Interior (DAP)"
    assert [d["acronym"] for d in moi["funder"]["departments"]] == ["DAP"]
    assert moi["eur_amount"] == "130000.00"
    assert moi["transactions"] == 3  # the department's two and the ministry's own
    assert moi["not_converted"] == [{"currency": "GEL", "amount": "40000.00"}]
    agency = by_id[str(ministry.agency.id)]
    assert agency["funder"]["label"] == "Ruritanian Border Agency"  # not a department: named on its own
    assert agency["funder"]["departments"] == []
    assert sum(Decimal(r["eur_amount"]) for r in body["rows"]) == Decimal(body["total"]["eur_amount"]) == 150000


async def test_filtering_by_the_ministry_includes_its_departments_and_by_a_department_only_it(
    client: httpx.AsyncClient, ministry: Ministry
) -> None:
    whole = await _summary(client, funder=str(ministry.ministry.id), country="BA", year_from=2004)
    assert whole["total"]["eur_amount"] == "150000.00"
    only = await _summary(client, funder=str(ministry.department.id), group_by="funder")
    assert [(r["funder"]["label"], r["eur_amount"]) for r in only["rows"]] == [
        ("Ruritanian Ministry of the Interior (DAP)", "100000.00")
    ]


async def test_marking_a_department_changes_kept_summaries_at_once(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, ministry: Ministry
) -> None:
    before = await _summary(client, group_by="funder")  # kept by the summary cache
    assert len(before["rows"]) == 2
    org = (await client.get(f"{API}/organisations/{ministry.agency.id}")).json()
    response = await client.patch(
        f"{API}/organisations/{ministry.agency.id}",
        json={"is_department": True},
        headers={**tokens.admin(), "If-Match": etag(ministry.agency.id, org["version"])},
    )
    assert response.status_code == 200, response.text
    after = await _summary(client, group_by="funder")
    assert len(after["rows"]) == 1
    assert after["rows"][0]["funder"]["label"] == "Ruritanian Ministry of the Interior (DAP, Ruritanian Border Agency)"
    assert after["rows"][0]["eur_amount"] == "150000.00"


async def test_a_department_needs_its_parent(client: httpx.AsyncClient, tokens: Tokens, ministry: Ministry) -> None:
    created = await client.post(
        f"{API}/organisations",
        json={"name": "Loose unit", "org_type": "10", "is_department": True},
        headers=tokens.admin(),
    )
    assert created.status_code == 422
    assert created.headers["content-type"] == PROBLEM
    assert "parent_id" in created.text
    org = (await client.get(f"{API}/organisations/{ministry.department.id}")).json()
    moved = await client.patch(
        f"{API}/organisations/{ministry.department.id}",
        json={"parent_id": None},
        headers={**tokens.admin(), "If-Match": etag(ministry.department.id, org["version"])},
    )
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["field"] == "body.is_department"


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("ruritanian interior", True),
        ("DAP", True),
        ("directorate asyl", True),
        ("border agency", False),
        ("nothing like it", False),
    ],
)
async def test_a_funder_is_found_by_its_own_name_or_a_departments(
    client: httpx.AsyncClient, ministry: Ministry, q: str, found: bool
) -> None:
    response = await client.get(f"{API}/funding/funders", params={"q": q})
    assert response.status_code == 200, response.text
    labels = [f["label"] for f in response.json()["items"]]
    assert ("Ruritanian Ministry of the Interior (DAP)" in labels) is found
    assert str(ministry.department.id) not in {f["id"] for f in response.json()["items"]}  # never on its own


async def test_funders_of_private_projects_are_listed_only_for_callers_who_see_them(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, ministry: Ministry
) -> None:
    # The agency funds the public project too; a funder only of the private one shows the rule.
    hidden = await create_org(session, "Secret Donor Fund")
    await create_transaction(session, ministry.private, amount="1.00", provider=hidden.id)

    async def names(headers: dict[str, str]) -> set[str]:
        response = await client.get(f"{API}/funding/funders", params={"q": "secret"}, headers=headers)
        assert response.status_code == 200, response.text
        return {f["name"] for f in response.json()["items"]}

    assert await names({}) == set()
    assert await names(tokens.role(Role.viewer, country="BA")) == set()  # a grant elsewhere
    assert await names(tokens.role(Role.viewer, country="GE")) == {"Secret Donor Fund"}
    assert await names(tokens.admin()) == {"Secret Donor Fund"}


def _csv(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="funding-summary.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_the_csv_holds_the_summarys_rows_in_its_order_and_its_total(
    client: httpx.AsyncClient, ministry: Ministry
) -> None:
    params = {"group_by": ["funder", "year"], "country": "BA"}
    summary = await _summary(client, **params)
    lines = _csv(await client.get(f"{API}/funding/summary/export", params=params))
    assert lines[0] == ["funder", "funder_id", "year", "eur_amount", "not_converted_GEL", "transactions"]
    expected = [
        [
            r["funder"]["label"],
            r["funder"]["id"],
            str(r["year"]),
            r["eur_amount"],
            next((n["amount"] for n in r["not_converted"]), ""),
            str(r["transactions"]),
        ]
        for r in summary["rows"]
    ]
    assert lines[1:-1] == expected
    total = summary["total"]
    assert lines[-1] == ["Total", "", "", total["eur_amount"], "40000.00", str(total["transactions"])]
    assert total["eur_amount"] == "150000.00"


async def test_the_xlsx_holds_the_same_figures_as_numbers_and_says_what_was_asked(
    client: httpx.AsyncClient, ministry: Ministry
) -> None:
    params = {"group_by": "country", "funder": str(ministry.ministry.id), "year_from": "2004", "format": "xlsx"}
    response = await client.get(f"{API}/funding/summary/export", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(r) for r in book["summary"].iter_rows(values_only=True)]
    assert rows[0] == ["country_code", "country", "eur_amount", "not_converted_GEL", "transactions"]
    assert rows[1] == ["BA", "Bosnia and Herzegovina", 150000, 40000, 4]
    assert rows[-1] == ["Total", None, 150000, 40000, 4]
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["funder"] == "Ruritanian Ministry of the Interior"
    assert about["year_from"] == "2004"


async def test_text_that_a_spreadsheet_would_run_is_written_as_text(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    evil = await create_org(session, '=HYPERLINK("http://x.example","click")')
    project = await create_project(session, participants=((evil.id, "funding"),))
    await create_transaction(session, project.id, amount="10.00", provider=evil.id)
    lines = _csv(await client.get(f"{API}/funding/summary/export", params={"group_by": "funder"}))
    assert ['\'=HYPERLINK("http://x.example","click")', str(evil.id), "10.00", "1"] in lines
    xlsx = await client.get(f"{API}/funding/summary/export", params={"group_by": "funder", "format": "xlsx"})
    cells = [c for r in load_workbook(io.BytesIO(xlsx.content))["summary"].iter_rows(values_only=True) for c in r]
    assert '\'=HYPERLINK("http://x.example","click")' in cells
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)


@pytest.mark.parametrize(
    ("who", "total"),
    [("anonymous", "150000.00"), ("elsewhere", "150000.00"), ("scoped", "155000.00"), ("admin", "155000.00")],
)
async def test_the_file_covers_only_the_projects_the_caller_may_see(
    client: httpx.AsyncClient, tokens: Tokens, ministry: Ministry, who: str, total: str
) -> None:
    headers = {
        "anonymous": {},
        "elsewhere": tokens.role(Role.viewer, country="MD"),
        "scoped": tokens.role(Role.viewer, org=ministry.agency.id),
        "admin": tokens.admin(),
    }[who]
    lines = _csv(await client.get(f"{API}/funding/summary/export", headers=headers))
    assert lines[-1][0] == total
    assert (await _summary(client, headers))["total"]["eur_amount"] == total


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "pdf"}, "query.format"),
        ({"region": "atlantis"}, "query.region[0]"),
        ({"group_by": "colour"}, "query.group_by[0]"),
        ({"year_from": "1800"}, "query.year_from"),
        ({"funder": "not-a-uuid"}, "query.funder[0]"),
        ({"status": "dreaming"}, "query.status[0]"),
    ],
)
async def test_bad_parameters_are_refused_naming_the_field(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await client.get(f"{API}/funding/summary/export", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_a_funder_search_longer_than_allowed_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/funding/funders", params={"q": "x" * 201})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.q"


async def test_a_department_of_a_department_rolls_up_to_the_first_organisation_that_is_not_one(
    session: AsyncSession, ministry: Ministry
) -> None:
    unit = await _department(session, "Asylum Unit", "AU", ministry.department)
    orphan = await create_org(session, "Root department")
    orphan.is_department = True  # made before the rule; stays its own funder rather than vanish
    await session.flush()
    named = await named_as(session, [unit.id, ministry.department.id, ministry.agency.id, orphan.id])
    assert named == {unit.id: ministry.ministry.id, ministry.department.id: ministry.ministry.id}


@pytest.mark.parametrize(
    "dim", ["funder", "country", "region", "year", "theme", "status", "project", "transaction_type"]
)
async def test_every_grouping_exports_one_line_per_summary_row(
    client: httpx.AsyncClient, ministry: Ministry, dim: str
) -> None:
    params = {"group_by": [dim, "year"] if dim != "year" else ["year"], "transaction_type": ["disbursement"]}
    summary = await _summary(client, **params)
    lines = _csv(await client.get(f"{API}/funding/summary/export", params=params))
    assert len(lines) == len(summary["rows"]) + 2  # the header and the total
    assert lines[-1][lines[0].index("eur_amount")] == summary["total"]["eur_amount"]
    assert [line[lines[0].index("eur_amount")] for line in lines[1:-1]] == [r["eur_amount"] for r in summary["rows"]]
