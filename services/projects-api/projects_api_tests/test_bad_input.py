"""Bad input is refused with problem+json naming the field at fault, and nothing at all is written."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.activities.models import Activity
from projects_api.database import Base
from projects_api.funding.models import Budget, Transaction
from projects_api.identity.models import User
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import (
    World,
    create_activity,
    create_budget,
    create_org,
    create_transaction,
    create_user,
)
from registry_kit.etag import etag

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
PROBLEM = "application/problem+json"
NOBODY = str(uuid.UUID(int=1))  # no organisation has this id


@dataclass
class Setup:
    world: World
    activity: Activity
    budget: Budget
    transaction: Transaction
    iati_org_id: uuid.UUID
    user: User

    @property
    def project(self) -> str:
        return f"{API}/projects/{self.world.project.id}"

    def record(self, collection: str) -> Activity | Budget | Transaction:
        """The project's record in `collection` that the update cases target."""
        records: dict[str, Activity | Budget | Transaction] = {
            "activities": self.activity,
            "budgets": self.budget,
            "transactions": self.transaction,
        }
        return records[collection]


@pytest_asyncio.fixture
async def setup(session: AsyncSession) -> Setup:
    world = await World.build(session)
    activity = await create_activity(session, world.project.id, start=date(2010, 3, 1))
    budget = await create_budget(session, world.project.id)
    tx = await create_transaction(session, world.project.id, amount="100.00")
    iati = await create_org(session, "Has an IATI id", iati_identifier="XM-DAC-TEST-1")
    user = await create_user(session, grants=(("viewer", None, "GE"),))
    return Setup(world, activity, budget, tx, iati.id, user)


DIGEST = "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"


async def database_digest(session: AsyncSession) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of all its rows: any insert, update or delete changes it."""
    digest: dict[str, tuple[int, str]] = {}
    for table in Base.metadata.sorted_tables:  # our own table names, not input
        row = (await session.execute(text(DIGEST.format(table=table.name)))).one()
        digest[table.name] = (row[0], row[1])
    return digest


def _project(**overrides: Any) -> Callable[[Setup], dict[str, Any]]:
    def body(s: Setup) -> dict[str, Any]:
        base: dict[str, Any] = {
            "code": "XM-TEST-BAD-1",
            "title": "Asylum capacity in Moldova",
            "planned_start": "2010-01-01",
            "planned_end": "2011-12-31",
            "countries": [{"country_code": "MD", "percentage": 100}],
            "participants": [{"organisation_id": str(s.world.donor.id), "role": "funding"}],
        }
        return {**base, **{k: (v(s) if callable(v) else v) for k, v in overrides.items()}}

    return body


def _activity(**overrides: Any) -> Callable[[Setup], dict[str, Any]]:
    return lambda s: {"kind": "workshop", "title": "Workshop", "start_date": "2010-05-01", **overrides}


def _budget(**overrides: Any) -> Callable[[Setup], dict[str, Any]]:
    return lambda s: {
        "period_start": "2011-01-01",
        "period_end": "2011-12-31",
        "amount": "10.00",
        "currency": "EUR",
        **overrides,
    }


def _tx(**overrides: Any) -> Callable[[Setup], dict[str, Any]]:
    return lambda s: {
        "transaction_type": "disbursement",
        "transaction_date": "2010-07-01",
        "amount": "10.00",
        "currency": "EUR",
        **overrides,
    }


def _org(**overrides: Any) -> Callable[[Setup], dict[str, Any]]:
    return lambda s: {"name": "Ministry of Interior of Moldova", "org_type": "10", "country_code": "MD", **overrides}


@dataclass(frozen=True)
class Bad:
    name: str
    method: str
    path: Callable[[Setup], str]
    body: Callable[[Setup], Any]
    field: str
    status: int = 422
    if_match: Callable[[Setup], str] | None = None


def _post_project(name: str, field: str, expect: int = 422, **overrides: Any) -> Bad:
    return Bad(name, "POST", lambda s: f"{API}/projects", _project(**overrides), field, expect)


def _patch(
    name: str,
    path: Callable[[Setup], str],
    tag: Callable[[Setup], str],
    body: dict[str, Any],
    field: str,
    status: int = 422,
) -> Bad:
    return Bad(name, "PATCH", path, lambda s: body, field, status, tag)


def _create(name: str, collection: str, body: Callable[[Setup], Any], field: str) -> Bad:
    """A create inside the project: `collection` is activities, budgets or transactions."""
    return Bad(name, "POST", lambda s: f"{s.project}/{collection}", body, field)


def _update(name: str, collection: str, body: dict[str, Any], field: str) -> Bad:
    """An update of the project's activity, budget or transaction (by `collection`), sent at its current version."""
    return _patch(
        name,
        lambda s: f"{s.project}/{collection}/{s.record(collection).id}",
        lambda s: etag(s.record(collection).id, s.record(collection).version),
        body,
        field,
    )


def _project_etag(s: Setup) -> str:
    return etag(s.world.project.id, s.world.project.version)


TWO = [{"country_code": "BA", "percentage": 60}, {"country_code": "GE", "percentage": 30}]
TWICE = [{"country_code": "BA", "percentage": 50}, {"country_code": "BA", "percentage": 50}]

CASES = [
    # projects
    _post_project(
        "unknown-country", "body.countries[0].country_code", countries=[{"country_code": "XX", "percentage": 100}]
    ),
    _post_project(
        "unknown-location-country",
        "body.locations[0].country_code",
        locations=[{"country_code": "QQ", "name": "Nowhere"}],
    ),
    _post_project("unknown-theme", "body.themes", themes=["competences", "space-travel"]),
    _post_project(
        "unknown-sector", "body.sectors[0].sector_code", sectors=[{"sector_code": "99999", "percentage": 100}]
    ),
    _post_project("unknown-status", "body.status", status="dormant"),
    _post_project(
        "unknown-participant",
        "body.participants[0].organisation_id",
        participants=[{"organisation_id": NOBODY, "role": "funding"}],
    ),
    _post_project(
        "unknown-second-participant",
        "body.participants[1].organisation_id",
        participants=lambda s: [
            {"organisation_id": str(s.world.donor.id), "role": "funding"},
            {"organisation_id": NOBODY, "role": "implementing"},
        ],
    ),
    _post_project(
        "unknown-participant-role",
        "body.participants[0].role",
        participants=lambda s: [{"organisation_id": str(s.world.donor.id), "role": "sponsor"}],
    ),
    _post_project("percentages-not-100", "body.countries", countries=TWO),
    _post_project("sector-percentages-not-100", "body.sectors", sectors=[{"sector_code": "15190", "percentage": 50}]),
    _post_project("country-twice", "body.countries", countries=TWICE),
    _post_project("no-country", "body.countries", countries=[]),
    _post_project("planned-end-before-start", "body.planned_end", planned_start="2011-01-01", planned_end="2010-12-31"),
    _post_project("actual-end-before-start", "body.actual_end", actual_start="2011-01-01", actual_end="2010-12-31"),
    _post_project("duplicate-code", "body.code", 409, code=lambda s: s.world.private.code),
    _post_project("unknown-field", "body.colour", colour="blue"),
    _post_project("title-not-a-string", "body.title", title=123),
    _post_project(
        "percentage-not-a-number",
        "body.countries[0].percentage",
        countries=[{"country_code": "BA", "percentage": "lots"}],
    ),
    _post_project("date-not-a-date", "body.planned_start", planned_start="soon"),
    _post_project("bad-code-pattern", "body.code", code="has spaces in it"),
    _patch(
        "update-planned-end-before-stored-start",
        lambda s: s.project,
        _project_etag,
        {"planned_end": "2009-12-31"},
        "body.planned_end",
    ),
    _patch(
        "update-unknown-participant",
        lambda s: s.project,
        _project_etag,
        {"participants": [{"organisation_id": NOBODY, "role": "funding"}]},
        "body.participants[0].organisation_id",
    ),
    _patch("update-percentages-not-100", lambda s: s.project, _project_etag, {"countries": TWO}, "body.countries"),
    _patch("update-country-twice", lambda s: s.project, _project_etag, {"countries": TWICE}, "body.countries"),
    _patch("update-title-null", lambda s: s.project, _project_etag, {"title": None}, "body.title"),
    _patch("update-unknown-field", lambda s: s.project, _project_etag, {"owner": "me"}, "body.owner"),
    Bad(
        "update-duplicate-code",
        "PATCH",
        lambda s: s.project,
        lambda s: {"code": s.world.private.code},
        "body.code",
        409,
        _project_etag,
    ),
    # activities
    _create(
        "activity-end-before-start",
        "activities",
        _activity(start_date="2010-05-02", end_date="2010-05-01"),
        "body.end_date",
    ),
    _create(
        "activity-facility-on-workshop",
        "activities",
        _activity(facility_type="detention-facility"),
        "body.facility_type",
    ),
    _create(
        "activity-unknown-facility",
        "activities",
        _activity(kind="on-site-visit", facility_type="castle"),
        "body.facility_type",
    ),
    _create("activity-unknown-kind", "activities", _activity(kind="party"), "body.kind"),
    _create("activity-unknown-country", "activities", _activity(country_code="XX"), "body.country_code"),
    _create(
        "activity-unknown-organisation",
        "activities",
        _activity(participants=[{"organisation_id": NOBODY, "women": 1}]),
        "body.participants[0].organisation_id",
    ),
    _create(
        "activity-negative-count",
        "activities",
        lambda s: _activity(participants=[{"organisation_id": str(s.world.donor.id), "women": -1}])(s),
        "body.participants[0].women",
    ),
    _update(
        "update-activity-facility-on-workshop", "activities", {"facility_type": "asylum-facility"}, "body.facility_type"
    ),
    _update(
        "update-activity-unknown-organisation",
        "activities",
        {"title": "Renamed", "participants": [{"organisation_id": NOBODY, "men": 2}]},
        "body.participants[0].organisation_id",
    ),
    _update("update-activity-end-before-start", "activities", {"end_date": "2010-02-28"}, "body.end_date"),
    # budgets
    _create("budget-period-end-before-start", "budgets", _budget(period_end="2010-12-31"), "body.period_end"),
    _create("budget-negative", "budgets", _budget(amount="-5.00"), "body.amount"),
    _create("budget-unknown-currency", "budgets", _budget(currency="XYZ"), "body.currency"),
    _create("budget-amount-not-a-number", "budgets", _budget(amount="a lot"), "body.amount"),
    _update("update-budget-period-end-before-start", "budgets", {"period_end": "2009-12-31"}, "body.period_end"),
    _update("update-budget-negative", "budgets", {"amount": "-1"}, "body.amount"),
    # transactions
    _create("transaction-negative", "transactions", _tx(amount="-10.00"), "body.amount"),
    _create("transaction-unknown-currency", "transactions", _tx(currency="ABC"), "body.currency"),
    _create("transaction-unknown-provider", "transactions", _tx(provider_org_id=NOBODY), "body.provider_org_id"),
    _create("transaction-unknown-receiver", "transactions", _tx(receiver_org_id=NOBODY), "body.receiver_org_id"),
    _create("transaction-unknown-type", "transactions", _tx(transaction_type="gift"), "body.transaction_type"),
    _update("update-transaction-unknown-provider", "transactions", {"provider_org_id": NOBODY}, "body.provider_org_id"),
    _update("update-transaction-negative", "transactions", {"amount": "-0.01"}, "body.amount"),
    # organisations
    Bad(
        "organisation-unknown-parent",
        "POST",
        lambda s: f"{API}/organisations",
        _org(parent_id=NOBODY),
        "body.parent_id",
    ),
    Bad(
        "organisation-unknown-country",
        "POST",
        lambda s: f"{API}/organisations",
        _org(country_code="XX"),
        "body.country_code",
    ),
    Bad("organisation-unknown-type", "POST", lambda s: f"{API}/organisations", _org(org_type="99"), "body.org_type"),
    Bad(
        "organisation-duplicate-iati-id",
        "POST",
        lambda s: f"{API}/organisations",
        _org(iati_identifier="XM-DAC-TEST-1"),
        "body.iati_identifier",
        409,
    ),
    Bad("organisation-unknown-field", "POST", lambda s: f"{API}/organisations", _org(website="x"), "body.website"),
    _patch(
        "update-organisation-unknown-parent",
        lambda s: f"{API}/organisations/{s.world.iom.id}",
        lambda s: etag(s.world.iom.id, s.world.iom.version),
        {"parent_id": NOBODY},
        "body.parent_id",
    ),
    Bad(
        "update-organisation-parent-cycle",
        "PATCH",
        lambda s: f"{API}/organisations/{s.world.iom.id}",
        lambda s: {"parent_id": str(s.world.prague.id)},
        "body.parent_id",
        422,
        lambda s: etag(s.world.iom.id, s.world.iom.version),
    ),
    Bad(
        "update-organisation-duplicate-iati-id",
        "PATCH",
        lambda s: f"{API}/organisations/{s.world.iom.id}",
        lambda s: {"iati_identifier": "XM-DAC-TEST-1"},
        "body.iati_identifier",
        409,
        lambda s: etag(s.world.iom.id, s.world.iom.version),
    ),
    # exchange rates and users
    Bad(
        "rate-unknown-currency",
        "POST",
        lambda s: f"{API}/exchange-rates",
        lambda s: [{"currency": "QQQ", "rate_date": "2010-01-01", "units_per_eur": "2", "source": "NBG"}],
        "body[0].currency",
    ),
    Bad(
        "rate-negative",
        "POST",
        lambda s: f"{API}/exchange-rates",
        lambda s: [{"currency": "GEL", "rate_date": "2010-01-01", "units_per_eur": "-2", "source": "NBG"}],
        "body[0].units_per_eur",
    ),
    Bad(
        "user-unknown-organisation",
        "POST",
        lambda s: f"{API}/users",
        lambda s: {"email": "a@b.org", "name": "A", "password": "a long passphrase", "organisation_id": NOBODY},
        "body.organisation_id",
    ),
    Bad(
        "user-grant-unknown-organisation",
        "POST",
        lambda s: f"{API}/users",
        lambda s: {
            "email": "a@b.org",
            "name": "A",
            "password": "a long passphrase",
            "grants": [{"role": "viewer", "organisation_id": NOBODY}],
        },
        "body.grants[0].organisation_id",
    ),
    _patch(
        "update-user-grant-unknown-organisation",
        lambda s: f"{API}/users/{s.user.id}",
        lambda s: etag(s.user.id, s.user.version),
        {"name": "Renamed", "grants": [{"role": "manager", "organisation_id": NOBODY}]},
        "body.grants[0].organisation_id",
    ),
    _patch(
        "update-user-scoped-admin",
        lambda s: f"{API}/users/{s.user.id}",
        lambda s: etag(s.user.id, s.user.version),
        {"grants": [{"role": "admin", "country_code": "GE"}]},
        "body.grants[0]",
    ),
    Bad(
        "user-grant-unknown-country",
        "POST",
        lambda s: f"{API}/users",
        lambda s: {
            "email": "a@b.org",
            "name": "A",
            "password": "a long passphrase",
            "grants": [{"role": "viewer", "country_code": "XX"}],
        },
        "body.grants[0].country_code",
    ),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
async def test_bad_input_names_the_field_and_writes_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    setup: Setup,
    case: Bad,
) -> None:
    headers = tokens.admin()
    if case.if_match is not None:
        headers["If-Match"] = case.if_match(setup)
    before = await database_digest(session)
    response = await client.request(case.method, case.path(setup), json=case.body(setup), headers=headers)
    assert response.status_code == case.status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == case.status
    fields = [e["field"] for e in problem.get("errors") or []]
    assert case.field in fields, fields
    after = await database_digest(session)
    assert [t for t in after if after[t] != before[t]] == [], "a refused request wrote to these tables"


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/projects", id="project"),
        pytest.param("/organisations", id="organisation"),
        pytest.param("/exchange-rates", id="exchange-rates"),
    ],
)
async def test_malformed_json_is_400_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, path: str
) -> None:
    await World.build(session)
    before = await database_digest(session)
    response = await client.post(
        f"{API}{path}",
        content=b'{"code": "XM-1", "title": ',
        headers={**tokens.admin(), "content-type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 400
    assert await database_digest(session) == before


def _huge_project() -> bytes:
    """A valid project whose description pads the body past the 1 MiB limit."""
    body = {
        "code": "XM-TEST-HUGE",
        "title": "Too long to read",
        "description": "x" * (1_048_576 + 10),
        "countries": [{"country_code": "BA", "percentage": 100}],
    }
    return httpx.Request("POST", "/", json=body).content


async def test_oversized_body_is_413_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    await World.build(session)
    before = await database_digest(session)
    content = _huge_project()
    assert len(content) > 1_048_576
    response = await client.post(
        f"{API}/projects", content=content, headers={**tokens.admin(), "content-type": "application/json"}
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/payload-too-large")
    assert response.json()["status"] == 413
    assert await database_digest(session) == before


async def test_oversized_body_sent_in_chunks_without_a_length_is_413_too(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    await World.build(session)
    before = await database_digest(session)
    content = _huge_project()

    async def chunks() -> Any:
        for start in range(0, len(content), 65_536):
            yield content[start : start + 65_536]

    response = await client.post(
        f"{API}/projects", content=chunks(), headers={**tokens.admin(), "content-type": "application/json"}
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/payload-too-large")
    assert await database_digest(session) == before


CONTROLS = [
    pytest.param("POST", lambda s: f"{API}/projects", _project(), id="project"),
    pytest.param("POST", lambda s: f"{s.project}/activities", _activity(), id="activity"),
    pytest.param("POST", lambda s: f"{s.project}/budgets", _budget(), id="budget"),
    pytest.param("POST", lambda s: f"{s.project}/transactions", _tx(), id="transaction"),
    pytest.param("POST", lambda s: f"{API}/organisations", _org(), id="organisation"),
]


@pytest.mark.parametrize(("method", "path", "body"), CONTROLS)
async def test_the_same_requests_without_the_fault_succeed(
    client: httpx.AsyncClient,
    tokens: Tokens,
    setup: Setup,
    method: str,
    path: Callable[[Setup], str],
    body: Callable[[Setup], Any],
) -> None:
    """The bodies the cases above spoil are valid as they are, so each refusal is down to its one fault."""
    response = await client.request(method, path(setup), json=body(setup), headers=tokens.admin())
    assert response.status_code == 201, response.text
