"""SQL of the import: COPY the file's rows as text into a staging table, check them as sets, apply them as sets.

All statements work on the whole file at once; none runs per row, so a million values take a few statements. What
needs Python (period codes, disaggregations against an indicator's dimensions) is resolved once per distinct value
into small map tables that the checks join.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

STAGING = "import_staging"
TEMP_TABLES = ("import_raw", "import_period", "import_disagg", "import_project", "import_staging")
WS = " \\t\\n\\r\\f\\v\\u00a0"  # what str.strip() removes around a cell, as the body of a PostgreSQL E'' string

_CREATE_RAW = """
    CREATE TEMP TABLE import_raw (
        row_no int NOT NULL, project text, indicator text, period text, value text, disaggregation text,
        comment text, numerator text, denominator text, incomplete text, disagg_json boolean NOT NULL DEFAULT false,
        error text
    ) ON COMMIT DROP
"""
PERIOD_COLUMNS = ("raw", "code", "period_start", "period_end", "error", "frequencies")
DISAGG_COLUMNS = ("indicator", "raw", "is_json", "dkey", "disagg", "parse_error", "errors")
_CREATE_MAPS = (
    "CREATE TEMP TABLE import_period (raw text PRIMARY KEY, code text, period_start date, period_end date, "
    "error text, frequencies text[]) ON COMMIT DROP",
    "CREATE TEMP TABLE import_disagg (indicator text, raw text, is_json boolean, dkey text, disagg jsonb, "
    "parse_error text, errors jsonb, PRIMARY KEY (indicator, raw, is_json)) ON COMMIT DROP",
)
_CREATE = """
    CREATE TEMP TABLE import_staging (
        row_no int NOT NULL, project text NOT NULL, indicator_id uuid, period_code text, period_start date,
        period_end date, dkey text, disagg jsonb, value numeric(20, 4), numerator numeric(20, 4),
        denominator numeric(20, 4), text_value text, comment text, incomplete boolean NOT NULL, problems jsonb,
        project_id uuid, pi_id uuid, report_id uuid, new_report boolean NOT NULL DEFAULT false
    ) ON COMMIT DROP
"""


async def create(session: AsyncSession, work_mem_mb: int) -> None:
    """The staging tables, for this transaction. The import's sorts and hashes over the whole file (duplicates,
    distinct reports, the checked rows) get `work_mem_mb` of memory, so they stay in memory."""
    await session.execute(text(f"SET LOCAL work_mem = '{int(work_mem_mb)}MB'"))
    await drop(session)
    for statement in (_CREATE_RAW, *_CREATE_MAPS, _CREATE):
        await session.execute(text(statement))


async def drop(session: AsyncSession) -> None:
    await session.execute(text(f"DROP TABLE IF EXISTS {', '.join(TEMP_TABLES)}"))


async def _driver(session: AsyncSession) -> Any:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def copy_raw(session: AsyncSession, columns: Sequence[str], records: Any) -> None:
    """COPY the file's rows (an iterable or async iterable of tuples) into import_raw over the session's own
    connection, in one statement: PostgreSQL takes rows while Python reads the next ones."""
    await (await _driver(session)).copy_records_to_table("import_raw", records=records, columns=list(columns))


async def copy_map(
    session: AsyncSession, table: str, columns: Sequence[str], records: Sequence[tuple[Any, ...]]
) -> None:
    if records:
        await (await _driver(session)).copy_records_to_table(table, records=records, columns=list(columns))


def _trim(column: str) -> str:
    return f"btrim(coalesce({column}, ''), E'{WS}')"


async def distinct_keys(session: AsyncSession) -> list[tuple[str, str, str, bool]]:
    """The distinct (indicator, period, disaggregation, is JSON) of the file, trimmed: few, whatever its size."""
    rows = await session.execute(
        text(
            f"SELECT DISTINCT {_trim('indicator')}, {_trim('period')}, {_trim('disaggregation')}, disagg_json "  # noqa: S608
            "FROM import_raw"
        )
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def resolve_projects(session: AsyncSession) -> None:
    """Each distinct project of the file once: its code in the local copy, or an id."""
    await session.execute(
        text(
            f"""
            CREATE TEMP TABLE import_project ON COMMIT DROP AS
            SELECT DISTINCT ON (x.project) x.project, coalesce(pc.id, CASE WHEN x.project ~*
                   '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$'
                   THEN x.project::uuid END) AS id
            FROM (SELECT DISTINCT {_trim("project")} AS project FROM import_raw) x
            LEFT JOIN project_copy pc ON pc.code = x.project
            ORDER BY x.project, pc.synced_at DESC
            """  # noqa: S608 (constant fragments, no input)
        )
    )
    await session.execute(text("ANALYZE import_project"))


_NOT_FINITE = "('inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity', 'nan', '+nan', '-nan', 'snan')"
_NUMBERS = ("value", "numerator", "denominator")
_DECIMAL = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _one(field: str, message: str) -> str:
    return f"jsonb_build_array(jsonb_build_array('{field}', {message}))"


def _cleaned(column: str) -> str:
    """parse_decimal's cleaning of a number cell, as the column `c_x`."""
    # Python's Decimal drops underscores; what is left must be a plain decimal number (a pattern rather than
    # PostgreSQL 16's pg_input_is_valid: the same on PostgreSQL 15, and no hexadecimal, which Decimal refuses).
    return f"replace(replace(replace({_trim(column)}, E'\\u00a0', ''), ' ', ''), '_', '') AS c_{column}"


def _kind(column: str) -> str:
    """What the cleaned text `c_x` is, as the column `k_x`: '' empty, 'n' a number, 'f' not finite, 'x' not a
    number."""
    clean = f"c_{column}"
    return (
        f"CASE WHEN {clean} = '' THEN '' WHEN lower({clean}) IN {_NOT_FINITE} THEN 'f' "
        f"WHEN {clean} ~ '{_DECIMAL}' THEN 'n' ELSE 'x' END AS k_{column}"
    )


def _parse_problem(column: str) -> str:
    """parse_decimal's error for a number column, as a one-conflict array, or NULL."""
    quoted = f"chr(39) || r.{column} || chr(39)"
    not_finite = _one("value", quoted + " || ' is not a finite number'")
    not_number = _one("value", quoted + " || ' is not a number'")
    return f"CASE r.k_{column} WHEN 'f' THEN {not_finite} WHEN 'x' THEN {not_number} END"


def _number(column: str) -> str:
    return f"CASE WHEN r.k_{column} = 'n' THEN r.c_{column}::numeric END"


def _range(value: str, field: str) -> str:
    """number_errors for a parsed number: one conflict, or NULL."""
    too_big = _one(field, "'not a finite number below 10^15'")
    percent = _one(field, "'a percentage must be between 0 and 100, not ' || " + value + "::text")
    negative = _one(field, "i_code || ' counts something; ' || " + value + "::text || ' is negative'")
    return (
        f"CASE WHEN {value} IS NULL THEN NULL WHEN abs({value}) >= 1e15 THEN {too_big} "
        f"WHEN measure = 'percent' AND NOT ({value} BETWEEN 0 AND 100) THEN {percent} "
        f"WHEN measure IN ('number', 'currency', 'ratio') AND {value} < 0 THEN {negative} END"
    )


# value_errors, in its order, over the parsed numbers (v, nu, de) and the text answer.
_VALUE_PROBLEM = f"""CASE
    WHEN measure = 'qualitative' THEN CASE
        WHEN nu IS NOT NULL OR de IS NOT NULL THEN {_one("value", "i_code || ' is qualitative: send text_value'")}
        WHEN text_value IS NULL THEN {_one("text_value", "'a qualitative indicator needs a text answer'")}
        END
    WHEN measure IN ('ratio', 'percent') AND (nu IS NOT NULL OR de IS NOT NULL) THEN CASE
        WHEN nu IS NULL OR de IS NULL THEN {_one("denominator", "'give both numerator and denominator'")}
        WHEN abs(nu) >= 1e15 OR nu < 0 THEN {_one("numerator", "'the numerator must be a count from 0 below 10^15'")}
        WHEN abs(de) >= 1e15 OR de < 0 THEN {_one("denominator", "'the denominator must be a count from 0 below 10^15'")}
        WHEN de = 0 THEN {_one("denominator", "'the denominator may not be 0'")}
        WHEN measure = 'percent' AND nu > de THEN
            {_one("numerator", "'a percentage''s numerator cannot exceed its denominator'")}
        WHEN v IS NOT NULL AND abs(v - nu / de * CASE WHEN measure = 'percent' THEN 100 ELSE 1 END) >= 0.0001 THEN
            {_one("value", "v::text || ' is not ' || nu::text || ' / ' || de::text")}
        END
    WHEN nu IS NOT NULL OR de IS NOT NULL THEN {_one("numerator", "i_code || ' is not a ratio or a percentage'")}
    WHEN v IS NULL THEN {_one("value", "'a value is required'")}
    ELSE {_range("v", "value")}
END"""

_TRIMMED = ", ".join(
    f"{_trim(c)} AS {c}"
    for c in ("project", "indicator", "period", "value", "disaggregation", "comment", "numerator", "denominator")
)

# Every row checked in one pass, with RowChecker's rules in its order (the first failing step gives the row's
# conflicts), and staged with its project, framework indicator and report: the existing one, or the id its new
# draft will have (one per project and period, salted per import). `n` is MATERIALIZED: inlined, PostgreSQL would
# parse a number again wherever a later check names it (measured: 37 µs a row instead of 10). For the same reason
# `cells`, `r` and `c` end in OFFSET 0, which keeps PostgreSQL from pulling them into the query that names their
# columns: each trimmed cell, cleaned number, kind and row's problems is computed once, not once per mention.
STAGE_ROWS = text(
    f"""
    INSERT INTO import_staging (row_no, project, indicator_id, period_code, period_start, period_end, dkey, disagg,
                                value, numerator, denominator, text_value, comment, incomplete, problems,
                                project_id, pi_id, report_id, new_report)
    WITH cells AS (
        SELECT row_no, {_TRIMMED}, lower({_trim("incomplete")}) IN ('true', '1', 'yes', 'y') AS incomplete,
               disagg_json, error, {", ".join(_cleaned(c) for c in _NUMBERS)}
        FROM import_raw OFFSET 0
    ), r AS (
        SELECT cells.*, {", ".join(_kind(c) for c in _NUMBERS)} FROM cells OFFSET 0
    ), n AS MATERIALIZED (
        SELECT r.row_no, r.project, r.indicator, r.period, r.error, r.comment, r.incomplete,
               i.id AS indicator_id, i.code AS i_code, i.measure, p.code AS period_code, p.period_start, p.period_end,
               p.error AS period_error, d.dkey, d.disagg, d.parse_error, d.errors AS disagg_errors,
               {_parse_problem("numerator")} AS nu_problem, {_parse_problem("denominator")} AS de_problem,
               CASE WHEN i.measure <> 'qualitative' THEN {_parse_problem("value")} END AS v_problem,
               {_number("numerator")} AS nu, {_number("denominator")} AS de,
               CASE WHEN i.measure <> 'qualitative' THEN {_number("value")} END AS v,
               CASE WHEN i.measure = 'qualitative' THEN nullif(r.value, '') END AS text_value
        FROM r
        LEFT JOIN indicator i ON i.code = r.indicator
        LEFT JOIN import_period p ON p.raw = r.period
        LEFT JOIN import_disagg d ON d.indicator = r.indicator AND d.raw = r.disaggregation
                                 AND d.is_json = r.disagg_json
    ), c AS (
        SELECT n.*, CASE
            WHEN error IS NOT NULL THEN {_one("row", "error")}
            WHEN project = '' OR indicator = '' OR period = '' THEN (
                SELECT jsonb_agg(jsonb_build_array(f, 'required') ORDER BY k)
                FROM unnest(ARRAY['project', 'indicator', 'period'], ARRAY[project, indicator, period])
                     WITH ORDINALITY AS m(f, given, k)
                WHERE given = '')
            WHEN indicator_id IS NULL THEN {_one("indicator", "'no indicator with code ' || indicator")}
            WHEN period_error IS NOT NULL THEN {_one("period", "period_error")}
            WHEN parse_error IS NOT NULL THEN {_one("disaggregation", "parse_error")}
            WHEN nu_problem IS NOT NULL THEN nu_problem
            WHEN de_problem IS NOT NULL THEN de_problem
            WHEN v_problem IS NOT NULL THEN v_problem
            ELSE nullif(coalesce(disagg_errors, '[]'::jsonb) || coalesce({_VALUE_PROBLEM}, '[]'::jsonb), '[]'::jsonb)
        END AS problems
        FROM n OFFSET 0
    )
    SELECT c.row_no, c.project, c.indicator_id, c.period_code, c.period_start, c.period_end, c.dkey, c.disagg,
           CASE WHEN c.problems IS NULL THEN c.v END, CASE WHEN c.problems IS NULL THEN c.nu END,
           CASE WHEN c.problems IS NULL THEN c.de END, c.text_value, nullif(c.comment, ''), c.incomplete, c.problems,
           pr.id, pi.id, coalesce(rp.id, md5(:salt || pr.id::text || c.period_code)::uuid), rp.id IS NULL
    FROM c
    LEFT JOIN import_project pr ON pr.project = c.project
    LEFT JOIN project_indicator pi ON pi.project_id = pr.id AND pi.indicator_id = c.indicator_id
    LEFT JOIN report rp ON rp.project_id = pr.id AND rp.period_code = c.period_code
    """  # noqa: S608 (constant fragments, no input)
)


async def stage_rows(session: AsyncSession) -> list[tuple[int, str, str]]:
    """Check every raw row in SQL and stage it; the rows' conflicts, in row order (those rows are left out)."""
    for table in ("import_period", "import_disagg"):
        await session.execute(text(f"ANALYZE {table}"))
    await session.execute(STAGE_ROWS, {"salt": uuid.uuid4().hex})
    rows = await session.execute(
        text(
            "SELECT s.row_no, e->>0, e->>1 FROM import_staging s, jsonb_array_elements(s.problems) e "
            "WHERE s.problems IS NOT NULL ORDER BY s.row_no"
        )
    )
    conflicts = [(r[0], r[1], r[2]) for r in rows]
    if conflicts:
        await session.execute(text("DELETE FROM import_staging WHERE problems IS NOT NULL"))
    # What the planner needs for the next statements: how many rows lack a project, or have a new report.
    await session.execute(text("ANALYZE import_staging (project_id, new_report, report_id)"))
    return conflicts


async def unknown_projects(session: AsyncSession) -> list[tuple[int, str, str]]:
    """Rows whose project is neither a code in the local copy nor an id."""
    rows = await session.execute(
        text(
            "SELECT row_no, 'project', 'no project ' || quote_literal(project) || ' (use its code or id)' "
            "FROM import_staging WHERE project_id IS NULL ORDER BY row_no"
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def projects(session: AsyncSession) -> list[tuple[uuid.UUID, int, int, bool]]:
    """The projects the file touches: (id, first row, number of rows, in the local copy)."""
    rows = await session.execute(
        text(
            "SELECT s.project_id, s.first, s.rows, pc.id IS NOT NULL FROM ("
            "  SELECT project_id, min(row_no) AS first, count(*) AS rows FROM import_staging "
            "  WHERE project_id IS NOT NULL GROUP BY project_id"
            ") s LEFT JOIN project_copy pc ON pc.id = s.project_id ORDER BY s.first"
        )
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def drop_project_rows(session: AsyncSession, project_ids: Iterable[uuid.UUID]) -> None:
    ids = list(project_ids)
    if ids:
        await session.execute(
            text("UPDATE import_staging SET project_id = NULL WHERE project_id = ANY(:ids)"), {"ids": ids}
        )


# The period rules (reports/periods.py) as sets: a value only in a period of its framework indicator's frequency, and
# never in a period that overlaps another period holding values of the same indicator, in the database or in the file.
# Overlaps are looked for between the file's distinct (project, period) pairs first: there are few, and usually none.
PERIOD_RULES = """
    WITH periods AS MATERIALIZED (
        SELECT DISTINCT project_id, report_id, period_code, period_start, period_end
        FROM import_staging WHERE pi_id IS NOT NULL
    ), kept AS (
        SELECT r.id AS other_id, r.period_code AS other_code, r.status, p.report_id
        FROM periods p JOIN report r ON r.project_id = p.project_id AND r.id <> p.report_id
         AND r.period_start <= p.period_end AND coalesce(r.period_end, r.period_start) >= p.period_start
    ), overlapping AS MATERIALIZED (
        -- Only periods that overlap some other of the file are paired below: sorted by start, a period overlaps an
        -- earlier one when the latest end before it reaches its start, a later one when the next start is within
        -- it. One sort instead of comparing every pair (a file of 36,500 days took minutes).
        SELECT project_id, report_id, period_code, period_start, period_end FROM (
            SELECT p.*, max(period_end) OVER before AS end_before, min(period_start) OVER after AS start_after
            FROM periods p
            WINDOW before AS (PARTITION BY project_id ORDER BY period_start, period_end, period_code
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                   after AS (PARTITION BY project_id ORDER BY period_start, period_end, period_code
                             ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
        ) sorted
        WHERE end_before >= period_start OR start_after <= period_end
    ), filed AS (
        SELECT a.report_id, b.report_id AS other_report, b.period_code AS other_code
        FROM overlapping a JOIN overlapping b ON b.project_id = a.project_id AND b.period_code <> a.period_code
         AND b.period_start <= a.period_end AND b.period_end >= a.period_start
    )
    SELECT s.row_no, 'period', i.code || ' is reported by ' || pi.frequency || ' in this project; ' || s.period_code
           || ' is not one'
    FROM import_staging s JOIN project_indicator pi ON pi.id = s.pi_id JOIN indicator i ON i.id = pi.indicator_id
    WHERE NOT EXISTS (SELECT 1 FROM import_period p WHERE p.code = s.period_code AND pi.frequency = ANY(p.frequencies))
    UNION ALL
    SELECT s.row_no, 'period', s.period_code || ' overlaps ' || k.other_code || ' (' || k.status
           || '), which already has values of this indicator: they would be counted twice'
    FROM kept k JOIN import_staging s ON s.report_id = k.report_id
    WHERE EXISTS (SELECT 1 FROM report_value rv WHERE rv.report_id = k.other_id AND rv.project_indicator_id = s.pi_id)
    UNION ALL
    SELECT s.row_no, 'period', s.period_code || ' overlaps ' || f.other_code
           || ', which this file also gives values of this indicator for: they would be counted twice'
    FROM filed f JOIN import_staging s ON s.report_id = f.report_id
    WHERE EXISTS (SELECT 1 FROM import_staging o WHERE o.report_id = f.other_report AND o.pi_id = s.pi_id)
"""

# Periods the project's dates do not reach, or that have not ended: warnings (once per project and period).
DATE_WARNINGS = text(
    """
    SELECT min(s.row_no), 'period', CASE
        WHEN s.period_start > pc.end_date THEN s.period_code || ' starts after the project ended (' || pc.end_date || ')'
        WHEN s.period_end < pc.start_date THEN s.period_code || ' ends before the project started (' || pc.start_date
             || ')'
        ELSE s.period_code || ' has not ended yet (it ends ' || s.period_end || ')' END
    FROM import_staging s LEFT JOIN project_copy pc ON pc.id = s.project_id
    WHERE s.project_id IS NOT NULL
      AND (s.period_start > pc.end_date OR s.period_end < pc.start_date OR s.period_end > CAST(:today AS date))
    GROUP BY s.project_id, s.period_code, s.period_start, s.period_end, pc.start_date, pc.end_date
    ORDER BY 1
    """
)


async def date_warnings(session: AsyncSession, today: Any) -> list[tuple[int, str, str]]:
    rows = await session.execute(DATE_WARNINGS, {"today": today})
    return [(r[0], r[1], r[2]) for r in rows]


async def check(session: AsyncSession, *, period_rules: bool = True) -> list[tuple[int, str, str]]:
    """Indicators outside the project's framework, rows given twice, reports that are locked; and (unless the
    import deletes) values outside their indicator's frequency or in periods that overlap."""
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
    found = [(r[0], r[1], r[2]) for r in rows]
    if period_rules:
        found += [(r[0], r[1], r[2]) for r in await session.execute(text(PERIOD_RULES))]
    return found


async def reports(session: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    """The reports the staged rows go into: (id, period), by period."""
    rows = await session.execute(
        text("SELECT DISTINCT report_id, period_code FROM import_staging WHERE report_id IS NOT NULL ORDER BY 2, 1")
    )
    return [(r[0], r[1]) for r in rows]


async def create_reports(session: AsyncSession, actor: str) -> int:
    """The draft reports staged as new, with the ids the staging rows already carry. Should another writer have
    made a report for one of those (project, period) pairs meanwhile, its rows move to that report."""
    created = await session.execute(
        text(
            """
            WITH wanted AS MATERIALIZED (
                SELECT DISTINCT report_id, project_id, period_code, period_start, period_end
                FROM import_staging WHERE new_report
            ), new AS (
                INSERT INTO report (id, project_id, period_code, period_start, period_end, status, warnings,
                                    created_by, is_illustrative, version)
                SELECT report_id, project_id, period_code, period_start, period_end, 'draft', '[]'::jsonb, :actor,
                       false, 1
                FROM wanted
                ON CONFLICT DO NOTHING
                RETURNING id
            ), events AS (
                INSERT INTO report_event (report_id, action, to_status, actor, comment)
                SELECT id, 'create', 'draft', :actor, 'created by an import' FROM new
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM wanted)
            """
        ),
        {"actor": actor},
    )
    count, expected = created.one()
    if count != expected:
        await session.execute(
            text(
                "UPDATE import_staging s SET report_id = r.id, new_report = false FROM report r "
                "WHERE s.new_report AND r.project_id = s.project_id AND r.period_code = s.period_code "
                "AND r.id <> s.report_id"
            )
        )
    return int(count)


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
# A new value's id: the import's random prefix and the value's row in the file, laid out as an RFC 9562 UUIDv8. The
# ids of one import are unique (rows are) and neighbours in the primary key's index; gen_random_uuid() cost 8–10 µs a
# value on the embedded server (9 s of a million-value import) and scattered a million inserts across the index.
_VALUE_ID = "(:id_prefix || lpad(to_hex({p}row_no), 15, '0'))::uuid"

INSERT_NEW = text(
    f"""
    WITH ins AS (
        INSERT INTO report_value (id, report_id, project_indicator_id, disaggregation, disaggregation_key, value,
                                  numerator, denominator, text_value, comment, incomplete, updated_by)
        SELECT {_VALUE_ID.format(p="s.")}, s.report_id, s.pi_id, s.disagg, s.dkey, s.value, s.numerator, s.denominator,
               s.text_value, s.comment, s.incomplete, :actor
        FROM import_staging s
        WHERE NOT s.new_report AND NOT EXISTS (SELECT 1 FROM report_value rv WHERE {_MATCH})
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
        FROM report_value rv JOIN import_staging s ON {_MATCH} WHERE NOT s.new_report AND NOT ({_SAME})
    ), upd AS (
        UPDATE report_value rv SET value = s.value, numerator = s.numerator, denominator = s.denominator,
               text_value = s.text_value, comment = s.comment, incomplete = s.incomplete, updated_by = :actor,
               updated_at = now()
        FROM import_staging s WHERE NOT s.new_report AND {_MATCH} AND NOT ({_SAME})
        RETURNING rv.id, rv.report_id, rv.project_indicator_id, rv.disaggregation_key, {_NEW} AS after
    )
    INSERT INTO value_audit (report_id, project_indicator_id, disaggregation_key, action, before, after, actor, via)
    SELECT upd.report_id, upd.project_indicator_id, upd.disaggregation_key, 'update', old.before, upd.after, :actor,
           'import'
    FROM upd JOIN old ON old.id = upd.id
    RETURNING report_id
    """  # noqa: S608 (constant fragments, no input)
)

# Values of reports this import created: nothing to compare with, so plain inserts (no anti-join, no RETURNING).
INSERT_FRESH = text(
    f"""
    INSERT INTO report_value (id, report_id, project_indicator_id, disaggregation, disaggregation_key, value, numerator,
                              denominator, text_value, comment, incomplete, updated_by)
    SELECT {_VALUE_ID.format(p="")}, report_id, pi_id, disagg, dkey, value, numerator, denominator, text_value, comment,
           incomplete, :actor
    FROM import_staging WHERE new_report
    """  # noqa: S608 (constant fragments, no input)
)
# ... and audited in one row per report, which names who imported and when; the history shows one `create` per value,
# each as created: the `before` of its first later change (every later change is audited with it) or the value as it
# is now (reports.repository.as_created; migration e5c1a7d90b24). Writing every value into the audit as well was a
# sixth of a large import's time (BENCHMARKS.md, round 5).
AUDIT_FRESH = text(
    """
    INSERT INTO value_audit (report_id, action, actor, via)
    SELECT DISTINCT report_id, 'import', :actor, 'import' FROM import_staging WHERE new_report
    """
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


async def apply(
    session: AsyncSession, strategy: str, replace: bool, actor: str, lap: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Write the staged values by the strategy; counts of imported, updated, ignored and deleted values. `lap` marks
    the end of each statement (the import's phase log names them)."""
    total = int(await session.scalar(text("SELECT count(*) FROM import_staging")) or 0)
    touched: set[uuid.UUID] = set()
    counts = {"imported": 0, "updated": 0, "deleted": 0}
    random = secrets.token_hex(8)
    params = {"actor": actor, "id_prefix": f"{random[:12]}8{random[12:15]}8"}  # version 8, variant 10xx

    async def run(statement: Any, key: str) -> None:
        rows = (await session.execute(statement, params)).all()
        counts[key] += len(rows)
        touched.update(r[0] for r in rows)

    if strategy == "delete":
        await run(DELETE_LISTED, "deleted")
    else:
        if replace:
            await run(DELETE_UNLISTED, "deleted")
        if strategy in ("create", "create_and_update"):
            fresh = await session.execute(INSERT_FRESH, params)
            lap("apply_fresh_values")
            await session.execute(AUDIT_FRESH, {"actor": actor})
            lap("apply_fresh_audit")
            counts["imported"] += int(fresh.rowcount)  # type: ignore[attr-defined]
            await run(INSERT_NEW, "imported")
            lap("apply_new_in_existing")
        if strategy in ("update", "create_and_update"):
            await run(UPDATE_CHANGED, "updated")
            lap("apply_updates")
    listed_deleted = counts["deleted"] if strategy == "delete" else 0
    counts["ignored"] = total - counts["imported"] - counts["updated"] - listed_deleted
    if strategy == "create":
        counts["ignored"] = total - counts["imported"]
    if touched:  # reports that existed (a new one stays at its first version)
        await session.execute(
            text("UPDATE report SET version = version + 1, updated_at = now() WHERE id = ANY(:ids)"),
            {"ids": list(touched)},
        )
    return counts
