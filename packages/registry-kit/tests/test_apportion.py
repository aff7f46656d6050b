"""Largest-remainder rounding: shares rounded to the quantum add up to their rounded total, each within a quantum of
its exact value; ties go to the larger share, then the first key."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from registry_kit.apportion import apportion, round_half_up
from registry_kit.properties import budget, passed

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
