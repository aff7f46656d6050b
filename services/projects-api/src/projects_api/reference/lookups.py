"""Checks of codes against the reference data: ISO 3166 countries and ISO 4217 currencies via pycountry."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def country_names() -> dict[str, str]:
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names["XK"] = "Kosovo"  # user-assigned code used by IATI and the EU; not in ISO 3166 proper
    return names


@cache
def currency_names() -> dict[str, str]:
    return {c.alpha_3: c.name for c in pycountry.currencies}


def is_country(code: str) -> bool:
    return code in country_names()


def is_currency(code: str) -> bool:
    return code in currency_names()
