"""Arranging numbers through the public HTTP APIs only: projects in projects-api (then reporting-api's sync),
indicators, frameworks and approved reports in reporting-api. Used by the rule regression tests and the property
tests, so what they check went in the way a user's data does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from registry_kit.auth import Grant, Role
from reporting_api_tests.projects_harness import BASE_URL, ProjectsHarness

API = "/api/reporting/v1"


@dataclass
class NumbersWorld:
    client: httpx.AsyncClient
    harness: ProjectsHarness

    @property
    def admin(self) -> dict[str, str]:
        return self.harness.admin()

    @property
    def approver(self) -> dict[str, str]:
        """Another admin: whoever submitted a report may not approve it (segregation of duties)."""
        return self.harness.headers(Grant(Role.admin), subject="user:approver")

    async def project(
        self, countries: dict[str, Decimal], themes: list[str], start: str = "2008-01-01", end: str = "2012-12-31"
    ) -> str:
        """A public project created through projects-api's API; reporting-api's copy follows its change feed."""
        body = {
            "code": f"XM-NUM-{uuid.uuid4().hex[:10]}",
            "title": "Generated",
            "is_public": True,
            "themes": themes,
            "planned_start": start,
            "planned_end": end,
            "countries": [{"country_code": c, "percentage": str(p)} for c, p in countries.items()],
        }
        async with httpx.AsyncClient(transport=self.harness.transport(), base_url=BASE_URL) as projects:
            response = await projects.post("/api/projects/v1/projects", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def sync(self) -> None:
        response = await self.client.post(f"{API}/sync/projects", headers=self.admin)
        assert response.status_code == 200, response.text

    async def indicator(self, measure: str, aggregation: str, cumulative: bool = False, level: str = "output") -> str:
        code = f"num-{uuid.uuid4().hex[:10]}"
        body = {
            "code": code,
            "name": "Generated",
            "level": level,
            "measure": measure,
            "aggregation": aggregation,
            "cumulative": cumulative,
            "currency": "EUR" if measure == "currency" else None,
            "dimensions": [
                {
                    "code": "sex",
                    "name": "Sex",
                    "values": [{"code": "f", "name": "Female"}, {"code": "m", "name": "Male"}],
                }
            ],
        }
        response = await self.client.post(f"{API}/indicators", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return code

    async def framework(self, project_id: str, indicator: str, frequency: str, target: str | None = None) -> None:
        item: dict[str, Any] = {"indicator_code": indicator, "frequency": frequency}
        if target is not None:
            item["targets"] = [{"value": target}]
        body = {"kind": "output", "title": "Generated", "indicators": [item]}
        response = await self.client.post(f"{API}/projects/{project_id}/results", json=body, headers=self.admin)
        assert response.status_code == 201, response.text

    async def draft(self, project_id: str, period: str) -> httpx.Response:
        return await self.client.post(
            f"{API}/projects/{project_id}/reports", json={"period": period}, headers=self.admin
        )

    async def put(self, report: httpx.Response, values: list[dict[str, Any]]) -> httpx.Response:
        return await self.client.put(
            f"{API}/reports/{report.json()['id']}/values",
            json={"values": values},
            headers={**self.admin, "If-Match": report.headers["ETag"]},
        )

    async def step(self, report: httpx.Response, action: str) -> httpx.Response:
        return await self.client.post(
            f"{API}/reports/{report.json()['id']}/{action}",
            json={} if action != "submit" else None,
            headers={**(self.approver if action == "approve" else self.admin), "If-Match": report.headers["ETag"]},
        )

    async def approved(self, project_id: str, period: str, values: list[dict[str, Any]]) -> None:
        """A report for the period with these values, submitted and approved (each step must succeed)."""
        report = await self.draft(project_id, period)
        assert report.status_code == 201, report.text
        for call in (
            lambda r: self.put(r, values),
            lambda r: self.step(r, "submit"),
            lambda r: self.step(r, "approve"),
        ):
            report = await call(report)
            assert report.status_code == 200, report.text

    async def get(self, path: str, **params: Any) -> dict[str, Any]:
        response = await self.client.get(f"{API}/aggregations/{path}", params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body
