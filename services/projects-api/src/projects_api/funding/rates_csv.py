"""Reading exchange rates from CSV: `currency,rate_date,units_per_eur,source` or per-USD rates crossed via the ECB."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from projects_api.funding.fx import ecb_rate
from projects_api.funding.schemas import ExchangeRateIn
from registry_kit.errors import FieldError, ValidationFailed, field_error

MAX_ROWS = 100_000
REQUIRED = {"currency", "rate_date", "source"}


def parse_rates(body: bytes) -> list[ExchangeRateIn]:
    """All rows or none: any bad row answers 422 with every bad row named."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "The file is not UTF-8.", errors=[field_error("file", "not UTF-8 text", "encoding")]
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or [])
    if not REQUIRED <= columns or not ({"units_per_eur", "units_per_usd"} & columns):
        raise ValidationFailed(
            "Wrong columns.",
            errors=[
                field_error(
                    "file.header",
                    "need currency, rate_date, source and units_per_eur or units_per_usd",
                    "columns",
                )
            ],
        )
    rates: list[ExchangeRateIn] = []
    errors: list[FieldError] = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            errors.append(field_error(f"file.row[{line}]", f"more than {MAX_ROWS} rows", "too_many"))
            break
        try:
            rates.append(_row(row))
        except (ValueError, InvalidOperation, ValidationError) as exc:
            errors.append(field_error(f"file.row[{line}]", str(exc).splitlines()[0], "invalid"))
    if errors:
        raise ValidationFailed(f"{len(errors)} rows are not valid; nothing was saved.", errors=errors[:100])
    return rates


def _row(row: dict[str, str]) -> ExchangeRateIn:
    day = date.fromisoformat(row["rate_date"].strip())
    per_eur = (row.get("units_per_eur") or "").strip()
    if per_eur:
        units = Decimal(per_eur)
        source = row["source"].strip()
    else:
        usd = ecb_rate("USD", day)
        if usd is None:
            raise ValueError(f"no ECB USD rate near {day} to cross through")
        units = (Decimal(row["units_per_usd"].strip()) * usd[0]).quantize(Decimal("0.0000000001"))
        source = f"{row['source'].strip()} (per USD, crossed with the ECB USD rate of {usd[1]})"
    return ExchangeRateIn(currency=row["currency"].strip().upper(), rate_date=day, units_per_eur=units, source=source)
