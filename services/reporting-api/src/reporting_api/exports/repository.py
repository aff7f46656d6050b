"""SQL of exports: one streamed query over the values a caller may read."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select

from registry_kit.auth import Principal, Role
from reporting_api.frameworks.models import ProjectIndicator
from reporting_api.indicators.models import Indicator
from reporting_api.projects.models import ProjectCopy
from reporting_api.projects.repository import public_clause, scope_clause
from reporting_api.reports.models import Report, ReportValue


def readable_values(principal: Principal | None, include_unapproved: bool) -> ColumnElement[bool]:
    """Approved values of public projects or of projects the caller views; others only for their reporters."""
    approved = and_(
        Report.status == "approved",
        or_(public_clause(Report.project_id), scope_clause(principal, Role.viewer, Report.project_id)),
    )
    if not include_unapproved:
        return approved
    return or_(approved, scope_clause(principal, Role.reporter, Report.project_id))


def values_query(
    principal: Principal | None,
    *,
    include_unapproved: bool,
    project_id: uuid.UUID | None,
    indicator: str | None,
    start: date | None,
    end: date | None,
) -> Select[*tuple[Any, ...]]:
    conditions: list[ColumnElement[bool]] = [readable_values(principal, include_unapproved)]
    if project_id:
        conditions.append(Report.project_id == project_id)
    if indicator:
        conditions.append(Indicator.code == indicator)
    if start:
        conditions.append(Report.period_start >= start)
    if end:
        conditions.append(Report.period_end <= end)
    return (
        select(
            ProjectCopy.code,
            Report.project_id,
            Indicator.code,
            Indicator.name,
            Report.period_code,
            Report.period_start,
            Report.period_end,
            ReportValue.disaggregation_key,
            ReportValue.value,
            ReportValue.numerator,
            ReportValue.denominator,
            ReportValue.text_value,
            ReportValue.comment,
            Report.status,
            Report.id,
        )  # fmt: skip
        .select_from(ReportValue)
        .join(Report, Report.id == ReportValue.report_id)
        .join(ProjectIndicator, ProjectIndicator.id == ReportValue.project_indicator_id)
        .join(Indicator, Indicator.id == ProjectIndicator.indicator_id)
        .outerjoin(ProjectCopy, ProjectCopy.id == Report.project_id)
        .where(*conditions)
        .order_by(Report.project_id, Indicator.code, Report.period_start, ReportValue.disaggregation_key)
    )
