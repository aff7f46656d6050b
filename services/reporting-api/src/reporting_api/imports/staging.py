"""SQL of the import: COPY rows into a staging table, check them as sets, apply them as sets.

All statements work on the whole file at once; none runs per row, so a million values take a few statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

STAGING = "import_staging"
COLUMNS = (
    "row_no", "project", "indicator_id", "period_code", "period_start", "period_end", "dkey", "disagg", "value",
    "numerator", "denominator", "text_value", "comment", "incomplete",
)  # fmt: skip
Record = tuple[
    int, str, uuid.UUID, str, date, date, str, str, Decimal | None, Decimal | None, Decimal | None, str | None,
    str | None, bool,
]  # fmt: skip

_CREATE = text(
    """
    CREATE TEMP TABLE import_staging (
        row_no int NOT NULL, project text NOT NULL, indicator_id uuid NOT NULL, period_code text NOT NULL,
        period_start date NOT NULL, period_end date NOT NULL, dkey text NOT NULL, disagg jsonb NOT NULL,
        value numeric(20, 4), numerator numeric(20, 4), denominator numeric(20, 4), text_value text, comment text,
        incomplete boolean NOT NULL, project_id uuid, pi_id uuid, report_id uuid
    ) ON COMMIT DROP
    """
)


async def create(session: AsyncSession) -> None:
    await session.execute(text("DROP TABLE IF EXISTS import_staging"))
    await session.execute(_CREATE)


async def drop(session: AsyncSession) -> None:
    await session.execute(text("DROP TABLE IF EXISTS import_staging"))


async def copy(session: AsyncSession, records: Sequence[Record]) -> None:
    """COPY a batch into the staging table over the session's own connection (binary protocol)."""
    if not records:
        return
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    await driver.copy_records_to_table(STAGING, records=records, columns=COLUMNS)


async def resolve_projects(session: AsyncSession) -> list[tuple[int, str, str]]:
    """Project codes (local copy) or ids; conflicts for the rest. First the planner learns the staged rows."""
    await session.execute(text("ANALYZE import_staging"))
    await session.execute(
        text("UPDATE import_staging s SET project_id = p.id FROM project_copy p WHERE p.code = s.project")
    )
    await session.execute(
        text(
            "UPDATE import_staging SET project_id = project::uuid WHERE project_id IS NULL "
            "AND project ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"
        )
    )
    rows = await session.execute(
        text(
            "SELECT row_no, 'project', 'no project ' || quote_literal(project) || ' (use its code or id)' "
            "FROM import_staging WHERE project_id IS NULL ORDER BY row_no"
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def projects(session: AsyncSession) -> list[tuple[uuid.UUID, int, int]]:
    """The projects the file touches: (id, first row, number of rows)."""
    rows = await session.execute(
        text(
            "SELECT project_id, min(row_no), count(*) FROM import_staging WHERE project_id IS NOT NULL "
            "GROUP BY project_id ORDER BY min(row_no)"
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def drop_project_rows(session: AsyncSession, project_ids: Iterable[uuid.UUID]) -> None:
    ids = list(project_ids)
    if ids:
        await session.execute(
            text("UPDATE import_staging SET project_id = NULL WHERE project_id = ANY(:ids)"), {"ids": ids}
        )


async def check(session: AsyncSession) -> list[tuple[int, str, str]]:
    """Indicators outside the project's framework, rows given twice, reports that are locked."""
    await session.execute(
        text(
            "UPDATE import_staging s SET pi_id = pi.id FROM project_indicator pi "
            "WHERE pi.project_id = s.project_id AND pi.indicator_id = s.indicator_id"
        )
    )
    await session.execute(
        text(
            "UPDATE import_staging s SET report_id = r.id FROM report r "
            "WHERE r.project_id = s.project_id AND r.period_code = s.period_code"
        )
    )
    rows = await session.execute(
        text(
            """
            SELECT s.row_no, 'indicator', 'indicator ' || i.code || ' is not in the results framework of project '
                   || s.project_id
            FROM import_staging s JOIN indicator i ON i.id = s.indicator_id
            WHERE s.project_id IS NOT NULL AND s.pi_id IS NULL
            UNION ALL
            SELECT s.row_no, 'period', 'the report for ' || s.period_code || ' is ' || r.status || ' and locked'
            FROM import_staging s JOIN report r ON r.id = s.report_id
            WHERE r.status IN ('submitted', 'approved')
            UNION ALL
            SELECT row_no, 'value', 'the same value is given again (first at row ' || first || ')'
            FROM (
                SELECT row_no, min(row_no) OVER w AS first, row_number() OVER (w ORDER BY row_no) AS n
                FROM import_staging WHERE project_id IS NOT NULL
                WINDOW w AS (PARTITION BY project_id, indicator_id, period_code, dkey)
            ) d WHERE n > 1
            ORDER BY 1
            """
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def create_reports(session: AsyncSession, actor: str) -> int:
    """Draft reports for the (project, period) pairs that have none; the staging rows learn their report."""
    created = await session.execute(
        text(
            """
            WITH new AS (
                INSERT INTO report (id, project_id, period_code, period_start, period_end, status, warnings,
                                    created_by, is_illustrative, version)
                SELECT DISTINCT ON (project_id, period_code) gen_random_uuid(), project_id, period_code,
                       period_start, period_end, 'draft', '[]'::jsonb, :actor, false, 1
                FROM import_staging WHERE report_id IS NULL
                ORDER BY project_id, period_code
                ON CONFLICT (project_id, period_code) DO NOTHING
                RETURNING id
            )
            INSERT INTO report_event (report_id, action, to_status, actor, comment)
            SELECT id, 'create', 'draft', :actor, 'created by an import' FROM new
            RETURNING report_id
            """
        ),
        {"actor": actor},
    )
    count = len(created.all())
    await session.execute(
        text(
            "UPDATE import_staging s SET report_id = r.id FROM report r "
            "WHERE s.report_id IS NULL AND r.project_id = s.project_id AND r.period_code = s.period_code"
        )
    )
    return count


_SNAPSHOT = """jsonb_build_object('disaggregation', {p}disaggregation, 'value', {p}value::text,
    'numerator', {p}numerator::text, 'denominator', {p}denominator::text, 'text_value', {p}text_value,
    'comment', {p}comment, 'incomplete', {p}incomplete)"""
_OLD = _SNAPSHOT.format(p="rv.")
_NEW = _SNAPSHOT.format(p="s.").replace("s.disaggregation", "s.disagg")
_SAME = (
    "rv.value IS NOT DISTINCT FROM s.value AND rv.numerator IS NOT DISTINCT FROM s.numerator "
    "AND rv.denominator IS NOT DISTINCT FROM s.denominator AND rv.text_value IS NOT DISTINCT FROM s.text_value "
    "AND rv.comment IS NOT DISTINCT FROM s.comment AND rv.incomplete = s.incomplete"
)
_MATCH = "rv.report_id = s.report_id AND rv.project_indicator_id = s.pi_id AND rv.disaggregation_key = s.dkey"

INSERT_NEW = text(
    f"""
    WITH ins AS (
        INSERT INTO report_value (id, report_id, project_indicator_id, disaggregation, disaggregation_key, value,
                                  numerator, denominator, text_value, comment, incomplete, updated_by)
        SELECT gen_random_uuid(), s.report_id, s.pi_id, s.disagg, s.dkey, s.value, s.numerator, s.denominator,
               s.text_value, s.comment, s.incomplete, :actor
        FROM import_staging s
        WHERE NOT EXISTS (SELECT 1 FROM report_value rv WHERE {_MATCH})
        RETURNING report_id, project_indicator_id, disaggregation_key, {_SNAPSHOT.format(p="")} AS after
    )
    INSERT INTO value_audit (report_id, project_indicator_id, disaggregation_key, action, after, actor, via)
    SELECT report_id, project_indicator_id, disaggregation_key, 'create', after, :actor, 'import' FROM ins
    RETURNING report_id
    """  # noqa: S608 (constant fragments, no input)
)

UPDATE_CHANGED = text(
    f"""
    WITH old AS (
        SELECT rv.id, {_OLD} AS before
        FROM report_value rv JOIN import_staging s ON {_MATCH} WHERE NOT ({_SAME})
    ), upd AS (
        UPDATE report_value rv SET value = s.value, numerator = s.numerator, denominator = s.denominator,
               text_value = s.text_value, comment = s.comment, incomplete = s.incomplete, updated_by = :actor,
               updated_at = now()
        FROM import_staging s WHERE {_MATCH} AND NOT ({_SAME})
        RETURNING rv.id, rv.report_id, rv.project_indicator_id, rv.disaggregation_key, {_NEW} AS after
    )
    INSERT INTO value_audit (report_id, project_indicator_id, disaggregation_key, action, before, after, actor, via)
    SELECT upd.report_id, upd.project_indicator_id, upd.disaggregation_key, 'update', old.before, upd.after, :actor,
           'import'
    FROM upd JOIN old ON old.id = upd.id
    RETURNING report_id
    """  # noqa: S608 (constant fragments, no input)
)

DELETE_LISTED = text(
    f"""
    WITH del AS (
        DELETE FROM report_value rv USING import_staging s WHERE {_MATCH}
        RETURNING rv.report_id, rv.project_indicator_id, rv.disaggregation_key, {_OLD} AS before
    )
    INSERT INTO value_audit (report_id, project_indicator_id, disaggregation_key, action, before, actor, via)
    SELECT report_id, project_indicator_id, disaggregation_key, 'delete', before, :actor, 'import' FROM del
    RETURNING report_id
    """  # noqa: S608 (constant fragments, no input)
)

DELETE_UNLISTED = text(
    f"""
    WITH del AS (
        DELETE FROM report_value rv
        WHERE rv.report_id IN (SELECT DISTINCT report_id FROM import_staging)
          AND NOT EXISTS (SELECT 1 FROM import_staging s WHERE {_MATCH})
        RETURNING rv.report_id, rv.project_indicator_id, rv.disaggregation_key, {_OLD} AS before
    )
    INSERT INTO value_audit (report_id, project_indicator_id, disaggregation_key, action, before, actor, via)
    SELECT report_id, project_indicator_id, disaggregation_key, 'delete', before, :actor, 'import' FROM del
    RETURNING report_id
    """  # noqa: S608 (constant fragments, no input)
)


async def apply(session: AsyncSession, strategy: str, replace: bool, actor: str) -> dict[str, int]:
    """Write the staged values by the strategy; counts of imported, updated, ignored and deleted values."""
    await session.execute(text("ANALYZE import_staging"))  # its report and framework ids are known now
    total = int(await session.scalar(text("SELECT count(*) FROM import_staging")) or 0)
    touched: set[uuid.UUID] = set()
    counts = {"imported": 0, "updated": 0, "deleted": 0}

    async def run(statement: Any, key: str) -> None:
        rows = (await session.execute(statement, {"actor": actor})).all()
        counts[key] += len(rows)
        touched.update(r[0] for r in rows)

    if strategy == "delete":
        await run(DELETE_LISTED, "deleted")
    else:
        if replace:
            await run(DELETE_UNLISTED, "deleted")
        if strategy in ("create", "create_and_update"):
            await run(INSERT_NEW, "imported")
        if strategy in ("update", "create_and_update"):
            await run(UPDATE_CHANGED, "updated")
    listed_deleted = counts["deleted"] if strategy == "delete" else 0
    counts["ignored"] = total - counts["imported"] - counts["updated"] - listed_deleted
    if strategy == "create":
        counts["ignored"] = total - counts["imported"]
    if touched:
        await session.execute(
            text("UPDATE report SET version = version + 1, updated_at = now() WHERE id = ANY(:ids)"),
            {"ids": list(touched)},
        )
    return counts
