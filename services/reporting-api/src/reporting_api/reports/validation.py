"""The checks a report passes on submit: types and ranges, disaggregations that add up, outliers as warnings."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from registry_kit.errors import FieldError, field_error
from reporting_api.frameworks.models import ProjectIndicator
from reporting_api.reports.models import ReportValue
from reporting_api.values import allowed_values, disaggregation_errors, value_errors

OUTLIER_FACTOR = 3.0


def _where(pi: ProjectIndicator, key: str) -> str:
    return f"values[{pi.indicator.code}{'|' + key if key else ''}]"


def check_report(
    values: Sequence[ReportValue], indicators: dict[uuid.UUID, ProjectIndicator], history: dict[uuid.UUID, list[float]]
) -> tuple[list[FieldError], list[FieldError]]:
    """(errors, warnings) for a report's values."""
    errors: list[FieldError] = []
    warnings: list[FieldError] = []
    by_pi: dict[uuid.UUID, list[ReportValue]] = defaultdict(list)
    for v in values:
        pi = indicators[v.project_indicator_id]
        where = _where(pi, v.disaggregation_key)
        errors += value_errors(
            pi.indicator,
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
            text=v.text_value,
            field=where,
        )
        errors += disaggregation_errors(pi.indicator, v.disaggregation, f"{where}.disaggregation")
        by_pi[v.project_indicator_id].append(v)
    for pi_id, rows in by_pi.items():
        pi = indicators[pi_id]
        sums, flags = _sum_checks(pi, rows)
        errors += sums
        warnings += flags
        warnings += _outliers(pi, rows, history.get(pi_id, []))
    return errors, warnings


def _sum_checks(pi: ProjectIndicator, rows: list[ReportValue]) -> tuple[list[FieldError], list[FieldError]]:
    """For additive indicators: each dimension's values must add up to the total when all are given; partial
    breakdowns are refused unless the total is marked incomplete (then they are a warning)."""
    indicator = pi.indicator
    if indicator.aggregation != "sum" or indicator.measure not in ("number", "currency"):
        return [], []
    total = next((r for r in rows if r.disaggregation_key == ""), None)
    errors: list[FieldError] = []
    warnings: list[FieldError] = []
    allowed = allowed_values(indicator)
    for dimension, values in allowed.items():
        parts = [r for r in rows if list(r.disaggregation) == [dimension] and r.value is not None]
        if not parts:
            continue
        where = f"{_where(pi, '')}.{dimension}"
        if total is None or total.value is None:
            errors.append(field_error(where, f"values by {dimension} need a total", "total_missing"))
            continue
        given = {str(r.disaggregation[dimension]) for r in parts}
        part_sum = sum((r.value for r in parts if r.value is not None), Decimal(0))
        if given >= values:
            if part_sum != total.value:
                errors.append(
                    field_error(
                        where, f"the values by {dimension} add up to {part_sum}, not to the total {total.value}", "sum"
                    )
                )
        elif part_sum > total.value:
            errors.append(
                field_error(where, f"the values by {dimension} ({part_sum}) exceed the total {total.value}", "sum")
            )
        elif total.incomplete:
            missing = ", ".join(sorted(values - given))
            warnings.append(field_error(where, f"marked incomplete: no values for {missing}", "incomplete"))
        else:
            missing = ", ".join(sorted(values - given))
            errors.append(
                field_error(where, f"no values for {missing}: give them, or mark the total as incomplete", "incomplete")
            )
    return errors, warnings


def _outliers(pi: ProjectIndicator, rows: list[ReportValue], history: list[float]) -> list[FieldError]:
    if len(history) < 2:
        return []
    middle = statistics.median(history)
    total = next((r for r in rows if r.disaggregation_key == "" and r.value is not None), None)
    if total is None or total.value is None or middle <= 0:
        return []
    value = float(total.value)
    if value > middle * OUTLIER_FACTOR or value < middle / OUTLIER_FACTOR:
        return [
            field_error(
                _where(pi, ""), f"{total.value} is far from this indicator's history (median {middle:g})", "outlier"
            )
        ]
    return []
