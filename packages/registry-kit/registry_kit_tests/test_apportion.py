"""Largest-remainder rounding: shares rounded to the quantum add up to their rounded total, each within a quantum of
its exact value; ties go to the larger share, then the first key."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from registry_kit.apportion import KeptApportionment, apportion, round_half_up
from registry_testing.properties import budget, passed

CENT = Decimal("0.01")


def test_thirds_of_a_hundred_add_up() -> None:
    shares = {"GE": Fraction(100, 3), "AM": Fraction(100, 3), "AZ": Fraction(100, 3)}
    rounded, total = apportion(shares, CENT)
    assert total == Decimal("100.00")
    assert rounded == {"AM": Decimal("33.34"), "AZ": Decimal("33.33"), "GE": Decimal("33.33")}  # a tie: first key


def test_the_largest_remainder_gets_the_cent() -> None:
    rounded, total = apportion({"a": Decimal("0.014"), "b": Decimal("0.018"), "c": Decimal("0.008")}, CENT)
    assert (rounded, total) == ({"a": Decimal("0.01"), "b": Decimal("0.02"), "c": Decimal("0.01")}, Decimal("0.04"))


def test_half_cents_round_away_from_zero() -> None:
    assert round_half_up(Fraction(5, 1000), CENT) == Decimal("0.01")
    assert round_half_up(Fraction(-5, 1000), CENT) == Decimal("-0.01")
    assert apportion({}, CENT) == ({}, Decimal("0.00"))


@budget(50)
@given(st.dictionaries(st.text(max_size=3), st.fractions(min_value=0, max_value=10**9), max_size=12))
def test_shares_add_up_to_the_rounded_total(shares: dict[str, Fraction]) -> None:
    rounded, total = apportion(shares, CENT)
    assert sum(rounded.values(), Decimal(0)) == total
    assert total == round_half_up(sum(shares.values(), Fraction(0)), CENT)
    for key, exact in shares.items():
        assert abs(Fraction(rounded[key]) - exact) < Fraction(1, 100), key
    passed("apportion: shares add up to the rounded total")


def _reference(shares: dict[Any, Fraction | Decimal], quantum: Decimal) -> tuple[dict[Any, Decimal], Decimal]:
    """The method as written down, in Fractions, every key in one sort (apportion computes in integers)."""
    exact = {k: Fraction(v) for k, v in shares.items()}
    q = Fraction(quantum)
    total = round_half_up(sum(exact.values(), Fraction(0)), quantum)
    floors = {k: math.floor(v / q) for k, v in exact.items()}
    missing = int(Fraction(total) / q) - sum(floors.values())
    order = sorted(exact, key=lambda k: (-(exact[k] / q - floors[k]), -exact[k], repr(k)))
    bumped = set(order[: max(missing, 0)])
    return {k: Decimal(floors[k] + (k in bumped)) * quantum for k in exact}, total


_SHARE = st.one_of(
    st.fractions(min_value=0, max_value=10**6, max_denominator=1000),
    st.decimals(min_value=0, max_value=10**6, places=4),
    st.sampled_from([Decimal("0.005"), Decimal("0.015"), Fraction(1, 3), Decimal(0)]),  # halves, thirds: ties
)


@budget(100)
@given(
    st.dictionaries(st.one_of(st.text(max_size=2), st.tuples(st.integers(0, 3), st.none())), _SHARE, max_size=14),
    st.sampled_from([Decimal("0.01"), Decimal("0.0001"), Decimal(1)]),
)
def test_the_integer_method_is_the_method(shares: dict[Any, Fraction | Decimal], quantum: Decimal) -> None:
    assert apportion(shares, quantum) == _reference(shares, quantum)
    passed("apportion: the integer computation gives the reference's cents, ties included")


@budget(60)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d", "e", ("f", None), ("f", 1)]), st.one_of(st.none(), _SHARE)),
        max_size=30,
    ),
    st.sampled_from([Decimal("0.01"), Decimal(1)]),
)
def test_a_kept_apportionment_answers_what_apportion_answers(
    steps: list[tuple[Any, Fraction | Decimal | None]], quantum: Decimal
) -> None:
    """Shares set and removed one by one (new denominators included): after each, every share and the total are
    apportion's, and every share whose cents moved is among the keys said to have changed."""
    kept = KeptApportionment(quantum)
    shares: dict[Any, Fraction | Decimal] = {}
    before: dict[Any, Decimal] = {}
    for key, value in steps:
        kept.put(key, value)
        if value is None:
            shares.pop(key, None)
        else:
            shares[key] = value
        changed, total = kept.changes()
        expected, expected_total = apportion(shares, quantum)
        assert total == expected_total
        now = {k: kept.value(k) for k in shares}
        assert now == expected and len(kept) == len(shares)
        assert {k for k in now.keys() | before.keys() if now.get(k) != before.get(k)} <= changed
        before = now
    passed("apportion: kept one change at a time, the same cents")


@budget(40)
@given(st.dictionaries(st.text(max_size=2), _SHARE, max_size=14), st.text(max_size=2), _SHARE)
def test_a_kept_apportionment_loaded_at_once_is_the_one_put_share_by_share(
    shares: dict[str, Fraction | Decimal], key: str, value: Fraction | Decimal
) -> None:
    loaded, put = KeptApportionment(CENT), KeptApportionment(CENT)
    loaded.load(shares)
    for k, v in shares.items():
        put.put(k, v)
    for kept in (loaded, put):
        kept.changes()
        kept.put(key, value)  # and a change after
    shares = shares | {key: value}
    assert loaded.changes()[1] == put.changes()[1] == apportion(shares, CENT)[1]
    assert {k: loaded.value(k) for k in shares} == {k: put.value(k) for k in shares} == apportion(shares, CENT)[0]
    passed("apportion: a kept apportionment loaded at once is the one put share by share")


@budget(40)
@given(
    st.dictionaries(st.integers(0, 80), _SHARE, min_size=20, max_size=60),
    st.lists(st.tuples(st.integers(0, 80), st.one_of(st.none(), _SHARE)), min_size=1, max_size=12),
)
def test_a_large_kept_apportionment_changed_a_few_shares_at_a_time_answers_what_apportion_answers(
    shares: dict[int, Fraction | Decimal], steps: list[tuple[int, Fraction | Decimal | None]]
) -> None:
    """Many shares and a few changes each time: KeptApportionment then places the changed ones by bisection and looks
    only near the line between the shares that get a quantum and the others (not at every share)."""
    kept = KeptApportionment(CENT)
    kept.load(shares)
    kept.changes()
    before = {k: kept.value(k) for k in shares}
    current: dict[int, Fraction | Decimal] = dict(shares)
    for i in range(0, len(steps), 2):
        for key, value in steps[i : i + 2]:
            kept.put(key, value)
            if value is None:
                current.pop(key, None)
            else:
                current[key] = value
        changed, total = kept.changes()
        expected, expected_total = apportion(current, CENT)
        now = {k: kept.value(k) for k in current}
        assert total == expected_total and now == expected
        assert {k for k in now.keys() | before.keys() if now.get(k) != before.get(k)} <= changed
        before = now
    passed("apportion: a large kept apportionment changed a few shares at a time")
