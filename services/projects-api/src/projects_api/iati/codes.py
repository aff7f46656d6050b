"""The registry's values and their IATI 2.03 codes, both ways (one table per codelist)."""

from __future__ import annotations

from projects_api.reference.data import (
    ACTIVITY_STATUS_IATI,
    PARTICIPANT_ROLE_IATI,
    TRANSACTION_TYPE_IATI,
)

STATUS = {str(k): v for k, v in ACTIVITY_STATUS_IATI.items()}
ROLE = {str(k): v for k, v in PARTICIPANT_ROLE_IATI.items()}
TRANSACTION = {str(k): v for k, v in TRANSACTION_TYPE_IATI.items()}
BUDGET_TYPE = {"original": "1", "revised": "2"}
BUDGET_STATUS = {"indicative": "1", "committed": "2"}
RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3"}
# IndicatorMeasure: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative.
MEASURE = {"number": "1", "currency": "1", "ratio": "1", "percent": "2", "qualitative": "5"}
MEASURE_IN = {"1": "number", "2": "percent", "3": "qualitative", "4": "number", "5": "qualitative"}
DATE_TYPES = (("planned_start", "1"), ("actual_start", "2"), ("planned_end", "3"), ("actual_end", "4"))
DAC_5_DIGIT = "1"  # SectorVocabulary: OECD DAC CRS purpose codes (5 digit)
INDICATOR_REPORTING_ORG = "99"  # IndicatorVocabulary: the reporting organisation's own (our catalogue codes)
ISO_COUNTRY = "A4"  # GeographicVocabulary: ISO 3166-1 alpha-2, used for a location's country


def reverse(table: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ours, theirs in table.items():
        out.setdefault(theirs, ours)
    return out
