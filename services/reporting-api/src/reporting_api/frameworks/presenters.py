"""A results framework's rows as the API shows them."""

from __future__ import annotations

from registry_kit.presenting import from_row
from reporting_api.frameworks.models import ProjectIndicator as ProjectIndicatorRow
from reporting_api.frameworks.models import Result as ResultRow
from reporting_api.frameworks.schemas import IndicatorRef, ProjectIndicator, Result, TargetOut


def project_indicator_out(pi: ProjectIndicatorRow) -> ProjectIndicator:
    return ProjectIndicator(
        id=pi.id,
        result_id=pi.result_id,
        indicator=IndicatorRef.model_validate(pi.indicator),
        position=pi.position,
        frequency=pi.frequency,
        baseline_value=pi.baseline_value,
        baseline_date=pi.baseline_date,
        baseline_note=pi.baseline_note,
        targets=[
            TargetOut(
                period=t.period_code or None,
                period_start=t.period_start,
                period_end=t.period_end,
                disaggregation=t.disaggregation,
                value=t.value,
            )
            for t in pi.targets
        ],
    )


def result_out(result: ResultRow) -> Result:
    return from_row(Result, result, indicators=[project_indicator_out(pi) for pi in result.indicators])
