"""The reporting loop around one report: a refused submission saves nothing, earlier periods beside the cells, what
changed since the last submission, names and no false changes in the history, the reporter's inbox, periods due."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.notifications.models import NotificationEvent
from reporting_api.projects.models import ProjectCopy
from reporting_api.reports import due
from reporting_api.reports.models import ValueAudit
from reporting_api_tests.factories import create_framework, create_indicator, create_project, create_report
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"


async def test_a_refused_submission_saves_nothing_and_an_accepted_one_saves_its_changes(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    project = await create_project(session, projects_api_server)
    await create_framework(session, project.id, indicator)
    reporter = projects_api_server.role(Role.reporter, country="BA")
    draft = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010Q2"}, headers=reporter)
    rid, etag = draft.json()["id"], draft.headers["etag"]
    wrong = [
        {"indicator_code": indicator.code, "value": "25"},
        {"indicator_code": indicator.code, "disaggregation": {"sex": "f"}, "value": "10"},
        {"indicator_code": indicator.code, "disaggregation": {"sex": "m"}, "value": "12"},
    ]
    refused = await client.post(
        f"{API}/reports/{rid}/submit", json={"values": wrong, "narrative": "n"}, headers={**reporter, "If-Match": etag}
    )
    assert refused.status_code == 422, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [(f"values[{indicator.code}].sex", "sum")]
    # Nothing of it was saved: the draft is as it was, with the same version.
    still = await client.get(f"{API}/reports/{rid}", headers=reporter)
    assert (still.json()["values"], still.json()["narrative"], still.headers["etag"]) == ([], None, etag)
    assert await session.scalar(select(func.count()).select_from(ValueAudit).where(ValueAudit.report_id == rid)) == 0

    wrong[0]["value"] = "22"
    accepted = await client.post(
        f"{API}/reports/{rid}/submit", json={"values": wrong, "narrative": "n"}, headers={**reporter, "If-Match": etag}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "submitted"
    assert [v["value"] for v in accepted.json()["values"]] == ["22.0000", "10.0000", "12.0000"]
    assert accepted.json()["narrative"] == "n"


async def test_earlier_periods_changes_since_submission_and_the_history(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session, dimensions=())
    project = await create_project(session, projects_api_server)
    pi = await create_framework(session, project.id, indicator)
    await create_report(session, project.id, "2009Q4", status="approved", values=((pi.id, {}, "7"),))
    await create_report(session, project.id, "2010Q1", status="draft", values=((pi.id, {}, "9"),))
    await create_report(session, project.id, "2011Q1", status="approved", values=((pi.id, {}, "99"),))
    reporter = projects_api_server.role(Role.reporter, country="BA")
    manager = projects_api_server.role(Role.manager, country="BA")
    draft = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010Q2"}, headers=reporter)
    rid = draft.json()["id"]

    previous = (await client.get(f"{API}/reports/{rid}/previous", headers=reporter)).json()
    assert [(r["period"], r["status"]) for r in previous["reports"]] == [("2010Q1", "draft"), ("2009Q4", "approved")]
    assert {(v["period"], v["value"]) for v in previous["values"]} == {("2010Q1", "9.0000"), ("2009Q4", "7.0000")}
    # A reader who may see approved reports only does not see the earlier draft.
    viewer = projects_api_server.role(Role.viewer)
    submitted = await client.post(
        f"{API}/reports/{rid}/submit",
        json={"values": [{"project_indicator_id": str(pi.id), "value": "100"}]},
        headers={**reporter, "If-Match": draft.headers["etag"]},
    )
    assert (await client.get(f"{API}/reports/{rid}/changes", headers=manager)).json() == {
        "base_submitted_at": None,
        "narrative_changed": False,
        "values": [],
    }
    returned = await client.post(
        f"{API}/reports/{rid}/return",
        json={"comment": "Check"},
        headers={**manager, "If-Match": submitted.headers["etag"]},
    )
    # Saving the same number again ("100" over the stored 100.0000) is no change in the history.
    same = await client.put(
        f"{API}/reports/{rid}/values",
        json={"values": [{"project_indicator_id": str(pi.id), "value": "100.00"}]},
        headers={**reporter, "If-Match": returned.headers["etag"]},
    )
    assert same.status_code == 200, same.text
    again = await client.post(
        f"{API}/reports/{rid}/submit",
        json={"values": [{"project_indicator_id": str(pi.id), "value": "120"}]},
        headers={**reporter, "If-Match": same.headers["etag"]},
    )
    assert again.status_code == 200, again.text
    changes = (await client.get(f"{API}/reports/{rid}/changes", headers=manager)).json()
    assert changes["base_submitted_at"] is not None
    assert [(c["disaggregation_key"], c["before"], c["after"]) for c in changes["values"]] == [("", "100", "120")]

    history = (await client.get(f"{API}/reports/{rid}/history", headers=manager)).json()
    assert [
        (c["action"], c["before"] and c["before"]["value"], c["after"]["value"]) for c in history["value_changes"]
    ] == [
        ("create", None, "100"),
        ("update", "100", "120"),
    ]
    assert {c["actor_name"] for c in history["value_changes"]} == {"Test User"}
    await client.post(f"{API}/reports/{rid}/approve", json={}, headers={**manager, "If-Match": again.headers["etag"]})
    assert [
        r["period"] for r in (await client.get(f"{API}/reports/{rid}/previous", headers=viewer)).json()["reports"]
    ] == ["2009Q4"]


async def test_the_inbox_lists_due_returned_drafts_and_submitted_in_the_reporters_scope(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session, dimensions=())  # reported by quarter
    project = await create_project(session, projects_api_server, countries=("BA",))
    other = await create_project(session, projects_api_server, countries=("GE",))
    for p in (project, other):
        await create_framework(session, p.id, indicator)
        await session.execute(
            update(ProjectCopy)
            .where(ProjectCopy.id == p.id)
            .values(start_date=date(2010, 2, 1), end_date=date(2010, 12, 31))
        )
    await create_report(session, project.id, "2010Q1", status="approved")
    await create_report(session, project.id, "2010Q2", status="returned")
    await create_report(session, project.id, "2010Q3", status="draft")
    await create_report(session, project.id, "2010Q4", status="submitted")
    inbox = (
        await client.get(f"{API}/reports/inbox", headers=projects_api_server.role(Role.reporter, country="BA"))
    ).json()
    assert [(d["period"], d["report_status"]) for d in inbox["due"]] == [("2010Q2", "returned"), ("2010Q3", "draft")]
    assert [r["period"] for r in inbox["returned"]] == ["2010Q2"]
    assert inbox["returned"][0]["project_code"] == project.code
    assert [r["period"] for r in inbox["drafts"]] == ["2010Q3"]
    assert [r["period"] for r in inbox["submitted"]] == ["2010Q4"]
    # A reporter of Georgia sees the other project's four quarters due, and none of the first project's reports.
    georgia = (
        await client.get(f"{API}/reports/inbox", headers=projects_api_server.role(Role.reporter, country="GE"))
    ).json()
    assert [d["period"] for d in georgia["due"]] == ["2010Q1", "2010Q2", "2010Q3", "2010Q4"]
    assert georgia["returned"] == georgia["drafts"] == georgia["submitted"] == []
    assert (await client.get(f"{API}/reports/inbox")).status_code == 401
    assert (
        await client.get(f"{API}/reports/inbox", params={"limit": 0}, headers=projects_api_server.admin())
    ).status_code == 422


async def test_periods_falling_due_are_announced_once(
    session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session, dimensions=())
    project = await create_project(session, projects_api_server)
    await create_framework(session, project.id, indicator)
    await session.execute(update(ProjectCopy).where(ProjectCopy.id == project.id).values(start_date=date(2026, 1, 1)))
    # On 15 October 2026, Q3 ended 15 days ago (announced), Q1 and Q2 longer ago than 31 days (listed only).
    today = date(2026, 10, 15)
    assert await due.announce(session, 31, today) == 1
    assert await due.announce(session, 31, today) == 1  # seen again, but the event is written once
    events = (await session.scalars(select(NotificationEvent).where(NotificationEvent.kind == "report_due"))).all()
    mine = [e for e in events if e.project_id == project.id]
    assert [(e.data["period"], e.audience) for e in mine] == [("2026Q3", {"role": "reporter"})]


async def test_due_periods_follow_each_project_indicators_own_frequency(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    # The catalogue says quarterly; this project reports one indicator by semester, another by the July financial
    # year, and a third once (an endline: never "due").
    catalogue = [await create_indicator(session, dimensions=()) for _ in range(3)]
    project = await create_project(session, projects_api_server, countries=("MD",))
    for indicator, frequency in zip(catalogue, ("semester", "financial_july", "once"), strict=True):
        await create_framework(session, project.id, indicator, frequency=frequency)
    await session.execute(
        update(ProjectCopy)
        .where(ProjectCopy.id == project.id)
        .values(start_date=date(2010, 2, 1), end_date=date(2011, 3, 31))
    )
    await create_report(session, project.id, "2010S1", status="approved")
    inbox = (
        await client.get(f"{API}/reports/inbox", headers=projects_api_server.role(Role.reporter, country="MD"))
    ).json()
    # July 2009 to June 2010 overlaps the project's start; the financial year and S1 2011 both end in June 2011.
    assert [d["period"] for d in inbox["due"]] == ["2009July", "2010S2", "2010July", "2011S1"]
    # A report says which frequencies its period is one of, so the grid offers only the indicators reported in it.
    reporter = projects_api_server.role(Role.reporter, country="MD")
    semester = await client.post(f"{API}/projects/{project.id}/reports", json={"period": "2010S2"}, headers=reporter)
    assert semester.json()["frequencies"] == ["semester", "once"]
    listed = (await client.get(f"{API}/projects/{project.id}/reports", headers=reporter)).json()["items"]
    assert {r["period"]: r["frequencies"] for r in listed}["2010S1"] == ["semester", "once"]


async def test_the_periods_of_a_frequency_between_two_days() -> None:
    codes = [p.code for p in due.ended_periods("quarter", date(2009, 11, 20), date(2010, 8, 1), date(2011, 1, 1))]
    assert codes == ["2009Q4", "2010Q1", "2010Q2", "2010Q3"]
    assert [p.code for p in due.ended_periods("semester", date(2026, 1, 1), None, date(2026, 12, 4))] == ["2026S1"]
    assert due.ended_periods("once", date(2026, 1, 1), None, date(2026, 12, 4)) == []
    assert [p.code for p in due.ended_periods("financial_april", date(2024, 5, 1), None, date(2026, 4, 1))] == [
        "2024April",
        "2025April",
    ]
    assert [p.code for p in due.ended_periods("six_month_november", date(2025, 11, 1), None, date(2026, 11, 1))] == [
        "2026NovS1",
        "2026NovS2",
    ]
    weeks = due.ended_periods("week", date(2000, 1, 1), None, date(2026, 12, 4))
    assert len(weeks) == due.MAX_PERIODS and weeks[-1].code == "2026W48"
