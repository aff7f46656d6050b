"""The fault suite, on the running system (tests/support.py): parts of it fail under load and come back.

- PostgreSQL stopped under load and started again: every request meanwhile answers 503 problem+json with
  Retry-After (never a 500), `/readyz` says so, the system recovers by itself, and no acknowledged write is lost or
  doubled while no refused one is half-written (checked against a ledger of what each answer said).
- The process running an import job killed mid-job (SIGKILL): after a restart the job is taken over and its values
  are applied exactly once.
- Requests that must not run twice, sent at once: one Idempotency-Key (both get the same answer, one import), wrong
  passwords for one account (no more get through than the lockout allows).
(projects-api stopped while reporting-api serves: services/reporting-api/reporting_api_tests/test_two_services.py.)
"""

from __future__ import annotations

import asyncio
import csv
import io
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from registry_stack_tests.support import System

pytestmark = pytest.mark.asyncio(loop_scope="module")
P = "/api/projects/v1"
R = "/api/reporting/v1"
PROBLEM = "application/problem+json"


async def _json(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> Any:
    answer = await client.request(method, url, **kw)
    assert answer.status_code < 300, (method, url, answer.status_code, answer.text)
    return answer.json() if answer.content else None


async def _project(client: httpx.AsyncClient, admin: dict[str, str], label: str) -> str:
    """A project of this test's own, so its rows can be counted exactly."""
    body = {
        "code": f"XM-FAULT-{label}-{uuid.uuid4().hex[:6]}",
        "title": f"Fault suite {label}",
        "is_public": True,
        "countries": [{"country_code": "GE", "percentage": 100}],
    }
    return str((await _json(client, "POST", f"{P}/projects", json=body, headers=admin))["id"])


@dataclass
class Ledger:
    """What each write's answer said: acknowledged (201), refused (an error answer: nothing may be written) or
    unknown (no answer: the connection broke; either outcome is allowed, but at most once)."""

    acknowledged: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    bad: list[str] = field(default_factory=list)  # answers that are not allowed at all


async def _load(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], ledger: Ledger, stop: asyncio.Event, worker: int
) -> None:
    """One client: a read, then a write of a transaction with a unique description, until told to stop."""
    n = 0
    while not stop.is_set():
        n += 1
        mark = f"ledger-{worker}-{n}"
        body = {
            "transaction_type": "disbursement",
            "transaction_date": "2010-06-01",
            "amount": "1.00",
            "currency": "EUR",
            "description": mark,
        }
        for method, target, payload in (("GET", url, None), ("POST", url, body)):
            try:
                answer = await client.request(method, target, json=payload, headers=headers)
            except httpx.TransportError:
                if payload is not None:
                    ledger.unknown.add(mark)
                continue
            ledger.statuses[answer.status_code] += 1
            if answer.status_code == 503:
                if answer.headers.get("content-type") != PROBLEM or "retry-after" not in answer.headers:
                    ledger.bad.append(f"503 without problem+json or Retry-After: {answer.headers}")
                await asyncio.sleep(min(0.5, float(answer.headers.get("retry-after", "1")) / 10))
            elif answer.status_code >= 400:
                ledger.bad.append(f"{method} {answer.status_code}: {answer.text[:200]}")
            if payload is not None:
                (ledger.acknowledged if answer.status_code == 201 else ledger.refused).add(mark)


async def _wait_ready(client: httpx.AsyncClient, ready: bool, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = (await client.get("/readyz")).status_code
        except httpx.TransportError:
            status = 0
        if (status == 200) == ready:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"/readyz did not become {'ready' if ready else 'unready'}")


async def test_the_database_stopped_and_started_again_under_load(system: System) -> None:
    admin = system.headers("admin")
    async with httpx.AsyncClient(base_url=system.url, timeout=30) as client:
        project = await _project(client, admin, "DB")
        url = f"{P}/projects/{project}/transactions"
        ledger, stop = Ledger(), asyncio.Event()
        workers = [asyncio.create_task(_load(client, url, admin, ledger, stop, w)) for w in range(12)]
        try:
            await asyncio.sleep(3)
            before = ledger.statuses[201]
            await asyncio.to_thread(system.pg.stop)
            await _wait_ready(client, ready=False)
            outage = await client.get("/readyz")
            assert outage.status_code == 503 and outage.headers["retry-after"]
            await asyncio.sleep(4)
            during = ledger.statuses[503]
            await asyncio.to_thread(system.pg.start)
            await _wait_ready(client, ready=True)
            acknowledged_at_restart = ledger.statuses[201]
            deadline = time.monotonic() + 60  # recovery: writes succeed again, with no one restarting the service
            while ledger.statuses[201] < acknowledged_at_restart + 50 and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
        finally:
            stop.set()
            await asyncio.gather(*workers)

        assert before > 0 and during > 0, ledger.statuses
        assert ledger.statuses[201] >= acknowledged_at_restart + 50, "no recovery after the restart"
        assert ledger.bad == [], ledger.bad[:5]
        stored = Counter(t["description"] for t in await _all(client, url, admin))
        assert {mark for mark, n in stored.items() if n > 1} == set(), "a write was applied twice"
        assert ledger.acknowledged <= set(stored), "an acknowledged write was lost"
        assert not (ledger.refused & set(stored)), "a refused write was half-done"
        assert set(stored) <= ledger.acknowledged | ledger.unknown


async def _all(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = await _json(client, "GET", url, params={"page": page, "page_size": 200}, headers=headers)
        items += body["items"]
        if len(items) >= body["total"]:
            return items
        page += 1


async def _framework(client: httpx.AsyncClient, admin: dict[str, str], label: str) -> tuple[str, str]:
    """A project with one indicator (broken down by sex) in its results framework, known to reporting-api."""
    project = await _project(client, admin, label)
    code = f"fault-{uuid.uuid4().hex[:8]}"
    sex = {"code": "sex", "name": "Sex", "values": [{"code": "f", "name": "Female"}, {"code": "m", "name": "Male"}]}
    indicator = {
        "code": code,
        "name": "Officials trained",
        "level": "output",
        "measure": "number",
        "dimensions": [sex],
        "frequency": "day",
    }
    await _json(client, "POST", f"{R}/indicators", json=indicator, headers=admin)
    await _json(client, "POST", f"{R}/sync/projects", headers=admin)
    result = {"kind": "output", "title": "Trained", "indicators": [{"indicator_code": code}]}
    await _json(client, "POST", f"{R}/projects/{project}/results", json=result, headers=admin)
    return project, code


def _csv(project: str, indicator: str, years: range) -> tuple[bytes, int]:
    """One value per day of `years` and each of total, female and male."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["project", "indicator", "period", "disaggregation", "value", "comment"])
    rows = 0
    for year in years:
        for day in range(1, 366):
            period = time.strftime("%Y%m%d", time.strptime(f"{year} {day}", "%Y %j"))
            for breakdown, value in (("", 3), ("sex=f", 1), ("sex=m", 2)):
                writer.writerow([project, indicator, period, breakdown, value, ""])
                rows += 1
    return out.getvalue().encode(), rows


async def _values(client: httpx.AsyncClient, project: str, admin: dict[str, str]) -> int:
    params = {"format": "csv", "project_id": project, "include_unapproved": "true"}
    answer = await client.get(f"{R}/exports/values", params=params, headers=admin)
    assert answer.status_code == 200, answer.text
    return len(answer.text.splitlines()) - 1


async def test_the_import_worker_killed_mid_job_applies_the_file_exactly_once(system: System) -> None:
    admin = system.headers("admin")
    async with httpx.AsyncClient(base_url=system.url, timeout=60) as client:
        project, code = await _framework(client, admin, "KILL")
        content, rows = _csv(project, code, range(1920, 2020))  # days that have ended
        accepted = await client.post(f"{R}/imports", files={"file": ("values.csv", content, "text/csv")}, headers=admin)
        assert accepted.status_code == 202, accepted.text
        job_url = accepted.headers["location"]
        deadline = time.monotonic() + 120
        while (job := await _json(client, "GET", job_url, headers=admin))["status"] == "queued":
            assert time.monotonic() < deadline, job
            await asyncio.sleep(0.05)
    assert job["status"] == "running", f"the job ended before it could be killed: {job}"

    system.stack.kill()  # mid-job: its transaction never commits
    system.stack.start()

    async with httpx.AsyncClient(base_url=system.url, timeout=60) as client:
        deadline = time.monotonic() + 300
        while (job := await _json(client, "GET", job_url, headers=admin))["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, job
            await asyncio.sleep(1)
        assert job["status"] == "done", job
        assert job["summary"]["imported"] == rows
        assert await _values(client, project, admin) == rows  # exactly once: none lost, none doubled


async def test_one_idempotency_key_sent_twice_at_once_gives_one_answer_and_one_import(system: System) -> None:
    admin = system.headers("admin")
    async with httpx.AsyncClient(base_url=system.url, timeout=60) as client:
        project, code = await _framework(client, admin, "IDEM")
        content, rows = _csv(project, code, range(2001, 2003))
        key = {"Idempotency-Key": f"fault-{uuid.uuid4().hex}"}

        answers = await asyncio.gather(
            *(
                client.post(f"{R}/imports", files={"file": ("v.csv", content, "text/csv")}, headers={**admin, **key})
                for _ in range(4)
            )
        )

        assert {a.status_code for a in answers} == {200}, [a.text for a in answers]
        assert len({a.content for a in answers}) == 1
        assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 3
        assert answers[0].json()["imported"] + answers[0].json()["updated"] == rows
        assert await _values(client, project, admin) == rows


async def test_parallel_wrong_passwords_get_no_more_tries_than_the_lockout_allows(system: System) -> None:
    admin = system.headers("admin")
    email = f"target-{uuid.uuid4().hex[:8]}@example.org"
    async with httpx.AsyncClient(base_url=system.url, timeout=60) as client:
        user = {"email": email, "name": "Target", "password": "a long passphrase", "grants": [{"role": "viewer"}]}
        await _json(client, "POST", f"{P}/users", json=user, headers=admin)
        form = {"grant_type": "password", "username": email, "password": "guess"}

        answers = await asyncio.gather(*(client.post(f"{P}/auth/token", data=form) for _ in range(15)))

        statuses = Counter(a.status_code for a in answers)
        assert set(statuses) <= {400, 429}, statuses
        assert statuses[400] <= 5  # PROJECTS_LOGIN_MAX_FAILURES_PER_ACCOUNT: parallel guesses wait for each other
        # A wrong password is RFC 6749's invalid_grant (JSON with the problem members beside); a lock, problem+json.
        assert all(
            a.headers["content-type"] == ("application/json" if a.status_code == 400 else PROBLEM) for a in answers
        )
        assert all(int(a.headers["retry-after"]) >= 1 for a in answers if a.status_code == 429)
