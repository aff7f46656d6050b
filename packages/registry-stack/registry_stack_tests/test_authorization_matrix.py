"""The authorization matrix: every operation of both OpenAPI documents × every demo role (and anonymous) × an
object in the role's scope and one outside it, against the running system, with the expected outcome of each cell
stated in the one table below (`TABLE`). An operation of either document without a row fails the suite.

Roles are the demo users: `viewer` (a global viewer), `donor` (viewer of the Czech MoI and its departments),
`reporter` (reporter for Georgia), `manager` (manager of IOM Prague), `admin`; `anonymous` sends no token. The
objects (arena.py) are private, so only grants open them: `in` is reached by every scoped demo grant, `out` by none.

Adding a row (an operation added in another lane):
    "<operationId>": Row(<call>, E(anonymous, viewer, donor, reporter, manager, admin)),
where `<call>` builds the request from a `Ctx` (`c.side` holds the scope's objects; `c.arranger` makes fresh ones
for a write that consumes its object) and each outcome is one status for both scopes or `(in, out)`. Statuses:
200/201/204 allowed; 401 no token; 403 the role or scope does not allow it; 404 the caller may not even see the
object (its existence is not revealed). Anything else needs a `why`.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest
import pytest_asyncio

from projects_api.demo.data import demo_id
from registry_stack_tests.arena import (
    ANY,
    IMPORT_PERIODS,
    REPORT_PERIODS,
    SERIES_PERIODS,
    SIDES,
    Arranger,
    P,
    R,
    Side,
    build,
    csv_file,
    unique,
)
from registry_stack_tests.support import System

pytestmark = pytest.mark.asyncio(loop_scope="module")
ROLES = ("anonymous", "viewer", "donor", "reporter", "manager", "admin")
SCOPES = ("in", "out")
IMPORT_JOB_BYTES = 200_000  # registry_stack_tests/conftest.py (REPORTING_IMPORT_JOB_BYTES): larger imports run as jobs


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    params: dict[str, Any] | None = None
    data: dict[str, str] | None = None
    files: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Ctx:
    scope: str
    side: Side
    arranger: Arranger
    job: str


Outcome = int | tuple[int, int]
Build = Callable[[Ctx], Call | Awaitable[Call]]


@dataclass(frozen=True)
class Row:
    call: Build
    expect: dict[str, tuple[int, int]]
    why: str = ""


def E(anonymous: Outcome, viewer: Outcome, donor: Outcome, reporter: Outcome, manager: Outcome, admin: Outcome) -> dict[str, tuple[int, int]]:  # fmt: skip
    """Expected status per role, as (in scope, out of scope); one number means the same for both."""
    given = dict(zip(ROLES, (anonymous, viewer, donor, reporter, manager, admin), strict=True))
    return {role: o if isinstance(o, tuple) else (o, o) for role, o in given.items()}


def get(path: Callable[[Ctx], str], **params: Any) -> Build:
    return lambda c: Call("GET", path(c), params=params or None)


def write(method: str, path: Callable[[Ctx], str], body: Callable[[Ctx], Any] | None = None) -> Build:
    return lambda c: Call(method, path(c), json=body(c) if body else None, headers=dict(ANY))


def fresh(method: str, path: Callable[[Ctx, str], str], make: Callable[[Ctx], Awaitable[str]],
          body: Callable[[Ctx], Any] | None = None) -> Build:  # fmt: skip
    """A write that consumes its object (a delete, a state change): each cell gets one of its own."""

    async def build(c: Ctx) -> Call:
        made = await make(c)
        return Call(method, path(c, made), json=body(c) if body else None, headers=dict(ANY))

    return build


# Outcomes that recur: who may read a private project's things, and who may change them.
PUBLIC = E(200, 200, 200, 200, 200, 200)
SIGNED_IN = E(401, 200, 200, 200, 200, 200)
ADMIN = E(401, 403, 403, 403, 403, 200)
ADMIN_CREATES = E(401, 403, 403, 403, 403, 201)
ADMIN_DELETES = E(401, 403, 403, 403, 403, 204)
READ = E(404, 200, (200, 404), (200, 404), (200, 404), 200)
# projects-api: 404 unless the caller sees the project; 403 if they see it but are no manager of it.
MANAGE = E(401, 403, (403, 404), (403, 404), (200, 404), 200)
MANAGE_CREATES = E(401, 403, (403, 404), (403, 404), (201, 404), 201)
MANAGE_DELETES = E(401, 403, (403, 404), (403, 404), (204, 404), 204)
# reporting-api: the role first (403 without it, whatever the project), then projects-api's answer for the project.
EDIT = E(401, 403, 403, 403, (200, 404), 200)
EDIT_CREATES = E(401, 403, 403, 403, (201, 404), 201)
EDIT_DELETES = E(401, 403, 403, 403, (204, 404), 204)
REPORT = E(401, 403, 403, (200, 404), (200, 404), 200)
REPORT_CREATES = E(401, 403, 403, (201, 404), (201, 404), 201)
REPORT_DELETES = E(401, 403, 403, (204, 404), (204, 404), 204)
GLOBAL_MANAGER = E(
    401, 403, 403, 403, 403, 200
)  # catalogues: a manager grant limited to an org or country is not enough


def _project_body(c: Ctx) -> dict[str, Any]:
    spec = SIDES[c.scope]
    return {"code": f"XM-MATRIX-NEW-{unique()}-{uuid.uuid4().hex[:4]}", "title": "Matrix new", "is_public": False,
            "countries": [{"country_code": c.side.country, "percentage": 100}],
            "participants": [{"organisation_id": str(demo_id("org:" + spec["implementer"])), "role": "implementing"}]}  # fmt: skip


def _import(c: Ctx) -> Call:
    content = csv_file(c.side.project, c.arranger.indicator_code, [IMPORT_PERIODS()])
    return Call("POST", f"{R}/imports", files={"file": ("values.csv", content, "text/csv")})


async def _iati_file(c: Ctx) -> bytes:
    """A small IATI 2.03 activities file: one new activity in the side's country, implemented by the side's
    implementer (in the manager's scope on the `in` side, outside it on the other)."""
    implementer = demo_id("org:" + SIDES[c.scope]["implementer"])
    org = await c.arranger.call("GET", f"{P}/organisations/{implementer}")
    ref = f' ref="{escape(org["iati_identifier"])}"' if org.get("iati_identifier") else ""
    return f"""<iati-activities version="2.03"><iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>XM-MATRIX-IATI-{unique()}-{uuid.uuid4().hex[:4]}</iati-identifier>
  <reporting-org ref="XM-MATRIX" type="40"><narrative>Matrix publisher</narrative></reporting-org>
  <title><narrative>Matrix IATI import</narrative></title>
  <description><narrative>Checked, not kept (a dry run).</narrative></description>
  <participating-org role="4"{ref}><narrative>{escape(org["name"])}</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  <recipient-country code="{c.side.country}"/>
</iati-activity></iati-activities>""".encode()


async def _iati_import(c: Ctx) -> Call:
    files = {"file": ("matrix.xml", await _iati_file(c), "application/xml")}
    return Call("POST", f"{P}/iati/imports", params={"dry_run": "true"}, files=files)


_IATI_JOBS: dict[str, str] = {}


async def _iati_job(c: Ctx) -> str:
    """A dry-run IATI import job of the arranger's (a file over the job threshold: padded with a comment), one a scope."""
    if c.scope not in _IATI_JOBS:
        padded = await _iati_file(c) + b"<!--" + b" " * IMPORT_JOB_BYTES + b"-->\n"
        files = {"file": ("matrix-job.xml", padded, "application/xml")}
        made = await c.arranger.call("POST", f"{P}/iati/imports", params={"dry_run": "true"}, files=files)
        _IATI_JOBS[c.scope] = str(made["id"])
    return _IATI_JOBS[c.scope]


def _token(_: Ctx) -> Call:
    form = {"grant_type": "client_credentials", "client_id": f"matrix-{uuid.uuid4().hex}", "client_secret": "wrong"}
    return Call("POST", f"{P}/auth/token", data=form)


def _rates(_: Ctx) -> Call:
    rate = [
        {"currency": "GEL", "rate_date": f"{1950 + unique() % 900}-01-01", "units_per_eur": "2.5", "source": "matrix"}
    ]
    return Call("POST", f"{P}/exchange-rates", json=rate)


async def _first(made: Awaitable[tuple[str, Any]]) -> str:
    return (await made)[0]


def _in_project(c: Ctx, *parts: str) -> str:
    """A path below the side's project in reporting-api (its framework, results, indicators and reports)."""
    return "/".join((f"{R}/projects/{c.side.project}", *parts))


async def _new_result(c: Ctx) -> str:
    """A result of the side's project with no indicator, for a cell that deletes it."""
    return (await c.arranger.result(c.side, with_indicator=False))[0]


async def _new_project_indicator(c: Ctx) -> str:
    """An indicator of a new result of the side's project, for a cell that removes it."""
    project_indicator = (await c.arranger.result(c.side, with_indicator=True))[1]
    assert project_indicator is not None
    return project_indicator


async def _add_indicator_call(c: Ctx) -> Call:
    result, _ = await c.arranger.result(c.side, with_indicator=False)
    _, code = await c.arranger.indicator()
    path = _in_project(c, "results", result, "indicators")
    return Call("POST", path, json={"indicator_code": code}, headers=dict(ANY))


_arena_user: dict[str, str] = {}
_arena_indicator: dict[str, str] = {}


async def _user_call(c: Ctx, method: str, body: Any = None) -> Call:
    if "id" not in _arena_user:
        _arena_user["id"] = await c.arranger.user()
    return Call(method, f"{P}/users/{_arena_user['id']}", json=body, headers=dict(ANY))


async def _indicator_call(c: Ctx, method: str, body: Any = None) -> Call:
    if "id" not in _arena_indicator:
        _arena_indicator["id"] = (await c.arranger.indicator())[0]
    return Call(method, f"{R}/indicators/{_arena_indicator['id']}", json=body, headers=dict(ANY))


_arena_mapping: dict[str, str] = {}


async def _mapping_call(c: Ctx, method: str, body: Any = None) -> Call:
    """The side's DHIS2 mapping (its orgUnit is the side's project), made once per side."""
    if c.scope not in _arena_mapping:
        _arena_mapping[c.scope] = await c.arranger.dhis2_mapping(c.side)
    return Call(method, f"{R}/dhis2/mappings/{_arena_mapping[c.scope]}", json=body, headers=dict(ANY))


# Reporters and above (the importers) read the mapping table, whatever their scope: it names a project by its id only.
DHIS2_READ = E(401, 403, 403, 200, 200, 200)
DHIS2_WHY = "the table is global: a mapping to a project out of scope shows its id, never the project"

PROJECT = lambda c: f"{P}/projects/{c.side.project}"  # noqa: E731
REPORTS = lambda c: f"{R}/reports"  # noqa: E731
SERIES = lambda c: f"{R}/context/series/{c.side.series}"  # noqa: E731


def _project_part(kind: str, plural: str, create: dict[str, Any], update: dict[str, Any]) -> dict[str, Row]:
    """The five routes of a project's activities, transactions or budgets, under the project's rules."""
    many = lambda c: f"{PROJECT(c)}/{plural}"  # noqa: E731
    one = lambda c: f"{many(c)}/{getattr(c.side, kind)}"  # noqa: E731
    return {
        f"{plural}-list_{plural}": Row(get(many), READ),
        f"{plural}-get_{kind}": Row(get(one), READ),
        f"{plural}-create_{kind}": Row(write("POST", many, lambda c: create), MANAGE_CREATES),
        f"{plural}-update_{kind}": Row(write("PATCH", one, lambda c: update), MANAGE),
        f"{plural}-delete_{kind}": Row(
            fresh("DELETE", lambda c, i: f"{many(c)}/{i}", lambda c: getattr(c.arranger, kind)(c.side)), MANAGE_DELETES
        ),
    }


TABLE: dict[str, Row] = {
    # --- projects-api: projects -------------------------------------------------------------------------------
    "projects-count_projects": Row(get(lambda c: f"{P}/projects/counts", by="country"), PUBLIC),
    "projects-list_projects": Row(get(lambda c: f"{P}/projects"), PUBLIC),
    "projects-export_projects": Row(get(lambda c: f"{P}/projects/export.csv"), PUBLIC),
    "projects-create_project": Row(
        lambda c: Call("POST", f"{P}/projects", json=_project_body(c)),
        E(401, 403, 403, 403, (201, 403), 201),
        why="out: the new project would involve no organisation or country of the manager's grants",
    ),
    "projects-get_project": Row(get(PROJECT), READ),
    "projects-update_project": Row(write("PATCH", PROJECT, lambda c: {"title": f"Matrix {c.scope}"}), MANAGE),
    "projects-delete_project": Row(
        fresh("DELETE", lambda c, pid: f"{P}/projects/{pid}", lambda c: c.arranger.project(c.side)), MANAGE_DELETES
    ),
    "projects-project_history": Row(get(lambda c: f"{PROJECT(c)}/history"), READ),
    "projects-project_access": Row(get(lambda c: f"{PROJECT(c)}/access"), READ),
    # --- activities, transactions, budgets -------------------------------------------------------------------------
    **_project_part(
        "activity",
        "activities",
        {"kind": "training", "title": "Matrix training", "start_date": "2011-04-01"},
        {"title": "Matrix workshop"},
    ),
    **_project_part(
        "transaction",
        "transactions",
        {"transaction_type": "expenditure", "transaction_date": "2011-07-01", "amount": "1.00", "currency": "EUR"},
        {"amount": "10.00"},
    ),
    **_project_part(
        "budget",
        "budgets",
        {"period_start": "2012-01-01", "period_end": "2012-12-31", "amount": "5.00", "currency": "EUR"},
        {"amount": "100.00"},
    ),
    # --- funding, exchange rates -----------------------------------------------------------------------------------
    "funding-funding_summary": Row(get(lambda c: f"{P}/funding/summary"), PUBLIC),
    "funding-export_funding_summary": Row(get(lambda c: f"{P}/funding/summary/export", format="csv"), PUBLIC),
    "funding-list_funders": Row(get(lambda c: f"{P}/funding/funders"), PUBLIC),
    "exchange-rates-list_exchange_rates": Row(get(lambda c: f"{P}/exchange-rates"), PUBLIC),
    "exchange-rates-save_exchange_rates": Row(_rates, ADMIN),
    # --- organisations: public to read; a manager changes those below their grant's organisation ------------------
    "organisations-list_organisations": Row(get(lambda c: f"{P}/organisations"), PUBLIC),
    "organisations-get_organisation": Row(get(lambda c: f"{P}/organisations/{c.side.org}"), PUBLIC),
    "organisations-create_organisation": Row(
        lambda c: Call(
            "POST",
            f"{P}/organisations",
            json={"name": f"Matrix office {unique()}", "org_type": "40", "parent_id": c.side.parent_org},
        ),  # fmt: skip
        E(401, 403, 403, 403, (201, 403), 201),
    ),
    "organisations-update_organisation": Row(
        write("PATCH", lambda c: f"{P}/organisations/{c.side.org}", lambda c: {"acronym": "MX"}),
        E(401, 403, 403, 403, (200, 403), 200),
    ),
    "organisations-delete_organisation": Row(
        fresh("DELETE", lambda c, o: f"{P}/organisations/{o}", lambda c: c.arranger.org(c.side)), ADMIN_DELETES
    ),
    # --- reference data ---------------------------------------------------------------------------------------------
    **{
        f"reference-list_{name.replace('-', '_')}": Row(get(lambda c, n=name: f"{P}/reference/{n}"), PUBLIC)
        for name in (
            "countries",
            "regions",
            "themes",
            "sectors",
            "currencies",
            "activity-statuses",
            "organisation-roles",
            "organisation-types",
            "transaction-types",
            "activity-kinds",
            "facility-types",
        )  # fmt: skip
    },
    # --- the change feed: services with a global grant ----------------------------------------------------------------
    "changes-list_changes": Row(get(lambda c: f"{P}/changes", limit=1), E(401, 200, 403, 403, 403, 200)),
    # --- identity ----------------------------------------------------------------------------------------------------
    "auth-issue_token": Row(
        _token,
        E(401, 401, 401, 401, 401, 401),
        why="the token endpoint ignores bearer tokens; a wrong client is RFC 6749's invalid_client (401, JSON)",
    ),
    "auth-logout": Row(lambda c: Call("POST", f"{P}/auth/logout"), E(204, 204, 204, 204, 204, 204)),
    "auth-jwks": Row(get(lambda c: f"{P}/auth/jwks"), PUBLIC),
    "auth-revocations": Row(get(lambda c: f"{P}/auth/revocations"), PUBLIC),
    "auth-me": Row(get(lambda c: f"{P}/auth/me"), SIGNED_IN),
    "auth-update_me": Row(lambda c: Call("PATCH", f"{P}/auth/me", json={"language": "en"}), SIGNED_IN),
    "users-notification_recipients": Row(
        lambda c: Call(
            "GET", f"{P}/notification-recipients", params={"project_id": c.side.project, "role": "reporter"}
        ),
        ADMIN,
        why="contacts are read by admins and the notification sender's API client only",
    ),
    "users-list_users": Row(get(lambda c: f"{P}/users"), ADMIN),
    "users-get_user": Row(lambda c: _user_call(c, "GET"), ADMIN),
    "users-create_user": Row(
        lambda c: Call(
            "POST",
            f"{P}/users",
            json={
                "email": f"new-{uuid.uuid4().hex[:10]}@example.org",
                "name": "New",
                "password": "a long passphrase",
                "grants": [],
            },
        ),  # fmt: skip
        ADMIN_CREATES,
    ),
    "users-update_user": Row(lambda c: _user_call(c, "PATCH", {"name": "Matrix user"}), ADMIN),
    "users-delete_user": Row(
        fresh("DELETE", lambda c, u: f"{P}/users/{u}", lambda c: c.arranger.user()), ADMIN_DELETES
    ),
    "api-clients-list_api_clients": Row(get(lambda c: f"{P}/api-clients"), ADMIN),
    "api-clients-create_api_client": Row(
        lambda c: Call("POST", f"{P}/api-clients", json={"name": "Matrix system", "grants": [{"role": "viewer"}]}),
        ADMIN_CREATES,
    ),
    "api-clients-delete_api_client": Row(
        fresh("DELETE", lambda c, i: f"{P}/api-clients/{i}", lambda c: c.arranger.api_client()), ADMIN_DELETES
    ),
    # --- reporting-api: aggregations -----------------------------------------------------------------------------------
    "aggregations-project_progress": Row(get(lambda c: f"{R}/aggregations/progress/{c.side.project}"), READ),
    "aggregations-time_series": Row(
        lambda c: Call("GET", f"{R}/aggregations/time-series", params={"indicator": c.arranger.indicator_code}), PUBLIC
    ),  # fmt: skip
    "aggregations-rollup": Row(
        lambda c: Call("GET", f"{R}/aggregations/rollup", params={"indicator": c.arranger.indicator_code}), PUBLIC
    ),
    "aggregations-context_latest": Row(get(lambda c: f"{R}/aggregations/context"), PUBLIC),
    # --- indicators: a global catalogue --------------------------------------------------------------------------------
    "indicators-list_indicators": Row(get(lambda c: f"{R}/indicators"), PUBLIC),
    "indicators-get_indicator": Row(lambda c: _indicator_call(c, "GET"), PUBLIC),
    "indicators-create_indicator": Row(
        lambda c: Call(
            "POST",
            f"{R}/indicators",
            json={
                "code": f"matrix-new-{uuid.uuid4().hex[:8]}",
                "name": "New",
                "level": "output",
                "measure": "number",
                "dimensions": [],
            },
        ),  # fmt: skip
        E(401, 403, 403, 403, 403, 201),
    ),
    "indicators-update_indicator": Row(
        lambda c: _indicator_call(c, "PATCH", {"name": "Matrix indicator"}), GLOBAL_MANAGER
    ),
    "indicators-delete_indicator": Row(
        fresh("DELETE", lambda c, i: f"{R}/indicators/{i}", lambda c: _first(c.arranger.indicator())),
        E(401, 403, 403, 403, 403, 204),
    ),
    # --- results frameworks: managers of the project ---------------------------------------------------------------
    "frameworks-get_framework": Row(get(lambda c: _in_project(c, "framework")), READ),
    "frameworks-create_result": Row(
        write(
            "POST",
            lambda c: _in_project(c, "results"),
            lambda c: {"kind": "outcome", "title": f"Matrix outcome {unique()}"},
        ),
        EDIT_CREATES,
    ),
    "frameworks-update_result": Row(
        write("PATCH", lambda c: _in_project(c, "results", c.side.result), lambda c: {"title": "Matrix result"}), EDIT
    ),
    "frameworks-delete_result": Row(
        fresh("DELETE", lambda c, r: _in_project(c, "results", r), _new_result), EDIT_DELETES
    ),
    "frameworks-add_indicator": Row(_add_indicator_call, EDIT_CREATES),
    "frameworks-update_indicator": Row(
        write(
            "PUT", lambda c: _in_project(c, "indicators", c.side.project_indicator), lambda c: {"baseline_value": "0"}
        ),
        EDIT,
    ),
    "frameworks-remove_indicator": Row(
        fresh("DELETE", lambda c, pi: _in_project(c, "indicators", pi), _new_project_indicator), EDIT_DELETES
    ),
    # --- reports: reporters write drafts, managers decide, admins reopen --------------------------------------------
    "reports-list_reports": Row(get(lambda c: _in_project(c, "reports")), READ),
    "reports-create_report": Row(
        write("POST", lambda c: _in_project(c, "reports"), lambda c: {"period": REPORT_PERIODS()}), REPORT_CREATES
    ),
    "reports-list_reports_across_projects": Row(get(REPORTS), SIGNED_IN),
    "reports-get_report": Row(get(lambda c: f"{R}/reports/{c.side.approved}"), READ),
    "reports-update_report": Row(
        write("PATCH", lambda c: f"{R}/reports/{c.side.draft}", lambda c: {"narrative": "Matrix report"}), REPORT
    ),
    "reports-delete_report": Row(
        fresh("DELETE", lambda c, r: f"{R}/reports/{r}", lambda c: c.arranger.draft(c.side)), REPORT_DELETES
    ),
    "reports-put_values": Row(
        write(
            "PUT",
            lambda c: f"{R}/reports/{c.side.draft}/values",
            lambda c: {"values": [{"indicator_code": c.arranger.indicator_code, "value": "5"}]},
        ),  # fmt: skip
        REPORT,
    ),
    "reports-submit_report": Row(
        fresh("POST", lambda c, r: f"{R}/reports/{r}/submit", lambda c: c.arranger.draft(c.side, values=True)), REPORT
    ),
    "reports-approve_report": Row(
        fresh("POST", lambda c, r: f"{R}/reports/{r}/approve", lambda c: c.arranger.submitted(c.side), lambda c: {}),
        EDIT,
    ),
    "reports-return_report": Row(
        fresh(
            "POST",
            lambda c, r: f"{R}/reports/{r}/return",
            lambda c: c.arranger.submitted(c.side),
            lambda c: {"comment": "One more value"},
        ),  # fmt: skip
        EDIT,
    ),
    "reports-reopen_report": Row(
        fresh(
            "POST",
            lambda c, r: f"{R}/reports/{r}/reopen",
            lambda c: c.arranger.approved(c.side),
            lambda c: {"reason": "A value was wrong"},
        ),  # fmt: skip
        ADMIN,
    ),
    "reports-report_history": Row(get(lambda c: f"{R}/reports/{c.side.approved}/history"), READ),
    "reports-previous_values": Row(get(lambda c: f"{R}/reports/{c.side.approved}/previous"), READ),
    "reports-changes_since_submission": Row(get(lambda c: f"{R}/reports/{c.side.approved}/changes"), READ),
    "reports-reporter_inbox": Row(
        get(lambda c: f"{R}/reports/inbox"), SIGNED_IN, why="each caller's own work: empty without reporter grants"
    ),
    # --- notifications: each person's own -----------------------------------------------------------------------------
    "notifications-list_notifications": Row(get(lambda c: f"{R}/notifications"), SIGNED_IN),
    "notifications-unread_count": Row(get(lambda c: f"{R}/notifications/unread-count"), SIGNED_IN),
    "notifications-read_all": Row(
        lambda c: Call("POST", f"{R}/notifications/read-all"), E(401, 204, 204, 204, 204, 204)
    ),
    "notifications-read_one": Row(
        lambda c: Call("POST", f"{R}/notifications/{uuid.uuid4()}/read"),
        E(401, 404, 404, 404, 404, 404),
        why="a notification is its recipient's alone: one that is not the caller's is not found, for admins too",
    ),
    "notifications-get_preferences": Row(get(lambda c: f"{R}/notifications/preferences"), SIGNED_IN),
    "notifications-put_preferences": Row(
        lambda c: Call(
            "PUT",
            f"{R}/notifications/preferences",
            json={"items": [{"kind": "report_due", "in_app": True, "email": False}]},
        ),  # fmt: skip
        SIGNED_IN,
    ),
    "reports-add_attachment": Row(
        lambda c: Call(
            "POST",
            f"{R}/reports/{c.side.draft}/attachments",
            files={"file": ("notes.txt", b"matrix notes", "text/plain")},
        ),  # fmt: skip
        REPORT_CREATES,
    ),
    "reports-download_attachment": Row(
        get(lambda c: f"{R}/reports/{c.side.approved}/attachments/{c.side.attachment}"), READ
    ),
    "reports-delete_attachment": Row(
        fresh(
            "DELETE",
            lambda c, a: f"{R}/reports/{c.side.draft}/attachments/{a}",
            lambda c: c.arranger.attachment(c.side.draft),
        ),  # fmt: skip
        REPORT_DELETES,
    ),
    # --- context series: public to read; managers of the series' country (or global) change them --------------------
    "context-list_series": Row(get(lambda c: f"{R}/context/series"), PUBLIC),
    "context-get_series": Row(get(SERIES), PUBLIC),
    "context-create_series": Row(
        lambda c: Call(
            "POST",
            f"{R}/context/series",
            json={"code": f"matrix-new-{uuid.uuid4().hex[:8]}", "name": "New", "country_code": c.side.country},
        ),  # fmt: skip
        E(401, 403, 403, 403, 403, 201),
        why="the demo manager's grant is for an organisation, not a country",
    ),
    "context-update_series": Row(write("PATCH", SERIES, lambda c: {"unit": "persons"}), GLOBAL_MANAGER),
    "context-delete_series": Row(
        fresh("DELETE", lambda c, s: f"{R}/context/series/{s}", lambda c: c.arranger.series(c.side)), ADMIN_DELETES
    ),
    "context-put_value": Row(
        write("PUT", lambda c: f"{SERIES(c)}/values/{SERIES_PERIODS()}", lambda c: {"value": "7", "source": "matrix"}),
        E(401, 403, 403, 403, 403, 201),
        why="a new period's value is created (201)",
    ),
    "context-delete_value": Row(
        fresh(
            "DELETE", lambda c, period: f"{SERIES(c)}/values/{period}", lambda c: c.arranger.series_value(c.side.series)
        ),  # fmt: skip
        ADMIN_DELETES,
    ),
    # --- IATI (issue 13): projects-api's files out and in, reporting-api's results for them --------------------------
    "iati-iati_activities": Row(get(lambda c: f"{P}/iati/activities.xml"), PUBLIC),
    "iati-iati_organisations": Row(get(lambda c: f"{P}/iati/organisations.xml"), PUBLIC),
    "iati-project_iati": Row(get(lambda c: f"{PROJECT(c)}/iati.xml"), READ),
    "iati-import_iati": Row(
        _iati_import,
        E(401, 403, 403, 403, 200, 200),
        why="out: the answer accounts for each activity; one outside the manager's scope is skipped with its error",
    ),
    "iati-get_iati_import": Row(
        fresh("GET", lambda c, job: f"{P}/iati/imports/{job}", _iati_job),
        E(401, 404, 404, 404, 404, 200),
        why="a job is its uploader's (here the arranger's) and the admins'",
    ),
    "iati-iati_results": Row(
        lambda c: Call("GET", f"{R}/iati/results", params={"project_id": c.side.project}),
        PUBLIC,
        why="projects the caller may not read are left out of the answer, not refused",
    ),
    "iati-put_iati_results": Row(
        fresh(
            "PUT",
            lambda c, pid: f"{R}/iati/projects/{pid}/results",
            lambda c: c.arranger.project(c.side),
            lambda c: {"results": []},
        ),  # fmt: skip
        EDIT,
    ),
    # --- imports and exports ----------------------------------------------------------------------------------------
    "imports-import_values": Row(
        _import,
        E(401, 403, 403, (200, 422), (200, 422), 200),
        why="out: a file is checked row by row; a project the caller may not report on is a conflict of its rows",
    ),
    "imports-get_import": Row(
        get(lambda c: f"{R}/imports/{c.job}"),
        E(401, 404, 404, 404, 404, 200),
        why="a job is its owner's (here the arranger's) and the admins'",
    ),  # fmt: skip
    # --- the DHIS2 mapping table: one table for every import (not scoped); reporters read it, admins change it ------
    "imports-list_mappings": Row(get(lambda c: f"{R}/dhis2/mappings"), DHIS2_READ, why=DHIS2_WHY),
    "imports-get_mapping": Row(lambda c: _mapping_call(c, "GET"), DHIS2_READ, why=DHIS2_WHY),
    "imports-create_mapping": Row(
        lambda c: Call(
            "POST",
            f"{R}/dhis2/mappings",
            json={"kind": "orgUnit", "dhis2_id": "N" + uuid.uuid4().hex[:10], "project_id": c.side.project},
        ),  # fmt: skip
        ADMIN_CREATES,
    ),
    "imports-update_mapping": Row(lambda c: _mapping_call(c, "PATCH", {"name": "Matrix org unit"}), ADMIN),
    "imports-delete_mapping": Row(
        fresh("DELETE", lambda c, m: f"{R}/dhis2/mappings/{m}", lambda c: c.arranger.dhis2_mapping(c.side)),
        ADMIN_DELETES,
    ),
    "exports-export_values": Row(
        lambda c: Call("GET", f"{R}/exports/values", params={"project_id": c.side.project}), PUBLIC
    ),
    "periods-get_period": Row(get(lambda c: f"{R}/periods/2009Q3"), PUBLIC),
    "sync-sync_status": Row(get(lambda c: f"{R}/sync/projects"), ADMIN),
    "sync-run_sync": Row(lambda c: Call("POST", f"{R}/sync/projects"), ADMIN),
}


# --- running the table ----------------------------------------------------------------------------------------------


@dataclass
class Matrix:
    client: httpx.AsyncClient
    arranger: Arranger
    sides: dict[str, Side]
    job: str
    operations: dict[str, tuple[str, str]]  # operationId → (method, path template), from both OpenAPI documents


async def _api_client_headers(client: httpx.AsyncClient, admin: dict[str, str], name: str) -> dict[str, str]:
    made = await client.post(f"{P}/api-clients", json={"name": name, "grants": [{"role": "admin"}]}, headers=admin)
    assert made.status_code == 201, made.text
    form = {"grant_type": "client_credentials", "client_id": made.json()["client_id"],
            "client_secret": made.json()["client_secret"]}  # fmt: skip
    token = await client.post(f"{P}/auth/token", data=form)
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def matrix(system: System) -> AsyncIterator[Matrix]:
    async with httpx.AsyncClient(base_url=system.url, timeout=60) as client:
        admin = system.headers("admin")
        arranger = Arranger(client, await _api_client_headers(client, admin, "matrix arranger"),
                            await _api_client_headers(client, admin, "matrix approver"))  # fmt: skip
        sides, job = await build(arranger, IMPORT_JOB_BYTES)
        operations = {}
        for service in ("projects", "reporting"):
            document = (await client.get(f"/api/{service}/openapi.json")).json()
            for path, methods in document["paths"].items():
                for method, operation in methods.items():
                    operations[operation["operationId"]] = (method.upper(), path)
        yield Matrix(client, arranger, sides, job, operations)


async def test_every_operation_of_both_documents_has_a_row(matrix: Matrix) -> None:
    missing = sorted(set(matrix.operations) - set(TABLE))
    stale = sorted(set(TABLE) - set(matrix.operations))
    assert missing == [], f"operations without a row in TABLE: {missing}"
    assert stale == [], f"rows for operations no document has: {stale}"


def _matches(call: Call, method: str, template: str) -> bool:
    """The row's request is the operation it stands for (its method and path, parameters filled in)."""
    parts, pattern = call.path.split("/"), template.split("/")
    same = len(parts) == len(pattern) and all(t.startswith("{") or t == p for p, t in zip(parts, pattern, strict=True))
    return call.method == method and same


@pytest.mark.parametrize("operation", sorted(TABLE))
async def test_the_operation_answers_each_role_and_scope_as_the_table_says(
    matrix: Matrix, system: System, operation: str
) -> None:
    row = TABLE[operation]
    wrong = []
    for scope in SCOPES:
        for role in ROLES:
            ctx = Ctx(scope, matrix.sides[scope], matrix.arranger, matrix.job)
            built = row.call(ctx)
            call = await built if inspect.isawaitable(built) else built
            if operation in matrix.operations:
                assert _matches(call, *matrix.operations[operation]), (operation, call.method, call.path)
            answer = await matrix.client.request(
                call.method, call.path, params=call.params, json=call.json, data=call.data, files=call.files,
                headers={**call.headers, **system.headers(None if role == "anonymous" else role)},
            )  # fmt: skip
            expected = row.expect[role][SCOPES.index(scope)]
            if answer.status_code != expected:
                wrong.append(f"{role:9} {scope:3}: {answer.status_code} (table: {expected}) {answer.text[:160]}")
            elif answer.status_code >= 400:
                # The token endpoint answers as RFC 6749 says (JSON, the problem members beside); the rest problem+json.
                kind = "application/json" if operation == "auth-issue_token" else "application/problem+json"
                assert answer.headers["content-type"] == kind, (role, scope, answer.headers)
    assert wrong == [], f"{operation}:\n" + "\n".join(wrong)


_FETCHABLE = re.compile(r"url|uri|href|webhook|callback", re.IGNORECASE)
# "<service> schema <Name>.<field>" or "<METHOD> <path>: parameter <name>" → why the services never fetch it.
NEVER_FETCHED: dict[str, str] = {}


async def test_no_operation_takes_an_address_to_fetch(matrix: Matrix) -> None:
    """OWASP API7 (server-side request forgery): the services call only the addresses their settings name. An
    operation that took a URL to fetch (an import from a link, a webhook) would need its own defence first."""
    found = []
    for service in ("projects", "reporting"):
        document = (await matrix.client.get(f"/api/{service}/openapi.json")).json()
        for path, methods in document["paths"].items():
            for method, operation in methods.items():
                for parameter in operation.get("parameters", []):
                    if _FETCHABLE.search(parameter["name"]):
                        found.append(f"{method.upper()} {path}: parameter {parameter['name']}")
        for name, schema in document["components"]["schemas"].items():
            for prop, spec in schema.get("properties", {}).items():
                if _FETCHABLE.search(prop) or str(spec.get("format", "")).startswith("uri"):
                    found.append(f"{service} schema {name}.{prop}")
    assert [f for f in found if f not in NEVER_FETCHED] == []
