"""The funding cube (kept by database triggers, read by funding/cube.py) answers exactly what joining every
transaction answers, for every grouping it serves, for everyone and for anonymous readers, and it stays exact through
every kind of change: new, converted, moved and deleted transactions, changed country shares, a project made private,
a project deleted."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import NO_SCOPE, Scope, visible_clause
from projects_api.funding import cube
from projects_api.funding.models import FundingCube, Transaction
from projects_api.funding.summary import SummaryQuery, summarise_transactions
from projects_api.funding.summary_cache import SummaryCache
from projects_api.organisations.models import Organisation
from projects_api.projects.models import Project, ProjectCountry
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import create_org, create_project, create_transaction
from registry_kit.auth import Role
from registry_kit.raw_reads import Reads

pytestmark = pytest.mark.asyncio(loop_scope="session")
EVERYTHING = Scope(True, frozenset(), frozenset())
TYPES = ["disbursement", "commitment", "expenditure"]


async def _registry(session: AsyncSession) -> dict[str, Any]:
    ministry = await create_org(session, "Ministry")
    agency = await create_org(session, "Agency of the ministry", parent_id=ministry.id)
    bank = await create_org(session, "Development bank")
    split = await create_project(
        session, countries=(("GE", "70"), ("AM", "30")), participants=((ministry.id, "funding"),)
    )
    central = await create_project(session, countries=(("KZ", "60"), ("KG", "40")), is_public=False)
    nowhere = await create_project(session, countries=())  # no countries: its money belongs to none
    bosnia = await create_project(session, countries=(("BA", "100"),))
    days = [date(2009, 3, 1), date(2010, 6, 1), date(2010, 12, 31)]
    funders = [ministry.id, agency.id, bank.id, None]
    for i, (project, day, funder, kind) in enumerate(
        itertools.product([split, central, nowhere, bosnia], days, funders, TYPES[:2])
    ):
        if i % 5 == 4:  # some in a currency without a rate yet
            await create_transaction(
                session, project.id, amount=f"{100 + i}.00", currency="GEL", provider=funder, day=day, kind=kind
            )
        else:
            await create_transaction(
                session, project.id, amount=f"{1000 + 7 * i}.33", provider=funder, day=day, kind=kind
            )
    return {
        "ministry": ministry,
        "bank": bank,
        "split": split,
        "central": central,
        "nowhere": nowhere,
        "bosnia": bosnia,
    }


def _normalised(result: dict[str, Any]) -> tuple[Any, list[str]]:
    rows = sorted(repr(sorted(row.items(), key=lambda kv: kv[0])) for row in result["rows"])
    return result["total"], rows


QUERIES: list[dict[str, Any]] = [
    {"group_by": []},
    {"group_by": ["funder"]},
    {"group_by": ["country"]},
    {"group_by": ["year"]},
    {"group_by": ["transaction_type"], "transaction_types": TYPES},
    {"group_by": ["funder", "country", "year"]},
    {"group_by": ["country", "region"]},
    {"group_by": ["funder", "year"], "year_from": 2010},
    {"group_by": ["country"], "countries": ["KZ"]},
    {"group_by": ["country", "year"], "countries": ["GE"], "year_to": 2009},
    {"group_by": ["year"], "funders": "ministry"},  # the ministry and the agency below it
]


def summary_queries(names: dict[str, Any]) -> list[tuple[SummaryQuery, Scope]]:
    """Each of QUERIES (disbursements unless it says otherwise), for everyone and for anonymous readers."""
    queries = []
    for spec, scope in itertools.product(QUERIES, (EVERYTHING, NO_SCOPE)):
        args = {"transaction_types": ["disbursement"], **spec}
        if args.get("funders") == "ministry":
            args["funders"] = [names["ministry"].id]
        queries.append((SummaryQuery(**args), scope))
    return queries


def every_kind_of_change(session: AsyncSession, names: dict[str, Any]) -> list[Callable[[], Awaitable[object]]]:
    """The changes the cube and the kept answers must follow, one after the other, on the registry of `_registry`."""
    split, central, bosnia = names["split"], names["central"], names["bosnia"]

    async def renamed_and_funded() -> None:  # between two reads: a funder renamed and another group changed
        await session.execute(update(Organisation).where(Organisation.id == names["bank"].id).values(acronym="RB"))
        await create_transaction(session, split.id, amount="12.34", provider=names["ministry"].id)

    return [
        lambda: create_transaction(session, bosnia.id, amount="999.99", provider=names["bank"].id),
        # a late exchange rate converts the GEL amounts
        lambda: session.execute(
            update(Transaction).where(Transaction.currency == "GEL").values(eur_amount=Transaction.amount / 3)
        ),
        lambda: session.execute(
            update(Transaction)
            .where(Transaction.project_id == split.id, Transaction.provider_org_id.is_(None))
            .values(project_id=central.id)
        ),
        lambda: session.execute(
            update(ProjectCountry)
            .where(ProjectCountry.project_id == split.id, ProjectCountry.country_code == "GE")
            .values(percentage=Decimal("50"))
        ),
        lambda: session.execute(
            update(ProjectCountry)
            .where(ProjectCountry.project_id == split.id, ProjectCountry.country_code == "AM")
            .values(percentage=Decimal("50"))
        ),
        lambda: session.execute(update(Project).where(Project.id == bosnia.id).values(is_public=False)),
        lambda: session.execute(update(Project).where(Project.id == central.id).values(is_public=True)),
        lambda: session.execute(
            update(Organisation).where(Organisation.id == names["bank"].id).values(name="Renamed bank")
        ),
        renamed_and_funded,
        lambda: session.execute(delete(Transaction).where(Transaction.provider_org_id == names["bank"].id)),
        lambda: session.execute(delete(ProjectCountry).where(ProjectCountry.project_id == bosnia.id)),
        lambda: session.execute(delete(Project).where(Project.id == split.id)),
    ]


async def _assert_cube_matches(session: AsyncSession, names: dict[str, Any]) -> None:
    for q, scope in summary_queries(names):
        assert cube.serves(q, scope), q
        expected = await summarise_transactions(session, q, visible_clause(scope))
        got = await cube.summarise(session, await Reads.on(await session.connection()), q, scope)
        assert _normalised(got) == _normalised(expected), (q, scope.everything)


async def test_the_cube_answers_what_the_transactions_answer(session: AsyncSession) -> None:
    names = await _registry(session)
    await _assert_cube_matches(session, names)
    reads = await Reads.on(await session.connection())
    everything = await cube.summarise(session, reads, SummaryQuery([], ["disbursement"]), EVERYTHING)
    public = await cube.summarise(session, reads, SummaryQuery([], ["disbursement"]), NO_SCOPE)
    assert everything["total"]["transactions"] > public["total"]["transactions"] > 0  # the private project is apart


async def test_the_cube_follows_every_kind_of_change(session: AsyncSession) -> None:
    names = await _registry(session)
    for change in every_kind_of_change(session, names):
        await change()
        await session.flush()
        await _assert_cube_matches(session, names)


async def test_a_deleted_project_leaves_nothing_in_the_cube(session: AsyncSession) -> None:
    project = await create_project(session, countries=(("MD", "100"),))
    donor = await create_org(session, "Only donor")
    await create_transaction(session, project.id, amount="123.45", provider=donor.id)
    funded = select(FundingCube.eur_all, FundingCube.rows_all, FundingCube.changed_at).where(
        FundingCube.provider_org_id == donor.id
    )
    eur, rows, changed_at = (await session.execute(funded)).one()
    assert (eur, rows) == (Decimal("123.45"), 1)
    await session.execute(delete(Project).where(Project.id == project.id))
    # The group's row stays at zero, numbered with the change, so a kept answer sees the money go (migration 0016).
    eur, rows, after = (await session.execute(funded)).one()
    assert (eur, rows) == (0, 0) and after > changed_at


async def test_scoped_callers_themes_statuses_and_projects_are_not_served_by_the_cube() -> None:
    scoped = Scope(False, frozenset({uuid.uuid4()}), frozenset())
    assert not cube.serves(SummaryQuery(["funder"], ["disbursement"]), scoped)
    for q in (
        SummaryQuery(["theme"], ["disbursement"]),
        SummaryQuery(["status"], ["disbursement"]),
        SummaryQuery(["funder"], ["disbursement"], themes=["visa-policy"]),
        SummaryQuery(["funder"], ["disbursement"], projects=[uuid.uuid4()]),
        SummaryQuery(["region"], ["disbursement"]),  # a transaction in two regions counts once in each
        SummaryQuery(["funder"], ["disbursement"], countries=["GE"]),
        # the total counts a transaction in two of the filter's countries once: the cube cannot tell
        SummaryQuery(["country"], ["disbursement"], regions=["central-asia"]),
        SummaryQuery(["country", "year"], ["disbursement"], countries=["GE", "BA"]),
    ):
        assert not cube.serves(q, EVERYTHING), q


SUMMARY = "/api/projects/v1/funding/summary"


async def test_a_kept_answer_is_served_until_the_data_changes(
    session: AsyncSession, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    names = await _registry(session)
    params = {"group_by": ["funder", "country", "year"]}
    everywhere = tokens.role(Role.viewer)
    first = await client.get(SUMMARY, params=params, headers=everywhere)
    again = await client.get(SUMMARY, params=params, headers=everywhere)
    assert first.status_code == again.status_code == 200
    assert again.headers["ETag"] == first.headers["ETag"] and again.content == first.content
    revalidated = await client.get(
        SUMMARY, params=params, headers=everywhere | {"If-None-Match": first.headers["ETag"]}
    )
    assert revalidated.status_code == 304 and not revalidated.content

    anonymous = await client.get(SUMMARY, params=params)  # the private project's money is not in it
    assert anonymous.headers["ETag"] != first.headers["ETag"]
    assert anonymous.json()["total"]["transactions"] < first.json()["total"]["transactions"]

    await create_transaction(session, names["bosnia"].id, amount="1.00", provider=names["bank"].id)
    await session.flush()
    changed = await client.get(SUMMARY, params=params, headers=everywhere | {"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert changed.json()["total"]["transactions"] == first.json()["total"]["transactions"] + 1

    await session.execute(update(Organisation).where(Organisation.id == names["bank"].id).values(name="Renamed bank"))
    await session.flush()
    renamed = await client.get(SUMMARY, params=params, headers=everywhere)
    assert renamed.headers["ETag"] != changed.headers["ETag"]
    assert any((row["funder"] or {}).get("name") == "Renamed bank" for row in renamed.json()["rows"])


async def test_answers_kept_stay_within_their_size_bound(caplog: pytest.LogCaptureFixture) -> None:
    cache = SummaryCache(max_bytes=100, max_one=75)
    cache.put("a", 1, b"x" * 20)
    cache.put("b", 1, b"y" * 20)
    assert cache.get("a", 1) == b"x" * 20 and cache.get("a", 2) is None  # another version is another answer
    cache.put("big", 1, b"z" * 76)  # over the bound of one answer: not kept, and said so
    assert cache.get("big", 1) is None
    assert "too large to keep" in caplog.text
    cache.put("large", 1, b"v" * 70)  # the largest dashboard answer is kept (it once was not: recomputed every time)
    assert cache.get("large", 1) == b"v" * 70
    for i in range(10):
        cache.put(i, 1, b"w" * 20)
    assert cache.get("a", 1) is None and cache.get(9, 1) == b"w" * 20  # the least recently used went first


async def test_a_caller_with_a_country_grant_gets_the_summary_by_country(
    session: AsyncSession, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    """Scoped callers are answered from the transactions, joined with the country shares their grant also names:
    the grant's subqueries must correlate with the project only (this answered 500 before)."""
    names = await _registry(session)
    in_kazakhstan = tokens.role(Role.viewer, country="KZ")
    body = (await client.get(SUMMARY, params={"group_by": ["country"]}, headers=in_kazakhstan)).json()
    countries = {row["country"]["code"] for row in body["rows"] if row["country"]}
    assert {"KZ", "KG"} <= countries  # the private Central Asian project, reached through the grant
    public = (await client.get(SUMMARY, params={"group_by": ["country"]})).json()
    assert not {"KZ", "KG"} & {row["country"]["code"] for row in public["rows"] if row["country"]}
    assert names["central"].is_public is False
