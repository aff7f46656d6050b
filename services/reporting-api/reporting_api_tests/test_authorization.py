"""Every operation that changes something: 401 without a token, 403 for a role too low, 403 for a scope that
does not cover it. The table must name every such operation of the OpenAPI document."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.imports.models import Dhis2Mapping
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


@dataclass
class World:
    project: uuid.UUID
    result: uuid.UUID
    pi: uuid.UUID
    indicator: uuid.UUID
    draft: uuid.UUID
    submitted: uuid.UUID
    approved: uuid.UUID
    mapping: uuid.UUID


async def build(session: AsyncSession, fake: ProjectsHarness) -> World:
    indicator = await create_indicator(session)
    project = await create_project(session, fake, countries=("BA",))
    pi = await create_framework(session, project.id, indicator)
    draft = await create_report(session, project.id, "2010Q1")
    submitted = await create_report(session, project.id, "2010Q2", status="submitted")
    approved = await create_report(session, project.id, "2010Q3", status="approved")
    mapping = Dhis2Mapping(kind="dataElement", dhis2_id="f7n9E0hX8qk", indicator_id=indicator.id, created_by="test")
    session.add(mapping)
    await session.flush()
    return World(project.id, pi.result_id, pi.id, indicator.id, draft.id, submitted.id, approved.id, mapping.id)


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # the OpenAPI template
    role: Role  # the lowest role that may do it
    scoped: Role | None  # a grant of that role limited to another country must be refused (None: role-only rule)
    body: Callable[[World], Any] | None = None
    files: bool = False

    def url(self, w: World) -> str:
        return API + self.path.format(
            project_id=w.project,
            result_id=w.result,
            project_indicator_id=w.pi,
            indicator_id=w.indicator,
            report_id=w.submitted
            if self.path.endswith(("/approve", "/return"))
            else (w.approved if self.path.endswith("/reopen") else w.draft),
            attachment_id=uuid.uuid4(),
            series="auth-series",
            period="2009",
            import_id=uuid.uuid4(),
            notification_id=uuid.uuid4(),
            mapping_id=w.mapping,
        )


CASES = [
    Case(
        "post",
        "/indicators",
        Role.manager,
        Role.manager,
        lambda w: {"code": "x", "name": "x", "level": "output", "measure": "number"},
    ),
    Case("patch", "/indicators/{indicator_id}", Role.manager, Role.manager, lambda w: {"name": "y"}),
    Case("delete", "/indicators/{indicator_id}", Role.manager, Role.manager),
    Case(
        "post", "/projects/{project_id}/results", Role.manager, Role.manager, lambda w: {"kind": "output", "title": "t"}
    ),
    Case("patch", "/projects/{project_id}/results/{result_id}", Role.manager, Role.manager, lambda w: {"title": "t"}),
    Case("delete", "/projects/{project_id}/results/{result_id}", Role.manager, Role.manager),
    Case(
        "post",
        "/projects/{project_id}/results/{result_id}/indicators",
        Role.manager,
        Role.manager,
        lambda w: {"indicator_id": str(w.indicator)},
    ),
    Case("put", "/projects/{project_id}/indicators/{project_indicator_id}", Role.manager, Role.manager, lambda w: {}),
    Case("delete", "/projects/{project_id}/indicators/{project_indicator_id}", Role.manager, Role.manager),
    Case("post", "/projects/{project_id}/reports", Role.reporter, Role.reporter, lambda w: {"period": "2011"}),
    Case("patch", "/reports/{report_id}", Role.reporter, Role.reporter, lambda w: {"narrative": "n"}),
    Case("delete", "/reports/{report_id}", Role.reporter, Role.reporter),
    Case(
        "put",
        "/reports/{report_id}/values",
        Role.reporter,
        Role.reporter,
        lambda w: {"values": [{"project_indicator_id": str(w.pi), "value": "1"}]},
    ),
    Case("post", "/reports/{report_id}/submit", Role.reporter, Role.reporter),
    Case("post", "/reports/{report_id}/approve", Role.manager, Role.manager, lambda w: {}),
    Case("post", "/reports/{report_id}/return", Role.manager, Role.manager, lambda w: {"comment": "c"}),
    Case("post", "/reports/{report_id}/reopen", Role.admin, None, lambda w: {"reason": "because"}),
    Case("post", "/reports/{report_id}/attachments", Role.reporter, Role.reporter, files=True),
    Case("delete", "/reports/{report_id}/attachments/{attachment_id}", Role.reporter, Role.reporter),
    Case(
        "post",
        "/context/series",
        Role.manager,
        Role.manager,
        lambda w: {"code": "new-series", "name": "n", "country_code": "BA"},
    ),
    Case("patch", "/context/series/{series}", Role.manager, Role.manager, lambda w: {"name": "n"}),
    Case("delete", "/context/series/{series}", Role.manager, Role.manager),
    Case(
        "put",
        "/context/series/{series}/values/{period}",
        Role.manager,
        Role.manager,
        lambda w: {"value": "1", "source": "s"},
    ),
    Case("delete", "/context/series/{series}/values/{period}", Role.manager, Role.manager),
    Case("post", "/imports", Role.reporter, None, files=True),
    Case("post", "/sync/projects", Role.admin, None),
    Case("get", "/sync/projects", Role.admin, None),
    Case("get", "/imports/{import_id}", Role.viewer, None),
    Case("put", "/iati/projects/{project_id}/results", Role.manager, Role.manager, lambda w: {"results": []}),
    # Everyone's own notifications (any role; someone else's is not found: tests/test_notifications.py).
    Case("post", "/notifications/read-all", Role.viewer, None),
    Case("post", "/notifications/{notification_id}/read", Role.viewer, None),
    Case(
        "put",
        "/notifications/preferences",
        Role.viewer,
        None,
        lambda w: {"items": [{"kind": "report_due", "in_app": True, "email": False}]},
    ),
    Case("get", "/dhis2/mappings", Role.reporter, None),
    Case(
        "post",
        "/dhis2/mappings",
        Role.admin,
        None,
        lambda w: {"kind": "orgUnit", "dhis2_id": "DiszpKrYNg8", "country_code": "BA"},
    ),
    Case("get", "/dhis2/mappings/{mapping_id}", Role.reporter, None),
    Case("patch", "/dhis2/mappings/{mapping_id}", Role.admin, None, lambda w: {"name": "n"}),
    Case("delete", "/dhis2/mappings/{mapping_id}", Role.admin, None),
]
LOWER = {Role.viewer: None, Role.reporter: Role.viewer, Role.manager: Role.reporter, Role.admin: Role.manager}


async def _call(client: httpx.AsyncClient, case: Case, w: World, headers: dict[str, str]) -> httpx.Response:
    headers = {**headers, "If-Match": "*"}
    kwargs: dict[str, Any] = {"headers": headers}
    if case.files:
        kwargs["files"] = {"file": ("a.csv", b"project,indicator,period,value\n")}
    elif case.body is not None:
        kwargs["json"] = case.body(w)
    return await client.request(case.method.upper(), case.url(w), **kwargs)


async def _series(client: httpx.AsyncClient, fake: ProjectsHarness) -> None:
    admin = fake.admin()
    await client.post(
        f"{API}/context/series", json={"code": "auth-series", "name": "s", "country_code": "BA"}, headers=admin
    )
    await client.put(f"{API}/context/series/auth-series/values/2009", json={"value": "1", "source": "s"}, headers=admin)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
async def test_no_token_is_401(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness, case: Case
) -> None:
    w = await build(session, projects_api_server)
    response = await _call(client, case, w, {})
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("case", [c for c in CASES if LOWER[c.role] is not None], ids=lambda c: f"{c.method} {c.path}")
async def test_lower_role_is_403(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness, case: Case
) -> None:
    w = await build(session, projects_api_server)
    await _series(client, projects_api_server)
    lower = LOWER[case.role]
    assert lower is not None
    response = await _call(client, case, w, projects_api_server.role(lower))
    assert response.status_code == 403, response.text


@pytest.mark.parametrize("case", [c for c in CASES if c.scoped is not None], ids=lambda c: f"{c.method} {c.path}")
async def test_other_scope_is_403(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness, case: Case
) -> None:
    w = await build(session, projects_api_server)
    await _series(client, projects_api_server)
    assert case.scoped is not None
    response = await _call(client, case, w, projects_api_server.role(case.scoped, country="GE"))
    assert response.status_code == 403, response.text


async def test_the_table_covers_every_protected_operation(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/reporting/openapi.json")).json()
    protected = {
        (method, path.removeprefix(API))
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if "401" in op["responses"] and (method != "get" or "403" in op["responses"])
    }
    protected.add(("get", "/imports/{import_id}"))  # its owner's only: 401 without a token, 404 for others
    assert protected ^ {(c.method, c.path) for c in CASES} == set()
