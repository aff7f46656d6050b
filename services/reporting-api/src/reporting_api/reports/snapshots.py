"""A value as the audit history writes it: the same form whether it is saved, imported or shown as it was created."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reporting_api.reports.models import ReportValue


def decimal_text(value: Decimal | None) -> str | None:
    """A number as plain text without trailing zeros: the stored 100.0000 and the sent 100 are one value ("100"),
    so saving a value unchanged is no change in the history."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def snapshot(v: ReportValue) -> dict[str, Any]:
    return {
        "disaggregation": v.disaggregation,
        "value": decimal_text(v.value),
        "numerator": decimal_text(v.numerator),
        "denominator": decimal_text(v.denominator),
        "text_value": v.text_value,
        "comment": v.comment,
        "incomplete": v.incomplete,
    }
