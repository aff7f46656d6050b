"""The rules a value must follow for its indicator: its type, its range, its disaggregation."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from registry_kit.errors import FieldError, field_error
from reporting_api.indicators.models import Indicator

MAX_VALUE = Decimal("1e15")


def allowed_values(indicator: Indicator) -> dict[str, set[str]]:
    return {d["code"]: {v["code"] for v in d.get("values", [])} for d in indicator.dimensions}


def disaggregation_errors(indicator: Indicator, disaggregation: Mapping[str, Any], field: str) -> list[FieldError]:
    allowed = allowed_values(indicator)
    errors = []
    for dimension, value in disaggregation.items():
        if dimension not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            errors.append(
                field_error(
                    f"{field}.{dimension}",
                    f"{indicator.code} has no dimension {dimension} (it has: {known})",
                    "unknown_dimension",
                )
            )
        elif str(value) not in allowed[dimension]:
            errors.append(
                field_error(
                    f"{field}.{dimension}",
                    f"'{value}' is not an allowed value of {dimension} (allowed: {', '.join(sorted(allowed[dimension]))})",
                    "unknown_value",
                )
            )
    return errors


def number_errors(indicator: Indicator, value: Decimal | None, field: str) -> list[FieldError]:
    if value is None:
        return []
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        return [field_error(field, "not a finite number below 10^15", "range")]
    if indicator.measure == "percent" and not Decimal(0) <= value <= Decimal(100):
        return [field_error(field, f"a percentage must be between 0 and 100, not {value}", "range")]
    if indicator.measure in ("number", "currency", "ratio") and value < 0:
        return [field_error(field, f"{indicator.code} counts something; {value} is negative", "range")]
    return []


def value_errors(
    indicator: Indicator,
    *,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    text: str | None = None,
    field: str,
) -> list[FieldError]:
    """What is wrong with a value of this indicator (empty when nothing)."""
    if indicator.measure == "qualitative":
        if value is not None or numerator is not None or denominator is not None:
            return [field_error(f"{field}.value", f"{indicator.code} is qualitative: send text_value", "type")]
        if not text:
            return [field_error(f"{field}.text_value", "a qualitative indicator needs a text answer", "required")]
        return []
    if text is not None:
        return [field_error(f"{field}.text_value", f"{indicator.code} is {indicator.measure}, not text", "type")]
    if indicator.measure in ("ratio", "percent") and (numerator is not None or denominator is not None):
        return fraction_errors(indicator, value, numerator, denominator, field)
    if numerator is not None or denominator is not None:
        return [field_error(f"{field}.numerator", f"{indicator.code} is not a ratio or a percentage", "type")]
    if value is None:
        return [field_error(f"{field}.value", "a value is required", "required")]
    return number_errors(indicator, value, f"{field}.value")


def fraction_errors(
    indicator: Indicator, value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None, field: str
) -> list[FieldError]:
    """A percentage or ratio given as numerator and denominator (how they combine across periods and projects):
    both needed, counts that are not negative, a denominator above 0, a percentage's numerator not above it, and a
    value, if given too, that says the same (to four decimal places)."""
    if numerator is None or denominator is None:
        return [field_error(f"{field}.denominator", "give both numerator and denominator", "required")]
    for name, number in (("numerator", numerator), ("denominator", denominator)):
        if not number.is_finite() or abs(number) >= MAX_VALUE or number < 0:
            return [field_error(f"{field}.{name}", f"the {name} must be a count from 0 below 10^15", "range")]
    if denominator == 0:
        return [field_error(f"{field}.denominator", "the denominator may not be 0", "range")]
    scale = Decimal(100) if indicator.measure == "percent" else Decimal(1)
    if indicator.measure == "percent" and numerator > denominator:
        return [field_error(f"{field}.numerator", "a percentage's numerator cannot exceed its denominator", "range")]
    if value is not None and abs(value - numerator / denominator * scale) >= Decimal("0.0001"):
        computed = (numerator / denominator * scale).quantize(Decimal("0.0001"))
        return [field_error(f"{field}.value", f"{value} is not {numerator} / {denominator} ({computed})", "mismatch")]
    return []


def parse_decimal(text: str) -> Decimal | None:
    """A number as people write it in files: `1234.5`, `1 234,5` is refused (ambiguous); empty is None."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"'{text}' is not a number") from exc
    if not number.is_finite():
        raise ValueError(f"'{text}' is not a finite number")
    return number
