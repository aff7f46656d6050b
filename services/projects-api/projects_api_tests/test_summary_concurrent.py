"""The kept funding summary under concurrent writers: several writers record and delete transactions, make projects
public or private and move their country shares, each on its own committed transaction through the API, while
readers ask the summary (everyone's and the public's) all along. The service keeps one answer per request and brings
it up to date by the cube rows changed since its version (funding/kept_answer.py); once the writers are done, its
answer must be what the plain reference (funding_oracle.py) computes from the rows as the database holds them, read
back with plain SQL, and the kept state must still be the one first made (brought up to date, not computed again).
Every answer read while the writers ran must add up to its own total, rows largest first."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncEngine

from projects_api.audit.models import AuditEvent
from projects_api.funding.summary_cache import SummaryCache
from projects_api.organisations.models import Organisation
from projects_api.projects.models import Project
from projects_api.reference.data import REGION_OF_COUNTRY
from projects_api_tests import funding_oracle as oracle
from projects_api_tests.conftest import Tokens
from registry_kit.auth import Role
from registry_testing.properties import budget, passed

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/projects/v1"
SUMMARY = f"{API}/funding/summary"
DIMS = ["funder", "country", "year"]
COUNTRIES = ("GE", "AM", "MD", "BA")
WRITERS = 3

operations = st.one_of(
    st.tuples(
        st.just("add"),
        st.integers(0, WRITERS - 1),  # the project
        st.integers(0, 1),  # the funder
        st.integers(2009, 2011),
        st.sampled_from(["EUR", "USD", "GEL"]),
        st.integers(1, 5_000_000),  # cents
    ),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("public"), st.booleans()),
    st.tuples(st.just("countries"), st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=3, unique=True)),
)


def _shares(countries: list[str]) -> list[dict[str, Any]]:
    """Percentages adding up to 100, the last taking what is left."""
    each = (Decimal(100) / len(countries)).quantize(Decimal("0.01"))
    pct = [each] * (len(countries) - 1) + [Decimal(100) - each * (len(countries) - 1)]
    return [{"country_code": c, "percentage": str(p)} for c, p in zip(countries, pct, strict=True)]


class World:
    def __init__(self, client: httpx.AsyncClient, admin: dict[str, str]) -> None:
        self.client, self.admin = client, admin
        self.funders: list[str] = []
        self.projects: list[str] = []
        self.tags: dict[str, str] = {}  # project -> its ETag

    async def build(self) -> None:
        for i in range(2):
            response = await self.client.post(
                f"{API}/organisations",
                json={"name": f"Concurrent funder {i} {uuid.uuid4().hex[:8]}", "org_type": "10"},
                headers=self.admin,
            )
            assert response.status_code == 201, response.text
            self.funders.append(response.json()["id"])
        for i in range(WRITERS):
            response = await self.client.post(
                f"{API}/projects",
                json={
                    "code": f"XM-CONC-{uuid.uuid4().hex[:10]}",
                    "title": "Concurrent",
                    "is_public": i % 2 == 0,
                    "countries": _shares([COUNTRIES[i]]),
                },
                headers=self.admin,
            )
            assert response.status_code == 201, response.text
            self.projects.append(response.json()["id"])
            self.tags[self.projects[-1]] = response.headers["etag"]

    async def write(self, writer: int, ops: list[Any]) -> None:
        """One writer's operations in order; each writer changes only its own project and its own transactions."""
        own = self.projects[writer]
        mine: list[tuple[str, str, str]] = []  # (project, transaction, ETag)
        for op in ops:
            if op[0] == "add":
                _, project, funder, year, currency, cents = op
                pid = self.projects[project]
                body = {
                    "transaction_type": "disbursement",
                    "transaction_date": str(date(year, 6, 15)),
                    "amount": str(Decimal(cents) / 100),
                    "currency": currency,
                    "provider_org_id": self.funders[funder],
                }
                response = await self.client.post(f"{API}/projects/{pid}/transactions", json=body, headers=self.admin)
                assert response.status_code == 201, response.text
                mine.append((pid, response.json()["id"], response.headers["etag"]))
            elif op[0] == "delete" and mine:
                pid, tx, tag = mine.pop(op[1] % len(mine))
                response = await self.client.delete(
                    f"{API}/projects/{pid}/transactions/{tx}", headers={**self.admin, "If-Match": tag}
                )
                assert response.status_code == 204, response.text
            elif op[0] in ("public", "countries"):
                change = {"is_public": op[1]} if op[0] == "public" else {"countries": _shares(op[1])}
                response = await self.client.patch(
                    f"{API}/projects/{own}", json=change, headers={**self.admin, "If-Match": self.tags[own]}
                )
                assert response.status_code == 200, response.text
                self.tags[own] = response.headers["etag"]

    def params(self) -> dict[str, Any]:
        return {"group_by": DIMS, "funder": self.funders}


async def _reference(engine: AsyncEngine, world: World, public_only: bool) -> tuple[Any, oracle.Group]:
    """The oracle's groups from the rows as committed, read with plain SQL."""
    ids = [uuid.UUID(p) for p in world.projects]
    async with engine.connect() as conn:
        projects = (
            await conn.execute(text("SELECT id, status, is_public FROM project WHERE id = ANY(:ids)"), {"ids": ids})
        ).all()
        shares = (
            await conn.execute(
                text("SELECT project_id, country_code, percentage FROM project_country WHERE project_id = ANY(:ids)"),
                {"ids": ids},
            )
        ).all()
        txs = (
            await conn.execute(
                text(
                    "SELECT id, project_id, provider_org_id, transaction_type, value_date, currency, amount, eur_amount"
                    " FROM transaction WHERE project_id = ANY(:ids) AND transaction_type = 'disbursement'"
                ),
                {"ids": ids},
            )
        ).all()
    seen = {str(p.id): oracle.Proj(str(p.id), p.status, {}, []) for p in projects if p.is_public or not public_only}
    for s in shares:
        if str(s.project_id) in seen:
            seen[str(s.project_id)].countries[s.country_code] = s.percentage
    rows = [
        oracle.Tx(str(t.id), str(t.project_id), str(t.provider_org_id), t.transaction_type, t.value_date.year,
                  t.currency, t.amount, t.eur_amount)
        for t in txs
        if str(t.project_id) in seen
    ]  # fmt: skip
    return oracle.groups(seen, rows, DIMS, REGION_OF_COUNTRY)


def _adds_up(body: dict[str, Any]) -> None:
    """An answer read at any moment: its rows largest first, adding up to its total to the cent."""
    amounts = [Decimal(r["eur_amount"]) for r in body["rows"] if r["eur_amount"] is not None]
    assert amounts == sorted(amounts, reverse=True)
    if body["total"]["eur_amount"] is not None:
        assert sum(amounts, Decimal(0)) == Decimal(body["total"]["eur_amount"])


@budget(4)
@given(plans=st.lists(st.lists(operations, min_size=3, max_size=8), min_size=WRITERS, max_size=WRITERS))
async def test_concurrent_writers_leave_the_kept_answer_equal_to_the_reference(
    app: FastAPI, engine: AsyncEngine, tokens: Tokens, plans: list[list[Any]]
) -> None:
    app.state.summary_cache = SummaryCache()
    admin = tokens.admin()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        world = World(client, admin)
        try:
            await world.build()
            callers = ({}, tokens.role(Role.viewer))  # the public's answer and everyone's
            for headers in callers:  # kept from here on
                assert (await client.get(SUMMARY, params=world.params(), headers=headers)).status_code == 200
            states = [kept.state for kept in app.state.summary_cache._answers.values()]
            done = asyncio.Event()

            async def read(headers: dict[str, str]) -> int:
                reads = 0
                while not done.is_set() or reads == 0:
                    response = await client.get(SUMMARY, params=world.params(), headers=headers)
                    assert response.status_code == 200, response.text
                    _adds_up(response.json())
                    reads += 1
                return reads

            async def writers() -> None:
                try:
                    await asyncio.gather(*(world.write(i, plan) for i, plan in enumerate(plans)))
                finally:
                    done.set()

            *_, counts = await asyncio.gather(writers(), asyncio.gather(*(read(h) for h in callers)))
            assert all(counts)
            for headers in callers:
                body = (await client.get(SUMMARY, params=world.params(), headers=headers)).json()
                expected, total = await _reference(engine, world, public_only=not headers)
                oracle.check(body, expected, total, DIMS)
            assert [kept.state for kept in app.state.summary_cache._answers.values()] == states  # not made again
        finally:
            async with engine.begin() as conn:
                ids = [uuid.UUID(p) for p in world.projects]
                funders = [uuid.UUID(f) for f in world.funders]
                await conn.execute(delete(AuditEvent).where(AuditEvent.project_id.in_(ids)))
                await conn.execute(delete(AuditEvent).where(AuditEvent.entity_id.in_(funders)))
                await conn.execute(delete(Project).where(Project.id.in_(ids)))
                await conn.execute(delete(Organisation).where(Organisation.id.in_(funders)))
    passed("kept funding summary under concurrent writers = reference")
