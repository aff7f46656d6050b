"""Who may write and read what: every write endpoint refuses anonymous callers (401), the wrong role (403) and
the right role outside its organisation or country (403), and lets the right role in scope through; anonymous
callers read public projects only, and scoped grants reach child organisations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.activities.models import Activity
from projects_api.audit.models import AuditEvent
from projects_api.funding.models import Budget, Transaction
from projects_api.identity.models import ApiClient, User
from projects_api.organisations.models import Organisation
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import (
    World,
    create_activity,
    create_api_client,
    create_budget,
    create_org,
    create_project,
    create_transaction,
    create_user,
)
from registry_kit.auth import Role
from registry_kit.etag import etag

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
PROBLEM = "application/problem+json"


@dataclass
class Arena:
    """The small world plus one of every record a write endpoint can target."""

    world: World
    activity: Activity
    budget: Budget
    transaction: Transaction
    spare: Organisation  # referenced by nothing, so it may be deleted
    user: User
    api_client: ApiClient

    @property
    def project_path(self) -> str:
        return f"{API}/projects/{self.world.project.id}"


@pytest_asyncio.fixture
async def arena(session: AsyncSession) -> Arena:
    world = await World.build(session)
    activity = await create_activity(session, world.project.id)
    budget = await create_budget(session, world.project.id)
    tx = await create_transaction(session, world.project.id, amount="100.00")
    spare = await create_org(session, "Nobody refers to me")
    user = await create_user(session, organisation_id=world.prague.id, grants=(("viewer", world.prague.id, None),))
    api_client = await create_api_client(session)
    return Arena(world, activity, budget, tx, spare, user, api_client)


Headers = Callable[[Tokens, Arena], dict[str, str]]


@dataclass(frozen=True)
class Caller:
    label: str
    headers: Headers


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[Arena], str]
    ok: int
    kind: str  # "project": project grants; "organisation": organisation grants; "admin": admins only
    body: Callable[[Arena], Any] | None = None
    if_match: Callable[[Arena], str] | None = None

    async def call(self, client: httpx.AsyncClient, arena: Arena, headers: dict[str, str]) -> httpx.Response:
        sent = dict(headers)
        if self.if_match is not None:
            sent["If-Match"] = self.if_match(arena)  # the current version: only the caller can be at fault
        body = self.body(arena) if self.body is not None else None
        return await client.request(self.method, self.path(arena), json=body, headers=sent)


def _project_body(a: Arena) -> dict[str, Any]:
    return {
        "code": "XM-TEST-NEW-1",
        "title": "Border management in BiH",
        "countries": [{"country_code": "BA", "percentage": 100}],
        "participants": [
            {"organisation_id": str(a.world.donor.id), "role": "funding"},
            {"organisation_id": str(a.world.prague.id), "role": "implementing"},
        ],
    }


def _project_record_endpoints(
    collection: str,
    record: Callable[[Arena], Activity | Budget | Transaction],
    *,
    create: dict[str, Any],
    update: dict[str, Any],
) -> list[Endpoint]:
    """Create, update and delete of one kind of record inside the project: each needs a grant on the project."""

    def collection_path(a: Arena) -> str:
        return f"{a.project_path}/{collection}"

    def record_path(a: Arena) -> str:
        return f"{collection_path(a)}/{record(a).id}"

    def current(a: Arena) -> str:
        return etag(record(a).id, record(a).version)

    return [
        Endpoint(f"{collection}-create", "POST", collection_path, 201, "project", body=lambda a: create),
        Endpoint(f"{collection}-update", "PATCH", record_path, 200, "project", body=lambda a: update, if_match=current),
        Endpoint(f"{collection}-delete", "DELETE", record_path, 204, "project", if_match=current),
    ]


ENDPOINTS = [
    Endpoint(
        "organisations-create",
        "POST",
        lambda a: f"{API}/organisations",
        201,
        "organisation-create",
        body=lambda a: {"name": "IOM Prague field office", "org_type": "40", "parent_id": str(a.world.prague.id)},
    ),
    Endpoint(
        "organisations-update",
        "PATCH",
        lambda a: f"{API}/organisations/{a.world.prague.id}",
        200,
        "organisation",
        body=lambda a: {"acronym": "IOM CZ"},
        if_match=lambda a: etag(a.world.prague.id, a.world.prague.version),
    ),
    Endpoint(
        "organisations-delete",
        "DELETE",
        lambda a: f"{API}/organisations/{a.spare.id}",
        204,
        "admin",
        if_match=lambda a: etag(a.spare.id, a.spare.version),
    ),
    Endpoint("projects-create", "POST", lambda a: f"{API}/projects", 201, "project", body=_project_body),
    Endpoint(
        "projects-update",
        "PATCH",
        lambda a: a.project_path,
        200,
        "project",
        body=lambda a: {"title": "Renamed"},
        if_match=lambda a: etag(a.world.project.id, a.world.project.version),
    ),
    Endpoint(
        "projects-delete",
        "DELETE",
        lambda a: a.project_path,
        204,
        "project",
        if_match=lambda a: etag(a.world.project.id, a.world.project.version),
    ),
    *_project_record_endpoints(
        "activities",
        lambda a: a.activity,
        create={"kind": "training", "title": "Training of border police", "start_date": "2010-05-01"},
        update={"title": "Renamed"},
    ),
    *_project_record_endpoints(
        "budgets",
        lambda a: a.budget,
        create={"period_start": "2011-01-01", "period_end": "2011-12-31", "amount": "500.00", "currency": "EUR"},
        update={"amount": "750.00"},
    ),
    *_project_record_endpoints(
        "transactions",
        lambda a: a.transaction,
        create={
            "transaction_type": "disbursement",
            "transaction_date": "2010-07-01",
            "amount": "10.00",
            "currency": "EUR",
        },
        update={"amount": "20.00"},
    ),
    Endpoint(
        "exchange-rates-save",
        "POST",
        lambda a: f"{API}/exchange-rates",
        200,
        "admin",
        body=lambda a: [{"currency": "GEL", "rate_date": "2010-06-01", "units_per_eur": "2.3154", "source": "NBG"}],
    ),
    Endpoint(
        "users-create",
        "POST",
        lambda a: f"{API}/users",
        201,
        "admin",
        body=lambda a: {
            "email": "new.user@example.org",
            "name": "New User",
            "password": "a long passphrase",
            "grants": [{"role": "viewer"}],
        },
    ),
    Endpoint(
        "users-update",
        "PATCH",
        lambda a: f"{API}/users/{a.user.id}",
        200,
        "admin",
        body=lambda a: {"name": "Renamed User"},
        if_match=lambda a: etag(a.user.id, a.user.version),
    ),
    Endpoint(
        "users-delete",
        "DELETE",
        lambda a: f"{API}/users/{a.user.id}",
        204,
        "admin",
        if_match=lambda a: etag(a.user.id, a.user.version),
    ),
    Endpoint(
        "api-clients-create",
        "POST",
        lambda a: f"{API}/api-clients",
        201,
        "admin",
        body=lambda a: {"name": "Donor statistics", "grants": [{"role": "viewer"}]},
    ),
    Endpoint("api-clients-delete", "DELETE", lambda a: f"{API}/api-clients/{a.api_client.id}", 204, "admin"),
    Endpoint("users-list", "GET", lambda a: f"{API}/users", 200, "admin"),
    Endpoint("users-read", "GET", lambda a: f"{API}/users/{a.user.id}", 200, "admin"),
    Endpoint("api-clients-list", "GET", lambda a: f"{API}/api-clients", 200, "admin"),
]


def _role(role: Role, org: str | None = None, country: str | None = None) -> Headers:
    def headers(tokens: Tokens, a: Arena) -> dict[str, str]:
        org_id = getattr(a.world, org).id if org else None
        return tokens.role(role, org=org_id, country=country)

    return headers


def _admin(tokens: Tokens, _: Arena) -> dict[str, str]:
    return tokens.admin()


# The project is funded by `donor`, implemented by `prague` (a child of `iom`) and located in BA.
WRONG_ROLE = {
    "project": [
        Caller("viewer-global", _role(Role.viewer)),
        Caller("reporter-of-prague", _role(Role.reporter, "prague")),
    ],
    "organisation": [
        Caller("viewer-of-iom", _role(Role.viewer, "iom")),
        Caller("reporter-of-prague", _role(Role.reporter, "prague")),
    ],
    "organisation-create": [
        Caller("viewer-global", _role(Role.viewer)),
        Caller("reporter-of-iom", _role(Role.reporter, "iom")),
    ],
    "admin": [Caller("viewer-global", _role(Role.viewer)), Caller("manager-global", _role(Role.manager))],
}
WRONG_SCOPE = {
    "project": [
        Caller("manager-of-other", _role(Role.manager, "other")),
        Caller("manager-in-GE", _role(Role.manager, country="GE")),
    ],
    "organisation": [
        Caller("manager-of-other", _role(Role.manager, "other")),
        Caller("manager-of-donor", _role(Role.manager, "donor")),
    ],
    "organisation-create": [Caller("manager-of-other", _role(Role.manager, "other"))],
    "admin": [],
}
RIGHT = {
    "project": [
        Caller("manager-of-parent-iom", _role(Role.manager, "iom")),
        Caller("manager-of-donor", _role(Role.manager, "donor")),
        Caller("manager-in-BA", _role(Role.manager, country="BA")),
        Caller("admin", _admin),
    ],
    "organisation": [Caller("manager-of-parent-iom", _role(Role.manager, "iom")), Caller("admin", _admin)],
    "organisation-create": [Caller("manager-of-parent-iom", _role(Role.manager, "iom")), Caller("admin", _admin)],
    "admin": [Caller("admin", _admin)],
}


def _pairs(table: dict[str, list[Caller]]) -> list[Any]:
    return [pytest.param(e, c, id=f"{e.name}-{c.label}") for e in ENDPOINTS for c in table[e.kind]]


async def _audit_count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.mark.parametrize("endpoint", [pytest.param(e, id=e.name) for e in ENDPOINTS])
async def test_no_token_is_401_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, arena: Arena, endpoint: Endpoint
) -> None:
    before = await _audit_count(session)
    response = await endpoint.call(client, arena, {})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
    assert await _audit_count(session) == before


@pytest.mark.parametrize(("endpoint", "caller"), _pairs(WRONG_ROLE))
async def test_wrong_role_is_403_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, arena: Arena, endpoint: Endpoint, caller: Caller
) -> None:
    before = await _audit_count(session)
    response = await endpoint.call(client, arena, caller.headers(tokens, arena))
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == PROBLEM
    assert await _audit_count(session) == before


@pytest.mark.parametrize(("endpoint", "caller"), _pairs(WRONG_SCOPE))
async def test_right_role_outside_its_scope_is_403_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, arena: Arena, endpoint: Endpoint, caller: Caller
) -> None:
    before = await _audit_count(session)
    response = await endpoint.call(client, arena, caller.headers(tokens, arena))
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == PROBLEM
    assert await _audit_count(session) == before


@pytest.mark.parametrize(("endpoint", "caller"), _pairs(RIGHT))
async def test_right_role_in_scope_succeeds_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, arena: Arena, endpoint: Endpoint, caller: Caller
) -> None:
    before = await _audit_count(session)
    response = await endpoint.call(client, arena, caller.headers(tokens, arena))
    assert response.status_code == endpoint.ok, response.text
    assert await _audit_count(session) == before + (0 if endpoint.method == "GET" else 1)


# --- reads ----------------------------------------------------------------------------------------------------


async def _codes(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> set[str]:
    response = await client.get(f"{API}/projects", headers=headers or {})
    assert response.status_code == 200, response.text
    return {p["code"] for p in response.json()["items"]}


async def _summary_total(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> str:
    response = await client.get(f"{API}/funding/summary", headers=headers or {})
    assert response.status_code == 200, response.text
    total: str = response.json()["total"]["eur_amount"]
    return total


async def test_anonymous_callers_see_public_projects_only(client: httpx.AsyncClient, session: AsyncSession) -> None:
    world = await World.build(session)
    await create_transaction(session, world.project.id, amount="1000.00")
    hidden_records = {
        "transactions": (await create_transaction(session, world.private.id, amount="500.00")).id,
        "activities": (await create_activity(session, world.private.id)).id,
        "budgets": (await create_budget(session, world.private.id)).id,
    }
    assert (await client.get(f"{API}/projects/{world.project.id}")).status_code == 200
    hidden = await client.get(f"{API}/projects/{world.private.id}")
    assert hidden.status_code == 404
    assert hidden.headers["content-type"] == PROBLEM
    for sub in ("activities", "transactions", "budgets", "history", "access"):
        assert (await client.get(f"{API}/projects/{world.private.id}/{sub}")).status_code == 404, sub
    for sub, record_id in hidden_records.items():
        assert (await client.get(f"{API}/projects/{world.private.id}/{sub}/{record_id}")).status_code == 404, sub
    assert await _codes(client) == {world.project.code}
    assert (await client.get(f"{API}/projects", params={"is_public": "false"})).json()["total"] == 0
    assert await _summary_total(client) == "1000.00"


@pytest.mark.parametrize(
    "grant",
    [pytest.param({"org": "other"}, id="organisation"), pytest.param({"country": "GE"}, id="country")],
)
async def test_a_viewer_scoped_to_the_private_projects_organisation_or_country_sees_it(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, grant: dict[str, str]
) -> None:
    world = await World.build(session)
    await create_transaction(session, world.project.id, amount="1000.00")
    await create_transaction(session, world.private.id, amount="500.00")
    org = getattr(world, grant["org"]).id if "org" in grant else None
    viewer = tokens.role(Role.viewer, org=org, country=grant.get("country"))
    response = await client.get(f"{API}/projects/{world.private.id}", headers=viewer)
    assert response.status_code == 200, response.text
    assert response.json()["is_public"] is False
    assert await _codes(client, viewer) == {world.project.code, world.private.code}
    assert await _summary_total(client, viewer) == "1500.00"


async def test_a_viewer_of_an_unrelated_organisation_does_not_see_the_private_project(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    await create_transaction(session, world.private.id, amount="500.00")
    viewer = tokens.role(Role.viewer, org=world.donor.id)
    assert (await client.get(f"{API}/projects/{world.private.id}", headers=viewer)).status_code == 404
    assert await _codes(client, viewer) == {world.project.code}
    assert await _summary_total(client, viewer) == "0.00"


async def test_an_organisation_grant_covers_its_child_organisations(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    prague_only = await create_project(
        session, title="Prague's own", is_public=False, participants=((world.prague.id, "implementing"),)
    )
    manager_of_iom = tokens.role(Role.manager, org=world.iom.id)
    read = await client.get(f"{API}/projects/{prague_only.id}", headers=manager_of_iom)
    assert read.status_code == 200, read.text
    response = await client.patch(
        f"{API}/projects/{prague_only.id}",
        json={"title": "Edited by IOM"},
        headers={**manager_of_iom, "If-Match": read.headers["etag"]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Edited by IOM"
    # …but not the other way round: a grant of the child does not reach a project of the parent alone.
    iom_only = await create_project(session, participants=((world.iom.id, "implementing"),))
    manager_of_prague = tokens.role(Role.manager, org=world.prague.id)
    refused = await client.patch(
        f"{API}/projects/{iom_only.id}",
        json={"title": "Edited by Prague"},
        headers={**manager_of_prague, "If-Match": etag(iom_only.id, iom_only.version)},
    )
    assert refused.status_code == 403


async def test_a_manager_cannot_move_a_project_out_of_their_own_scope(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    manager = tokens.role(Role.manager, org=world.prague.id)
    response = await client.patch(
        f"{API}/projects/{world.project.id}",
        json={"participants": [{"organisation_id": str(world.other.id), "role": "implementing"}]},
        headers={**manager, "If-Match": etag(world.project.id, world.project.version)},
    )
    assert response.status_code == 403
    participants = (await client.get(f"{API}/projects/{world.project.id}")).json()["participants"]
    assert {p["organisation"]["id"] for p in participants} == {str(world.donor.id), str(world.prague.id)}


ACCESS_PUBLIC = [
    ("anonymous", None, (False, False, False)),
    ("viewer-of-prague", (Role.viewer, "prague", None), (False, False, False)),
    ("reporter-of-prague", (Role.reporter, "prague", None), (True, False, False)),
    ("reporter-in-BA", (Role.reporter, None, "BA"), (True, False, False)),
    ("reporter-in-GE", (Role.reporter, None, "GE"), (False, False, False)),
    ("manager-of-parent-iom", (Role.manager, "iom", None), (True, True, True)),
    ("manager-of-other", (Role.manager, "other", None), (False, False, False)),
    ("admin", (Role.admin, None, None), (True, True, True)),
]


@pytest.mark.parametrize(("label", "grant", "expected"), ACCESS_PUBLIC, ids=[row[0] for row in ACCESS_PUBLIC])
async def test_access_reports_what_each_role_may_do_with_a_public_project(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    label: str,
    grant: tuple[Role, str | None, str | None] | None,
    expected: tuple[bool, bool, bool],
) -> None:
    world = await World.build(session)
    headers: dict[str, str] = {}
    if grant is not None:
        role, org, country = grant
        headers = tokens.role(role, org=getattr(world, org).id if org else None, country=country)
    response = await client.get(f"{API}/projects/{world.project.id}/access", headers=headers)
    assert response.status_code == 200, response.text
    can_report, can_edit, can_approve = expected
    assert response.json() == {
        "project_id": str(world.project.id),
        "is_public": True,
        "can_read": True,
        "can_report": can_report,
        "can_edit": can_edit,
        "can_approve": can_approve,
    }


ACCESS_PRIVATE = [
    ("anonymous", None, None),
    ("reporter-of-donor", (Role.reporter, "donor", None), None),
    ("viewer-of-other", (Role.viewer, "other", None), (False, False, False)),
    ("reporter-of-other", (Role.reporter, "other", None), (True, False, False)),
    ("manager-in-GE", (Role.manager, None, "GE"), (True, True, True)),
]


@pytest.mark.parametrize(("label", "grant", "expected"), ACCESS_PRIVATE, ids=[row[0] for row in ACCESS_PRIVATE])
async def test_access_to_a_private_project_is_404_outside_the_callers_grants(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    label: str,
    grant: tuple[Role, str | None, str | None] | None,
    expected: tuple[bool, bool, bool] | None,
) -> None:
    world = await World.build(session)
    headers: dict[str, str] = {}
    if grant is not None:
        role, org, country = grant
        headers = tokens.role(role, org=getattr(world, org).id if org else None, country=country)
    response = await client.get(f"{API}/projects/{world.private.id}/access", headers=headers)
    if expected is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["can_read"], body["can_report"], body["can_edit"], body["can_approve"]) == (True, *expected)
    assert body["is_public"] is False


async def test_writes_to_a_private_project_outside_the_grants_do_not_reveal_it(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    world = await World.build(session)
    outsider = tokens.role(Role.manager, org=world.prague.id)
    path = f"{API}/projects/{world.private.id}"
    tag = etag(world.private.id, world.private.version)
    assert (await client.patch(path, json={"title": "x"}, headers={**outsider, "If-Match": tag})).status_code == 404
    assert (
        await client.post(
            f"{path}/activities", json={"kind": "training", "title": "t", "start_date": "2010-01-01"}, headers=outsider
        )
    ).status_code == 404
    insider = tokens.role(Role.viewer, org=world.other.id)
    assert (await client.patch(path, json={"title": "x"}, headers={**insider, "If-Match": tag})).status_code == 403
