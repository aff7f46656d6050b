"""Bulk import: every format, strategies, replace scope, dry run, conflicts with row numbers, all-or-nothing,
Idempotency-Key, zip bombs and bad files, large files as jobs with progress."""

from __future__ import annotations

import io
import json
import random
import tempfile
import uuid
import zipfile
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Grant, Role
from reporting_api.imports.models import ImportJob
from reporting_api.reports.models import Report, ReportValue, ValueAudit
from reporting_api.reports.repository import value_changes
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness, ProjectSpec

pytestmark = pytest.mark.asyncio(loop_scope="session")
URL = "/api/reporting/v1/imports"


async def _world(
    session: AsyncSession, fake: ProjectsHarness, frequency: str = "once"
) -> tuple[ProjectSpec, str, uuid.UUID]:
    indicator = await create_indicator(session)
    project = await create_project(session, fake)
    pi = await create_framework(session, project.id, indicator, frequency=frequency)
    return project, indicator.code, pi.id


def _csv(rows: list[list[str]], header: str = "project,indicator,period,disaggregation,value,comment") -> bytes:
    return ("\n".join([header, *(",".join(r) for r in rows)]) + "\n").encode()


async def _post(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes, name: str = "values.csv", **params: Any
) -> httpx.Response:
    return await client.post(URL, files={"file": (name, content)}, params=params, headers=headers)


async def _values(session: AsyncSession, project_id: uuid.UUID) -> dict[tuple[str, str], str]:
    rows = await session.execute(
        select(Report.period_code, ReportValue.disaggregation_key, ReportValue.value)
        .join(Report, Report.id == ReportValue.report_id)
        .where(Report.project_id == project_id)
    )
    return {(p, k): str(v) for p, k, v in rows}


async def test_csv_import_creates_reports_and_values(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, _ = await _world(session, projects_api_server)
    content = _csv(
        [
            [project.code, code, "2010Q1", "", "25", "first"],
            [project.code, code, "2010-Q1", "sex=f", "12", ""],
            [project.code, code, "2010Q1", "sex=m", "13", ""],
            [str(project.id), code, "2010Q2", "", "30", ""],
        ]
    )
    response = await _post(client, projects_api_server.role(Role.reporter), content)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["rows"], body["imported"], body["reports_created"]) == ("success", 4, 4, 2)
    assert await _values(session, project.id) == {
        ("2010Q1", ""): "25.0000",
        ("2010Q1", "sex=f"): "12.0000",
        ("2010Q1", "sex=m"): "13.0000",
        ("2010Q2", ""): "30.0000",
    }
    # Every value's creation is in its report's history (the two reports the import made audit theirs in one row).
    reports = (await session.scalars(select(Report.id).where(Report.project_id == project.id))).all()
    created = [c for r in reports for c in await value_changes(session, r)]
    assert sorted((_get(c, "disaggregation_key"), _get(c, "action"), _get(c, "via")) for c in created) == [
        ("", "create", "import"),
        ("", "create", "import"),
        ("sex=f", "create", "import"),
        ("sex=m", "create", "import"),
    ]
    assert sorted(_get(c, "after")["value"] for c in created) == ["12", "13", "25", "30"]  # as the API writes them
    rows = await session.scalar(select(func.count()).select_from(ValueAudit).where(ValueAudit.via == "import"))
    assert rows == 2


@pytest.mark.parametrize("seed", range(4))
async def test_history_shows_imported_values_as_created_whatever_changed_later(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness, seed: int
) -> None:
    """The import's audit row for a report it creates holds no copy of the values: the history derives each value
    as created from later changes and the values now. After a random run of edits, deletions and re-creations
    through the API, it still shows exactly what the file held, once per value, and nothing created later."""
    rng = random.Random(seed)  # noqa: S311 (a test's reproducible sequence, not a secret)
    project, code, _ = await _world(session, projects_api_server)
    reporter = projects_api_server.role(Role.reporter)
    imported = {"": ("25", "first"), "sex=f": ("12", ""), "sex=m": ("13", "men")}
    rows = [[project.code, code, "2010Q1", k, v, c] for k, (v, c) in imported.items()]
    response = await _post(client, reporter, _csv(rows))
    assert response.status_code == 200, response.text
    rid = await session.scalar(select(Report.id).where(Report.project_id == project.id))
    report = await client.get(f"/api/reporting/v1/reports/{rid}", headers=reporter)
    etag = report.headers["etag"]
    dimensions = {"": {}, "sex=f": {"sex": "f"}, "sex=m": {"sex": "m"}}
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(list(dimensions))
        change: dict[str, Any] = {"indicator_code": code, "disaggregation": dimensions[key]}
        change |= {"delete": True} if rng.random() < 0.3 else {"value": str(rng.randint(0, 99)), "comment": "later"}
        put = await client.put(
            f"/api/reporting/v1/reports/{rid}/values",
            json={"values": [change]},
            headers={**reporter, "If-Match": etag},
        )
        if put.status_code == 422:  # a total below its parts (or parts above it): the API refuses, nothing changes
            continue
        assert put.status_code == 200, put.text
        etag = put.headers["etag"]
    history = (await client.get(f"/api/reporting/v1/reports/{rid}/history", headers=reporter)).json()
    created = [c for c in history["value_changes"] if c["via"] == "import"]
    assert all(c["action"] == "create" and c["before"] is None for c in created)
    shown = {c["disaggregation_key"]: (Decimal(c["after"]["value"]), c["after"]["comment"] or "") for c in created}
    assert len(created) == len(shown)
    assert shown == {k: (Decimal(v), c) for k, (v, c) in imported.items()}
    # Every change after the import is in the history with what it changed from.
    later = [c for c in history["value_changes"] if c["via"] != "import"]
    assert all(c["before"] is not None for c in later if c["action"] in ("update", "delete"))


NUMBER_FORMS = ("1_000", "1__0", "12.", ".5", "+2.5e1", "-0", "0x1A", "1e", "1.2.3", "1,5")


async def test_numbers_are_read_as_parse_decimal_reads_them(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """The import's SQL and parse_decimal (the rule every other write path uses) agree on what is a number: each
    form alone in a file is imported with parse_decimal's value, or refused where parse_decimal refuses it (also on
    PostgreSQL 15, which has no pg_input_is_valid)."""
    from reporting_api.values import parse_decimal

    project, code, _ = await _world(session, projects_api_server)
    for n, form in enumerate(NUMBER_FORMS):
        period = f"{2001 + n}Q1"
        response = await _post(
            client, projects_api_server.role(Role.reporter), _csv([[project.code, code, period, "", f'"{form}"', ""]])
        )
        try:
            expected = parse_decimal(form)
        except ValueError:
            expected = None
        if expected is None or expected < 0:
            assert response.status_code == 422, (form, response.text)
            continue
        assert response.status_code == 200, (form, response.text)
        stored = (await _values(session, project.id))[(period, "")]
        assert Decimal(stored) == expected, form


def _get(change: Any, name: str) -> Any:
    return change[name] if isinstance(change, dict) else getattr(change, name)


async def test_conflicts_name_rows_and_fields_and_nothing_is_written(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, _ = await _world(session, projects_api_server)
    other = await create_indicator(session)
    content = _csv(
        [
            [project.code, code, "2010Q1", "", "25", ""],
            [project.code, "no-such", "2010Q1", "", "1", ""],
            [project.code, code, "2010Q9", "", "1", ""],
            [project.code, code, "2010Q1", "sex=x", "1", ""],
            [project.code, code, "2010Q1", "", "lots", ""],
            [project.code, code, "2010Q1", "", "-4", ""],
            ["NOPE", code, "2010Q1", "", "1", ""],
            [project.code, other.code, "2010Q1", "", "1", ""],
            [project.code, code, "2010Q1", "", "26", ""],
        ]
    )
    response = await _post(client, projects_api_server.role(Role.reporter), content)
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == [
        "rows[3].indicator",
        "rows[4].period",
        "rows[5].disaggregation.sex",
        "rows[6].value",
        "rows[7].value",
        "rows[8].project",
        "rows[9].indicator",
        "rows[10].value",
    ]
    assert await _values(session, project.id) == {}
    assert await session.scalar(select(func.count()).select_from(Report).where(Report.project_id == project.id)) == 0


async def test_strategies_replace_and_dry_run(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, pi = await _world(session, projects_api_server)
    await create_report(
        session, project.id, "2010Q1", values=((pi, {}, "5"), (pi, {"sex": "f"}, "2"), (pi, {"sex": "m"}, "3"))
    )
    reporter = projects_api_server.role(Role.reporter)
    file = _csv([[project.code, code, "2010Q1", "", "7", ""], [project.code, code, "2010Q2", "", "9", ""]])
    created = (await _post(client, reporter, file, strategy="create", dry_run="true")).json()
    assert (created["status"], created["imported"], created["ignored"]) == ("dry_run", 1, 1)
    assert ("2010Q2", "") not in await _values(session, project.id)  # a dry run writes nothing
    updated = (await _post(client, reporter, file, strategy="update")).json()
    assert (updated["updated"], updated["ignored"], updated["imported"]) == (1, 1, 0)
    replaced = (await _post(client, reporter, file, replace="true")).json()
    assert (replaced["deleted"], replaced["imported"], replaced["ignored"]) == (2, 1, 1)
    assert await _values(session, project.id) == {("2010Q1", ""): "7.0000", ("2010Q2", ""): "9.0000"}
    deleted = (await _post(client, reporter, file, strategy="delete")).json()
    assert deleted["deleted"] == 2
    assert await _values(session, project.id) == {}


async def test_locked_reports_refuse_imports(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, pi = await _world(session, projects_api_server)
    await create_report(session, project.id, "2010Q1", status="approved", values=((pi, {}, "5"),))
    response = await _post(
        client, projects_api_server.role(Role.reporter), _csv([[project.code, code, "2010Q1", "", "7", ""]])
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rows[2].period"
    assert "approved" in response.json()["errors"][0]["message"]


async def test_json_and_dhis2_and_xlsx(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, _ = await _world(session, projects_api_server, "once")  # a year, a month, a quarter: any period
    reporter = projects_api_server.role(Role.reporter)
    plain = {"values": [{"project": project.code, "indicator": code, "period": "2010", "value": 40}]}
    assert (await _post(client, reporter, json.dumps(plain).encode(), "v.json")).json()["imported"] == 1
    dhis2 = {
        "period": "200903",
        "orgUnit": project.code,
        "dataValues": [
            {"dataElement": code, "categoryOptionCombo": "default", "value": "10"},
            {"dataElement": code, "categoryOptionCombo": "f", "value": "4"},
            {"dataElement": code, "categoryOptionCombo": "sex=m", "value": "6", "comment": "from DHIS2"},
        ],
    }
    result = await _post(client, reporter, json.dumps(dhis2).encode(), "dvs.json")
    assert result.json()["imported"] == 3, result.text
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["project", "indicator", "period", "value"])
    sheet.append([project.code, code, "2011Q1", 17])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = await _post(client, reporter, buffer.getvalue(), "v.xlsx")
    assert xlsx.json()["imported"] == 1, xlsx.text
    values = await _values(session, project.id)
    assert values[("2009-03", "sex=f")] == "4.0000"
    assert values[("2011Q1", "")] == "17.0000"


@pytest.mark.parametrize(
    ("content", "name", "status", "field"),
    [
        (b"project,indicator,value\nP,I,1\n", "v.csv", 422, "file.columns.period"),
        ("project,indicator,period,value\nP,I,2010,\u00e9\n".encode("latin-1"), "v.csv", 400, None),
        (b"", "v.csv", 422, "file"),
        (b"{not json", "v.json", 400, None),
        (b"PK\x03\x04 not really a zip", "v.xlsx", 400, None),
    ],
)
async def test_malformed_files(
    client: httpx.AsyncClient,
    projects_api_server: ProjectsHarness,
    content: bytes,
    name: str,
    status: int,
    field: str | None,
) -> None:
    response = await _post(client, projects_api_server.role(Role.reporter), content, name)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if field:
        assert response.json()["errors"][0]["field"] == field


async def test_zip_bomb_is_refused(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 20_000_000)
    response = await _post(client, projects_api_server.role(Role.reporter), buffer.getvalue(), "bomb.xlsx")
    assert response.status_code == 413
    assert "zip bomb" in response.json()["detail"]


async def test_idempotency_key_applies_once(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, _ = await _world(session, projects_api_server)
    reporter = projects_api_server.headers(Grant(Role.reporter), subject="user:same")
    upload = {"file": ("v.csv", _csv([[project.code, code, "2010", "", "1", ""]]))}
    first = await client.post(URL, files=upload, headers={**reporter, "Idempotency-Key": "k1"})
    second = await client.post(URL, files=upload, headers={**reporter, "Idempotency-Key": "k1"})
    assert first.status_code == 200, first.text
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert await _values(session, project.id) == {("2010", ""): "1.0000"}


@pytest.mark.parametrize(
    ("content", "params"),
    [("2", {}), ("1", {"strategy": "create"}), ("1", {"replace": "true"})],
    ids=["another file", "another strategy", "replace added"],
)
async def test_an_idempotency_key_reused_for_another_request_is_422_and_applies_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    projects_api_server: ProjectsHarness,
    content: str,
    params: dict[str, str],
) -> None:
    """It used to replay the first answer silently, as if the second file had been imported."""
    project, code, _ = await _world(session, projects_api_server)
    reporter = {**projects_api_server.headers(Grant(Role.reporter), subject="user:same"), "Idempotency-Key": "k2"}
    first = await client.post(
        URL, files={"file": ("v.csv", _csv([[project.code, code, "2010", "", "1", ""]]))}, headers=reporter
    )
    assert first.status_code == 200, first.text

    reused = await client.post(
        URL,
        params=params,
        files={"file": ("v.csv", _csv([[project.code, code, "2010", "", content, ""]]))},
        headers=reporter,
    )

    assert reused.status_code == 422, reused.text
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["errors"][0] == {
        "field": "header.idempotency-key",
        "code": "key_reused",
        "message": "This Idempotency-Key was used with another file or other options; use a new key for a new import.",
    }
    assert "idempotent-replayed" not in reused.headers
    assert await _values(session, project.id) == {("2010", ""): "1.0000"}


async def test_large_file_runs_as_a_job(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, _ = await _world(session, projects_api_server)
    periods = [f"{y}-{m:02d}" for y in range(1950, 2150) for m in range(1, 13)]
    rows = [[project.code, code, p, d, "1", ""] for p in periods[:1500] for d in ("", "sex=f")]
    rows += [[project.code, code, p, "", "2", ""] for p in periods[1500:]]
    content = _csv(rows)
    assert len(content) > 64 * 1024
    uploader = projects_api_server.person(Grant(Role.reporter))  # the job acts for this account when it runs
    reporter = projects_api_server.headers(Grant(Role.reporter), subject=uploader)
    accepted = await _post(client, reporter, content)
    assert accepted.status_code == 202, accepted.text
    job = (await client.get(accepted.headers["location"], headers=reporter)).json()
    assert job["status"] == "done", job
    assert job["progress"] == 1.0
    assert job["summary"]["imported"] == len(rows)
    assert (
        await client.get(accepted.headers["location"], headers=projects_api_server.role(Role.reporter))
    ).status_code == 404
    count = await session.scalar(
        select(func.count()).select_from(ReportValue).join(Report).where(Report.project_id == project.id)
    )
    assert count == len(rows)


async def test_a_large_file_retried_with_its_idempotency_key_runs_once(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, _ = await _world(session, projects_api_server)
    periods = [f"{y}-{m:02d}" for y in range(1950, 2150) for m in range(1, 13)]
    content = _csv([[project.code, code, p, "", "1", ""] for p in periods])
    assert len(content) > 64 * 1024
    uploader = projects_api_server.person(Grant(Role.reporter))
    headers = {**projects_api_server.headers(Grant(Role.reporter), subject=uploader), "Idempotency-Key": "big-1"}
    first = await _post(client, headers, content)
    second = await _post(client, headers, content)
    assert (first.status_code, second.status_code) == (202, 202)
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true"
    job = await session.scalar(select(ImportJob).where(ImportJob.idempotency_key == "big-1"))
    assert job is not None and (job.status, job.attempts) == ("done", 1)
    count = await session.scalar(
        select(func.count()).select_from(ReportValue).join(Report).where(Report.project_id == project.id)
    )
    assert count == len(periods)


async def test_authorization(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, _ = await _world(session, projects_api_server)
    content = _csv([[project.code, code, "2010", "", "1", ""]])
    assert (await _post(client, {}, content)).status_code == 401
    assert (await _post(client, projects_api_server.role(Role.viewer), content)).status_code == 403
    scoped = await _post(client, projects_api_server.role(Role.reporter, country="GE"), content)
    assert scoped.status_code == 422  # the project is outside the caller's scope: a conflict on its rows
    assert scoped.json()["errors"][0]["field"] == "rows[2].project"
    assert (await client.get(f"{URL}/{uuid.uuid4()}")).status_code == 401


async def test_a_refused_upload_leaves_no_file_behind(
    client: httpx.AsyncClient, projects_api_server: ProjectsHarness, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upload is spooled to a temporary file before it is read: refused for its format, its size or its columns,
    it leaves nothing behind in the temporary directory (a stream of bad uploads would fill the disk)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    reporter = projects_api_server.role(Role.reporter)
    unknown = await _post(client, reporter, b"\x00\x01 not a table", name="values.bin")
    assert unknown.status_code == 415
    assert "Cannot tell the format of values.bin" in unknown.json()["detail"]
    columns = await _post(client, reporter, b"a,b\n1,2\n")
    assert columns.status_code == 422
    settings = client._transport.app.state.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "max_import_bytes", 100)
    too_large = await _post(client, reporter, b"project,indicator,period,value\n" * 10)
    assert too_large.status_code == 413
    assert list(tmp_path.iterdir()) == []


async def test_oversized_file_is_413(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    settings = client._transport.app.state.settings  # type: ignore[attr-defined]
    original = settings.max_import_bytes
    settings.max_import_bytes = 100
    try:
        response = await _post(
            client, projects_api_server.role(Role.reporter), b"project,indicator,period,value\n" * 10
        )
    finally:
        settings.max_import_bytes = original
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


async def test_json_rows_that_are_not_objects_are_conflicts(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    project, code, _ = await _world(session, projects_api_server)
    body = {
        "values": [
            {"project": project.code, "indicator": code, "period": "2010", "value": 1},
            "oops",
            {"project": project.code},
        ]
    }
    response = await _post(client, projects_api_server.role(Role.reporter), json.dumps(body).encode(), "v.json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["rows[2].row", "rows[3].indicator", "rows[3].period"]


async def test_a_report_made_meanwhile_takes_the_rows_staged_for_a_new_one(
    session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """The staging rows carry the id their new draft will have; if another writer made the report for that project
    and period in the meantime, the rows move to it instead of failing the import."""
    from sqlalchemy import text

    from reporting_api.imports import staging

    project, _, pi = await _world(session, projects_api_server)
    await staging.create(session, work_mem_mb=64)
    await session.execute(
        text(
            "INSERT INTO import_staging (row_no, project, period_code, period_start, period_end, incomplete, "
            "project_id, pi_id, report_id, new_report) "
            "VALUES (2, 'P', '2010', '2010-01-01', '2010-12-31', false, :p, :pi, gen_random_uuid(), true)"
        ),
        {"p": project.id, "pi": pi},
    )
    meanwhile = await create_report(session, project.id, "2010")
    assert await staging.create_reports(session, "user:test") == 0
    row = (await session.execute(text("SELECT report_id, new_report FROM import_staging"))).one()
    assert (row[0], row[1]) == (meanwhile.id, False)
    await staging.drop(session)
