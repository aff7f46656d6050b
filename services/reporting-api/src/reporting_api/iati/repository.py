"""SQL of the IATI exchange: the readable projects among those asked for, their frameworks, their approved values."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from reporting_api.frameworks.models import Result
from reporting_api.projects.models import ProjectCopy
from reporting_api.projects.repository import scope_clause
from reporting_api.reports.models import Report, ReportValue


async def readable_by_copy(
    session: AsyncSession, principal: Principal | None, ids: Sequence[uuid.UUID]
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """(ids the local copy says the caller may read, ids the copy does not hold yet)."""
    rows = await session.execute(
        select(ProjectCopy.id, or_(ProjectCopy.is_public, scope_clause(principal, Role.viewer, ProjectCopy.id))).where(
            ProjectCopy.id.in_(ids)
        )
    )
    held = {pid: bool(ok) for pid, ok in rows.all()}
    return {pid for pid, ok in held.items() if ok}, set(ids) - set(held)


# The answer of GET /iati/results built whole by PostgreSQL (json_agg), in the shape of schemas.IatiResultsPage: the
# export asks for every project of the portfolio, and building it from ORM objects and models cost more than
# projects-api's XML. Numbers are sent as their text (as the models' Decimals are); a target without period code is
# the overall one (null period); a baseline only when it has a value or a note. Constant text, ids bound.
# Each table is reached by its project index with `= ANY(ids)`: written as `IN (SELECT id FROM asked)`, PostgreSQL
# hash-joined the CTE against whole tables (report, project_indicator, result: a sequential scan of each per batch of
# 100 projects, which grows with every project there is).
_RESULTS_PAGE = text("""
WITH asked AS (
    SELECT a.id, a.ord FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS a(id, ord)
), actual AS (
    SELECT v.project_indicator_id AS pi_id, json_agg(json_build_object(
            'period', r.period_code, 'start', r.period_start, 'end', r.period_end,
            'disaggregation', v.disaggregation, 'value', v.value::text, 'text', v.text_value, 'comment', v.comment)
        ORDER BY r.period_start, v.disaggregation_key, r.id) AS actuals
    FROM report r JOIN report_value v ON v.report_id = r.id
    WHERE r.project_id = ANY(CAST(:ids AS uuid[])) AND r.status = 'approved'
    GROUP BY v.project_indicator_id
), goal AS (
    SELECT t.project_indicator_id AS pi_id, json_agg(json_build_object(
            'period', NULLIF(t.period_code, ''), 'start', t.period_start, 'end', t.period_end,
            'disaggregation', t.disaggregation, 'value', t.value::text)
        ORDER BY t.period_start NULLS FIRST, t.disaggregation_key, t.id) AS targets
    FROM target t JOIN project_indicator pi ON pi.id = t.project_indicator_id
    WHERE pi.project_id = ANY(CAST(:ids AS uuid[]))
    GROUP BY t.project_indicator_id
), measured AS (
    SELECT pi.result_id, json_agg(json_build_object(
            'code', i.code, 'name', i.name, 'language', i.language, 'names', i.names, 'definition', i.definition,
            'definitions', i.definitions, 'measure', i.measure, 'direction', i.direction, 'unit', i.unit,
            'baseline', CASE WHEN pi.baseline_value IS NOT NULL OR coalesce(pi.baseline_note, '') <> '' THEN
                json_build_object('value', pi.baseline_value::text, 'date', pi.baseline_date, 'note', pi.baseline_note)
            END,
            'targets', coalesce(goal.targets, '[]'::json), 'actuals', coalesce(actual.actuals, '[]'::json))
        ORDER BY pi.position, pi.id) AS indicators
    FROM project_indicator pi
    JOIN indicator i ON i.id = pi.indicator_id
    LEFT JOIN goal ON goal.pi_id = pi.id
    LEFT JOIN actual ON actual.pi_id = pi.id
    WHERE pi.project_id = ANY(CAST(:ids AS uuid[]))
    GROUP BY pi.result_id
), framework AS (
    SELECT r.project_id, json_agg(json_build_object(
            'kind', r.kind, 'title', r.title, 'language', r.language, 'titles', r.titles,
            'description', r.description, 'descriptions', r.descriptions,
            'indicators', coalesce(measured.indicators, '[]'::json))
        ORDER BY r.position, r.created_at, r.id) AS results
    FROM result r LEFT JOIN measured ON measured.result_id = r.id
    WHERE r.project_id = ANY(CAST(:ids AS uuid[]))
    GROUP BY r.project_id
)
SELECT json_build_object('projects', coalesce(json_agg(
        json_build_object('project_id', asked.id, 'results', framework.results) ORDER BY asked.ord), '[]'::json))::text
FROM asked JOIN framework ON framework.project_id = asked.id
""")


async def results_page_json(session: AsyncSession, ids: Sequence[uuid.UUID]) -> str:
    """The results of these projects (already checked readable, in the order asked), as the answer's JSON text;
    projects without results are left out."""
    return str(await session.scalar(_RESULTS_PAGE, {"ids": list(ids)}))


async def reported_value_count(session: AsyncSession, project_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(ReportValue)
        .join(Report, Report.id == ReportValue.report_id)
        .where(Report.project_id == project_id)
    )
    return int(count or 0)


async def drop_framework(session: AsyncSession, project_id: uuid.UUID) -> None:
    """The project's reports (without values: checked before) and results, for a framework replaced from IATI."""
    await session.execute(delete(Report).where(Report.project_id == project_id))
    await session.execute(delete(Result).where(Result.project_id == project_id))
