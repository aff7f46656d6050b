"""SQL of exports: one streamed query over the values a caller may read."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from registry_kit.auth import Principal, Role
from registry_kit.spreadsheet import FORMULA_STARTS
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
    """The export's rows in the export's order: project, indicator code, period start, disaggregation.

    The order is given by sorting the values before the project code and the indicator name join them, then joining
    those two in an order-keeping way (a merge join on the project id, a lookup per indicator): the sort then moves
    narrower rows. Sorting the joined rows whole was more than half of a million-value export (BENCHMARKS.md,
    Round 4: PostgreSQL's CPU for a million values 5.9–7.8 s → 3.7–5.1 s)."""
    conditions: list[ColumnElement[bool]] = [readable_values(principal, include_unapproved)]
    if project_id:
        conditions.append(Report.project_id == project_id)
    if indicator:
        conditions.append(Indicator.code == indicator)
    if start:
        conditions.append(Report.period_start >= start)
    if end:
        conditions.append(Report.period_end <= end)
    ordered = (
        select(
            Report.project_id,
            ProjectIndicator.indicator_id,
            Indicator.code.label("indicator"),
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
            Report.id.label("report_id"),
        )
        .select_from(ReportValue)
        .join(Report, Report.id == ReportValue.report_id)
        .join(ProjectIndicator, ProjectIndicator.id == ReportValue.project_indicator_id)
        .join(Indicator, Indicator.id == ProjectIndicator.indicator_id)
        .where(*conditions)
        .order_by(Report.project_id, Indicator.code, Report.period_start, ReportValue.disaggregation_key)
        .subquery("ordered")
    )
    named = aliased(Indicator, name="named")
    v = ordered.c
    return (
        select(
            ProjectCopy.code,
            v.project_id,
            v.indicator,
            named.name,
            v.period_code,
            v.period_start,
            v.period_end,
            v.disaggregation_key,
            v.value,
            v.numerator,
            v.denominator,
            v.text_value,
            v.comment,
            v.status,
            v.report_id,
        )
        .select_from(ordered)
        .join(named, named.id == v.indicator_id)
        .outerjoin(ProjectCopy, ProjectCopy.id == v.project_id)
        .order_by(v.project_id, v.indicator, v.period_start, v.disaggregation_key)
    )


def csv_query(query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """The export's rows as PostgreSQL should write them for CSV: text that a spreadsheet would run as a formula
    gets a leading apostrophe (registry_kit.spreadsheet's rule), empty text is written as an empty cell."""
    rows = query.order_by(None).subquery()
    cells = []
    for column, (name, kind) in zip(rows.c, COLUMN_KINDS, strict=True):
        cells.append(_safe_text(column).label(name) if kind == "text" else column.label(name))
    c = list(rows.c)
    return select(*cells).order_by(c[1], c[2], c[5], c[7])  # project, indicator, period start, disaggregation


COLUMN_KINDS = (
    ("project_code", "text"),
    ("project_id", "id"),
    ("indicator", "text"),
    ("indicator_name", "text"),
    ("period", "text"),
    ("period_start", "date"),
    ("period_end", "date"),
    ("disaggregation", "text"),
    ("value", "number"),
    ("numerator", "number"),
    ("denominator", "number"),
    ("text_value", "text"),
    ("comment", "text"),
    ("status", "text"),
    ("report_id", "id"),
)


def _safe_text(column: Any) -> Any:
    text = func.nullif(column, "")
    return case((func.left(text, 1).in_(FORMULA_STARTS), literal("'") + text), else_=text)
