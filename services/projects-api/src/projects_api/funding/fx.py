"""EUR values of amounts: a legal peg, else the ECB reference rate, else a rate an admin entered.

No rate means no EUR value (None), never a guess: totals count such amounts apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from currency_converter import CurrencyConverter, RateNotFoundError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding.models import ExchangeRate

CENT = Decimal("0.01")
# How far back a published rate may be used: ECB publishes on TARGET business days only.
ECB_LOOKBACK_DAYS = 7
# Rates entered by admins are often monthly or quarterly averages.
TABLE_LOOKBACK_DAYS = 92

# Fixed by law against the euro (units per EUR).
PEGS: dict[str, tuple[Decimal, str]] = {
    "EUR": (Decimal(1), "identity"),
    "BAM": (Decimal("1.95583"), "legal peg (Central Bank of Bosnia and Herzegovina currency board)"),
    "XOF": (Decimal("655.957"), "legal peg (BCEAO)"),
    "XAF": (Decimal("655.957"), "legal peg (BEAC)"),
    "CVE": (Decimal("110.265"), "legal peg (Banco de Cabo Verde)"),
    "KMF": (Decimal("491.96775"), "legal peg (Banque Centrale des Comores)"),
}


@dataclass(frozen=True)
class Conversion:
    eur_amount: Decimal
    rate: Decimal  # units of the currency per 1 EUR
    rate_date: date | None
    source: str


@cache
def ecb() -> CurrencyConverter:
    """The ECB reference rates shipped inside the `currencyconverter` package (loaded once)."""
    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def ecb_rate(currency: str, on: date) -> tuple[Decimal, date] | None:
    converter = ecb()
    if currency not in converter.currencies:
        return None
    for back in range(ECB_LOOKBACK_DAYS + 1):
        day = on - timedelta(days=back)
        try:
            rate = converter.convert(1, "EUR", currency, date=day)
        except RateNotFoundError:
            continue
        return Decimal(str(rate)), day
    return None


def to_eur(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


async def table_rate(session: AsyncSession, currency: str, on: date) -> ExchangeRate | None:
    return await session.scalar(
        select(ExchangeRate)
        .where(
            ExchangeRate.currency == currency,
            ExchangeRate.rate_date <= on,
            ExchangeRate.rate_date > on - timedelta(days=TABLE_LOOKBACK_DAYS),
        )
        .order_by(ExchangeRate.rate_date.desc())
        .limit(1)
    )


async def convert(session: AsyncSession, amount: Decimal, currency: str, on: date) -> Conversion | None:
    if currency in PEGS:
        rate, source = PEGS[currency]
        return Conversion(to_eur(amount, rate), rate, None, source)
    published = ecb_rate(currency, on)
    if published is not None:
        rate, day = published
        return Conversion(to_eur(amount, rate), rate, day, "ECB reference rate")
    entered = await table_rate(session, currency, on)
    if entered is not None:
        return Conversion(
            to_eur(amount, entered.units_per_eur), entered.units_per_eur, entered.rate_date, entered.source
        )
    return None
