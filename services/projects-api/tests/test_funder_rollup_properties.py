"""Rolling departments up into their funder, against a plain reference: group the transactions straight by the
funder found by walking up the tree, and compare with the summary's way (group by provider, then merge groups)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from projects_api.funding.funders import merge_groups

ORGS = 8


@st.composite
def forests(draw: st.DrawFn) -> tuple[dict[int, int | None], set[int]]:
    """Organisations 0..7, each below an earlier one or a root; some marked as departments (roots may be too)."""
    parents: dict[int, int | None] = {0: None}
    for org in range(1, ORGS):
        parents[org] = draw(st.one_of(st.none(), st.integers(0, org - 1)))
    departments = draw(st.sets(st.integers(0, ORGS - 1)))
    return parents, departments


def funder_of(org: int, parents: dict[int, int | None], departments: set[int]) -> int:
    while org in departments and parents[org] is not None:
        parent = parents[org]
        assert parent is not None
        org = parent
    return org


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
transactions = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, ORGS - 1)),  # provider
        st.integers(2004, 2007),  # year
        st.one_of(st.none(), amounts),  # EUR (None: no rate)
        amounts,  # the amount in its currency
        st.sampled_from(["GEL", "MDL"]),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(forest=forests(), txs=transactions)
def test_merging_provider_groups_equals_grouping_by_funder(
    forest: tuple[dict[int, int | None], set[int]], txs: list[tuple[int | None, int, Decimal | None, Decimal, str]]
) -> None:
    parents, departments = forest
    # The reference: straight from the transactions.
    want_eur: dict[tuple[Any, ...], Decimal | None] = {}
    want_n: dict[tuple[Any, ...], int] = defaultdict(int)
    want_raw: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    for provider, year, eur, amount, currency in txs:
        key = (None if provider is None else funder_of(provider, parents, departments), year)
        if eur is not None:
            want_eur[key] = (want_eur.get(key) or Decimal(0)) + eur
        else:
            want_eur.setdefault(key, None)
            want_raw[(*key, currency)] += amount
        want_n[key] += 1
    # The summary's way: the database groups by provider and year, then groups meet under their funder.
    by_provider: dict[tuple[Any, ...], list[Any]] = {}
    raw_by_provider: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    for provider, year, eur, amount, currency in txs:
        row = by_provider.setdefault((provider, year), [None, 0])
        row[0] = eur if row[0] is None else row[0] + (eur or 0)
        row[1] += 1
        if eur is None:
            raw_by_provider[(provider, year, currency)] += amount
    named = {o: funder_of(o, parents, departments) for o in parents if funder_of(o, parents, departments) != o}
    eur_rows, raw_rows = merge_groups(
        2, 0, named, [(*k, *v) for k, v in by_provider.items()], [(*k, v) for k, v in raw_by_provider.items()]
    )
    assert {(r[0], r[1]): r[2] for r in eur_rows} == want_eur
    assert {(r[0], r[1]): r[3] for r in eur_rows} == dict(want_n)
    assert {(r[0], r[1], r[2]): r[3] for r in raw_rows} == dict(want_raw)
    assert len({(r[0], r[1]) for r in eur_rows}) == len(eur_rows)  # one row per funder and year
