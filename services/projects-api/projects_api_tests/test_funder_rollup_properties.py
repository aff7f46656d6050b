"""Rolling departments up into their funder, against a plain reference: group the transactions straight by the
funder found by walking up the tree, and compare with the summary's way (exact sums grouped by provider, then merged)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from projects_api.funding.funders import merge_groups
from projects_api.funding.summary import GroupSums

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
    # The reference: straight from the transactions, in plain Decimals.
    want_eur: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    want_n: dict[tuple[Any, ...], int] = defaultdict(int)
    want_converted: dict[tuple[Any, ...], int] = defaultdict(int)
    want_raw: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    for provider, year, eur, amount, currency in txs:
        key = (None if provider is None else funder_of(provider, parents, departments), year)
        want_n[key] += 1
        if eur is not None:
            want_eur[key] += eur
            want_converted[key] += 1
        else:
            want_eur[key] += 0
            want_raw[(*key, currency)] += amount
    # The summary's way: the database groups by provider and year, then groups meet under their funder.
    by_provider: dict[tuple[Any, ...], GroupSums] = {}
    for provider, year, eur, amount, currency in txs:
        group = by_provider.setdefault((provider, year), GroupSums())
        group.transactions += 1
        if eur is not None:
            group.eur += Fraction(eur)
            group.converted += 1
        else:
            group.unconverted[currency] += Fraction(amount)
    named = {o: funder_of(o, parents, departments) for o in parents if funder_of(o, parents, departments) != o}
    merged = merge_groups(0, named, by_provider)
    assert set(merged) == set(want_n)  # one group per funder and year
    assert {k: Decimal(g.eur.numerator) / g.eur.denominator for k, g in merged.items()} == dict(want_eur)
    assert {k: g.transactions for k, g in merged.items()} == dict(want_n)
    assert {k: g.converted for k, g in merged.items() if g.converted} == dict(want_converted)
    raw = {(*k, c): Decimal(a.numerator) / a.denominator for k, g in merged.items() for c, a in g.unconverted.items()}
    assert raw == dict(want_raw)
