"""A kept funding summary brought up to date by the cube rows changed since its version (funding/cube.py CubeState)
answers exactly what joining every transaction answers afresh, through every kind of change, for every grouping the
cube serves, for everyone and for anonymous readers; and the service does bring the kept answer up to date (the same
state, changed in place) rather than compute it again."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import NO_SCOPE, visible_clause
from projects_api.funding import cube
from projects_api.funding.summary import SummaryQuery, assemble, summarise_transactions
from projects_api_tests.conftest import Tokens
from projects_api_tests.factories import create_transaction
from projects_api_tests.test_funding_cube import (
    EVERYTHING,
    _normalised,
    _registry,
    every_kind_of_change,
    summary_queries,
)
from registry_kit.auth import Role
from registry_kit.raw_reads import Reads

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_kept_answers_follow_every_kind_of_change(session: AsyncSession) -> None:
    names = await _registry(session)
    reads = await Reads.on(await session.connection())
    queries = summary_queries(names)
    version = await cube.version(reads)
    states = [await cube.up_to_date(reads, q, scope, None, -1) for q, scope in queries]
    for change in every_kind_of_change(session, names):
        await change()
        await session.flush()
        since, version = version, await cube.version(reads)
        assert version > since
        for (q, scope), state in zip(queries, states, strict=True):
            kept = await cube.up_to_date(reads, q, scope, state, since)
            assert kept is state
            got = await assemble(session, q.group_by, kept.group_sums(), kept.total)
            expected = await summarise_transactions(session, q, visible_clause(scope))
            assert _normalised(got) == _normalised(expected), (q, scope.everything)


SUMMARY = "/api/projects/v1/funding/summary"


async def test_the_service_brings_its_kept_answer_up_to_date(
    session: AsyncSession, client: httpx.AsyncClient, tokens: Tokens, app: Any
) -> None:
    names = await _registry(session)
    params = {"group_by": ["funder", "country", "year"]}
    everywhere = tokens.role(Role.viewer)
    first = await client.get(SUMMARY, params=params, headers=everywhere)
    [key] = [k for k in app.state.summary_cache._answers if k[0][0] == ("funder", "country", "year")]
    state = app.state.summary_cache.kept(key).state
    await create_transaction(session, names["bosnia"].id, amount="10.00", provider=names["bank"].id)
    await session.flush()
    second = await client.get(SUMMARY, params=params, headers=everywhere)
    assert second.headers["ETag"] != first.headers["ETag"]
    assert app.state.summary_cache.kept(key).state is state  # taken in, not computed again
    total = Decimal(second.json()["total"]["eur_amount"]) - Decimal(first.json()["total"]["eur_amount"])
    assert total == Decimal("10.00")
    q = SummaryQuery(["funder", "country", "year"], ["disbursement"])
    expected = await summarise_transactions(session, q, visible_clause(EVERYTHING))
    body = second.json()
    assert _normalised({"rows": body["rows"], "total": body["total"]}) == _normalised(
        {"rows": _as_json(expected["rows"]), "total": _as_json(expected["total"])}
    )


def _as_json(value: Any) -> Any:
    import orjson

    from projects_api.funding.summary_service import _json_default

    return orjson.loads(orjson.dumps(value, default=_json_default))


async def test_a_version_that_went_back_starts_again_from_the_whole_cube(
    session: AsyncSession, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    """Only where reads share a writer's transaction (as here) can a kept answer have seen writes that were then
    rolled back: the version it was kept at is then ahead of the cube's, and the answer is computed afresh."""
    names = await _registry(session)
    params = {"group_by": ["country"]}
    await session.execute(text("SAVEPOINT before_the_write"))
    await create_transaction(session, names["bosnia"].id, amount="77.00")
    await session.flush()
    seen = (await client.get(SUMMARY, params=params)).json()
    await session.execute(text("ROLLBACK TO SAVEPOINT before_the_write"))
    after = (await client.get(SUMMARY, params=params)).json()
    assert Decimal(seen["total"]["eur_amount"]) - Decimal(after["total"]["eur_amount"]) == Decimal("77.00")


async def test_a_kept_answer_written_again_row_by_row_is_the_answer_written_whole(
    session: AsyncSession, client: httpx.AsyncClient, tokens: Tokens, app: Any
) -> None:
    """After each change the service re-writes only the rows that changed (funding/kept_answer.py): its answer equals
    the one written whole from a fresh state, rows in order of amount."""
    from projects_api.funding.summary_cache import SummaryCache

    names = await _registry(session)
    everywhere = tokens.role(Role.viewer)
    shapes = [{"group_by": ["funder", "country", "year"]}, {"group_by": ["country", "region"]}, {"group_by": []}]

    async def both(params: dict[str, Any], headers: dict[str, str]) -> tuple[Any, Any]:
        kept = (await client.get(SUMMARY, params=params, headers=headers)).json()
        cache = app.state.summary_cache
        app.state.summary_cache = SummaryCache()
        whole = (await client.get(SUMMARY, params=params, headers=headers)).json()
        app.state.summary_cache = cache
        return kept, whole

    for shape, headers in itertools.product(shapes, ({}, everywhere)):
        await client.get(SUMMARY, params=shape, headers=headers)  # kept from here on
    for change in every_kind_of_change(session, names):
        await change()
        await session.flush()
        for shape, headers in itertools.product(shapes, ({}, everywhere)):
            kept, whole = await both(shape, headers)
            amounts = [(r["eur_amount"] is not None, Decimal(r["eur_amount"] or 0)) for r in kept["rows"]]
            assert amounts == sorted(amounts, reverse=True)
            assert kept["total"] == whole["total"] and kept["group_by"] == whole["group_by"], shape
            assert sorted(map(repr, kept["rows"])) == sorted(map(repr, whole["rows"])), shape
            # and both are what the transactions give, rounded by summary.rounded over every group at once
            q = SummaryQuery(group_by=shape["group_by"], transaction_types=["disbursement"])
            expected = await summarise_transactions(session, q, visible_clause(EVERYTHING if headers else NO_SCOPE))
            assert _normalised(kept) == _normalised(orjson.loads(orjson.dumps(expected, default=str))), shape
