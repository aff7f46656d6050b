"""The objects the authorization matrix acts on, made through the API by an admin API client (the "arranger"), so
the demo users' own identities stay untouched (an approval needs another submitter: segregation of duties).

Two sides, each a private project with everything hanging off it:
- `in`: in Georgia (the demo reporter's country), implemented by IOM Prague (the demo manager's organisation),
  funded by the Czech MoI's asylum department (below the demo donor's ministry). Every scoped demo grant reaches it.
- `out`: in Moldova, implemented by IOM's Moldova mission, funded by Moldova's ministry. No scoped demo grant
  reaches it; only global grants (the demo viewer, the admin) do.
"""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from projects_api.demo.data import demo_id

P = "/api/projects/v1"
R = "/api/reporting/v1"
ANY = {"If-Match": "*"}  # every write below changes only what this suite made: no version to respect
SIDES = {
    "in": {"country": "GE", "funder": "cz-moi-damp", "implementer": "iom-prague", "parent": "iom-prague"},
    "out": {"country": "MD", "funder": "md-economy", "implementer": "iom-moldova", "parent": "iom-moldova"},
}
_unique = itertools.count(1)


def unique() -> int:
    return next(_unique)


class Months:
    """Successive month codes from a first year on (reporting-api accepts years 1900-2200), so each report, value or
    import row of a cell has a period of its own."""

    def __init__(self, first_year: int) -> None:
        self.first_year = first_year
        self.n = itertools.count()

    def __call__(self) -> str:
        n = next(self.n)
        return f"{self.first_year + n // 12}-{n % 12 + 1:02d}"


# In the past (a report of a period that has not ended cannot be submitted), each range decades from the next.
DRAFT_PERIODS, SERIES_PERIODS, IMPORT_PERIODS, REPORT_PERIODS = Months(1905), Months(1950), Months(1970), Months(1990)


@dataclass
class Side:
    name: str
    country: str
    parent_org: str
    project: str = ""
    activity: str = ""
    transaction: str = ""
    budget: str = ""
    org: str = ""
    result: str = ""
    project_indicator: str = ""
    draft: str = ""
    approved: str = ""
    attachment: str = ""
    series: str = ""


class Arranger:
    """Makes objects through the API as an admin API client; each call checks its answer."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str], approver: dict[str, str]) -> None:
        self.client = client
        self.headers = headers
        self.approver = approver
        self.indicator_code = ""

    async def call(self, method: str, url: str, *, as_: dict[str, str] | None = None, **kw: Any) -> Any:
        answer = await self.client.request(method, url, headers={**(as_ or self.headers), **ANY}, **kw)
        if answer.status_code >= 300:
            raise AssertionError(f"arranging {method} {url}: {answer.status_code} {answer.text}")
        return answer.json() if answer.content else None

    # projects-api
    async def project(self, side: Side) -> str:
        spec = SIDES[side.name]
        body = {
            "code": f"XM-MATRIX-{side.name.upper()}-{unique()}-{uuid.uuid4().hex[:4]}",
            "title": f"Matrix {side.name}",
            "is_public": False,
            "countries": [{"country_code": side.country, "percentage": 100}],
            "participants": [
                {"organisation_id": str(demo_id("org:" + spec["funder"])), "role": "funding"},
                {"organisation_id": str(demo_id("org:" + spec["implementer"])), "role": "implementing"},
            ],
        }
        return str((await self.call("POST", f"{P}/projects", json=body))["id"])

    async def activity(self, side: Side) -> str:
        body = {"kind": "workshop", "title": "Matrix workshop", "start_date": "2011-03-01"}
        return str((await self.call("POST", f"{P}/projects/{side.project}/activities", json=body))["id"])

    async def transaction(self, side: Side) -> str:
        body = {
            "transaction_type": "disbursement",
            "transaction_date": "2011-06-01",
            "amount": "10.00",
            "currency": "EUR",
        }
        return str((await self.call("POST", f"{P}/projects/{side.project}/transactions", json=body))["id"])

    async def budget(self, side: Side) -> str:
        body = {"period_start": "2011-01-01", "period_end": "2011-12-31", "amount": "100.00", "currency": "EUR"}
        return str((await self.call("POST", f"{P}/projects/{side.project}/budgets", json=body))["id"])

    async def org(self, side: Side) -> str:
        body = {"name": f"Matrix desk {unique()}", "org_type": "40", "parent_id": side.parent_org}
        return str((await self.call("POST", f"{P}/organisations", json=body))["id"])

    async def user(self) -> str:
        body = {
            "email": f"matrix-{uuid.uuid4().hex[:10]}@example.org",
            "name": "Matrix user",
            "password": "a long passphrase",
            "grants": [{"role": "viewer"}],
        }
        return str((await self.call("POST", f"{P}/users", json=body))["id"])

    async def api_client(self) -> str:
        return str(
            (
                await self.call(
                    "POST", f"{P}/api-clients", json={"name": "Matrix client", "grants": [{"role": "viewer"}]}
                )
            )["id"]
        )

    # reporting-api
    async def dhis2_mapping(self, side: Side) -> str:
        """A DHIS2 orgUnit mapped to the side's project (a fresh UID: letter, then ten letters or digits)."""
        body = {"kind": "orgUnit", "dhis2_id": "M" + uuid.uuid4().hex[:10], "project_id": side.project}
        return str((await self.call("POST", f"{R}/dhis2/mappings", json=body))["id"])

    async def indicator(self) -> tuple[str, str]:
        code = f"matrix-{uuid.uuid4().hex[:10]}"
        body = {
            "code": code,
            "name": "Matrix indicator",
            "level": "output",
            "measure": "number",
            "dimensions": [],
            "frequency": "month",
        }  # the suite reports by month
        return str((await self.call("POST", f"{R}/indicators", json=body))["id"]), code

    async def result(self, side: Side, *, with_indicator: bool) -> tuple[str, str | None]:
        indicators = [{"indicator_code": (await self.indicator())[1]}] if with_indicator else []
        body = {"kind": "output", "title": f"Matrix result {unique()}", "indicators": indicators}
        made = await self.call("POST", f"{R}/projects/{side.project}/results", json=body)
        pis = made.get("indicators") or []
        return str(made["id"]), (str(pis[0]["id"]) if pis else None)

    async def draft(self, side: Side, *, values: bool = False) -> str:
        body = {"period": DRAFT_PERIODS(), "narrative": "Matrix report"}
        rid = str((await self.call("POST", f"{R}/projects/{side.project}/reports", json=body))["id"])
        if values:
            values_body = {"values": [{"indicator_code": self.indicator_code, "value": "5"}]}
            await self.call("PUT", f"{R}/reports/{rid}/values", json=values_body)
        return rid

    async def submitted(self, side: Side) -> str:
        rid = await self.draft(side, values=True)
        await self.call("POST", f"{R}/reports/{rid}/submit")
        return rid

    async def approved(self, side: Side) -> str:
        rid = await self.submitted(side)
        await self.call("POST", f"{R}/reports/{rid}/approve", json={}, as_=self.approver)
        return rid

    async def attachment(self, report: str) -> str:
        files = {"file": ("minutes.pdf", b"%PDF-1.4 matrix", "application/pdf")}
        return str((await self.call("POST", f"{R}/reports/{report}/attachments", files=files))["id"])

    async def series(self, side: Side) -> str:
        body = {
            "code": f"matrix-{uuid.uuid4().hex[:10]}",
            "name": "Matrix series",
            "country_code": side.country,
            "unit": "persons",
        }
        return str((await self.call("POST", f"{R}/context/series", json=body))["id"])

    async def series_value(self, series: str) -> str:
        period = SERIES_PERIODS()
        await self.call("PUT", f"{R}/context/series/{series}/values/{period}", json={"value": "1", "source": "matrix"})
        return period

    async def import_job(self, side: Side, threshold: int) -> str:
        """An import large enough to run as a job (its owner is the arranger)."""
        content = csv_file(
            side.project, self.indicator_code, [f"{y}-{m:02d}" for y in range(1900, 2100) for m in range(1, 13)]
        )
        while len(content) <= threshold:
            content += content[content.index(b"\n") + 1 :]  # the same rows again: a job of duplicates is still a job
        answer = await self.client.post(
            f"{R}/imports",
            params={"dry_run": "true"},
            files={"file": ("values.csv", content, "text/csv")},
            headers=self.headers,
        )
        assert answer.status_code == 202, answer.text
        return str(answer.json()["id"])


def csv_file(project: str, indicator: str, periods: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["project", "indicator", "period", "disaggregation", "value", "comment"])
    for period in periods:
        writer.writerow([project, indicator, period, "", "1", ""])
    return out.getvalue().encode()


async def build(arranger: Arranger, import_threshold: int) -> tuple[dict[str, Side], str]:
    """Both sides, and an import job of the arranger's."""
    sides = {}
    _, arranger.indicator_code = await arranger.indicator()
    for name, spec in SIDES.items():
        side = Side(name, spec["country"], str(demo_id("org:" + spec["parent"])))
        side.project = await arranger.project(side)
        side.activity = await arranger.activity(side)
        side.transaction = await arranger.transaction(side)
        side.budget = await arranger.budget(side)
        side.org = await arranger.org(side)
        sides[name] = side
    await arranger.call("POST", f"{R}/sync/projects")  # reporting-api's copy of projects: these two included
    for side in sides.values():
        body = {"kind": "output", "title": "Matrix result", "indicators": [{"indicator_code": arranger.indicator_code}]}
        made = await arranger.call("POST", f"{R}/projects/{side.project}/results", json=body)
        side.result, side.project_indicator = str(made["id"]), str(made["indicators"][0]["id"])
        side.draft = await arranger.draft(side, values=True)
        approved = await arranger.draft(side, values=True)
        side.attachment = await arranger.attachment(approved)
        await arranger.call("POST", f"{R}/reports/{approved}/submit")
        await arranger.call("POST", f"{R}/reports/{approved}/approve", json={}, as_=arranger.approver)
        side.approved = approved
        side.series = await arranger.series(side)
    job = await arranger.import_job(sides["out"], import_threshold)
    return sides, job
