# ruff: noqa: S608 - SQL built from the constants of this file, never from input
"""read tables for the list and the detail, kept by triggers; the funding cube's changes numbered

Revision ID: 0016
Revises: 14a1
Create Date: 2026-12-04 12:00:00

The list and the detail read each project's answer as JSON text kept by the database (projects/read_tables.py):
whenever a statement changes a project, its countries, themes, sectors, locations or participants, or an organisation's
name, `project_reads_refresh` recomputes the touched projects' rows in the same transaction, after taking their row
locks in id order (a second writer of the same project waits, then sees what the first committed).

The funding cube's rows now carry the version at which they last changed (`changed_at`) and stay, at zero, when
their last transaction goes, so a kept summary can take in only what changed since its version
(funding/summary_cache.py) instead of being computed again. A refresh takes the version row first and holds it to the
commit, so versions follow the order in which writers commit. Project sets are joined (unnest) rather than matched
with `= ANY(array)`, which a generic plan checks element by element: loading 200,000 projects by COPY refreshes
once. Both refreshes run with sequential scans priced out: they run inside the statement that wrote the rows, often
before any ANALYZE has seen them (a bulk load, a test), and a planner that believes a table empty scans it once per
project; every row they read is reached through an index.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "14a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Timestamps as the API writes them (pydantic, orjson): UTC, `Z`, microseconds only when there are some.
UTC_JSON = """
CREATE FUNCTION utc_json(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || CASE WHEN extract(microseconds FROM ts)::bigint % 1000000 = 0 THEN ''
                   ELSE to_char(ts AT TIME ZONE 'UTC', '.US') END || 'Z'
$$"""

_COUNTRIES = """coalesce((SELECT json_agg(json_build_object('country_code', c.country_code,
            'percentage', c.percentage::text, 'name', coalesce(n.name, c.country_code)) ORDER BY c.country_code)
        FROM project_country c LEFT JOIN reference_label n ON n.kind = 'country' AND n.code = c.country_code
        WHERE c.project_id = p.id), '[]')"""

# ProjectSummary, keys in the order the API has always written them.
ITEM = f"""json_build_object(
    'id', p.id, 'code', p.code, 'title', p.title, 'status', p.status,
    'planned_start', p.planned_start, 'planned_end', p.planned_end,
    'actual_start', p.actual_start, 'actual_end', p.actual_end,
    'is_public', p.is_public, 'is_illustrative', p.is_illustrative, 'updated_at', utc_json(p.updated_at),
    'countries', {_COUNTRIES},
    'themes', coalesce((SELECT json_agg(t.theme_code ORDER BY t.theme_code)
        FROM project_theme t WHERE t.project_id = p.id), '[]'),
    'funders', coalesce((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'acronym', o.acronym)
            ORDER BY x.position)
        FROM project_participant x JOIN organisation o ON o.id = x.organisation_id
        WHERE x.project_id = p.id AND x.role = 'funding'), '[]')
)::text"""

# Project, with the keys in the order the API has always written them.
DOCUMENT = f"""json_build_object(
    'id', p.id, 'code', p.code, 'title', p.title, 'status', p.status,
    'planned_start', p.planned_start, 'planned_end', p.planned_end,
    'actual_start', p.actual_start, 'actual_end', p.actual_end,
    'is_public', p.is_public, 'is_illustrative', p.is_illustrative, 'updated_at', utc_json(p.updated_at),
    'description', p.description, 'source', p.source, 'version', p.version, 'created_at', utc_json(p.created_at),
    'countries', {_COUNTRIES},
    'themes', coalesce((SELECT json_agg(json_build_object('code', t.theme_code,
            'name', coalesce(n.name, t.theme_code)) ORDER BY t.theme_code)
        FROM project_theme t LEFT JOIN reference_label n ON n.kind = 'theme' AND n.code = t.theme_code
        WHERE t.project_id = p.id), '[]'),
    'sectors', coalesce((SELECT json_agg(json_build_object('sector_code', s.sector_code,
            'percentage', s.percentage::text, 'name', coalesce(n.name, s.sector_code)) ORDER BY s.sector_code)
        FROM project_sector s LEFT JOIN reference_label n ON n.kind = 'sector' AND n.code = s.sector_code
        WHERE s.project_id = p.id), '[]'),
    'locations', coalesce((SELECT json_agg(json_build_object('id', l.id, 'country_code', l.country_code,
            'name', l.name, 'admin_area', l.admin_area, 'description', l.description,
            'latitude', l.latitude::text, 'longitude', l.longitude::text) ORDER BY l.name)
        FROM project_location l WHERE l.project_id = p.id), '[]'),
    'participants', coalesce((SELECT json_agg(json_build_object('organisation',
            json_build_object('id', o.id, 'name', o.name, 'acronym', o.acronym), 'role', x.role) ORDER BY x.position)
        FROM project_participant x JOIN organisation o ON o.id = x.organisation_id
        WHERE x.project_id = p.id), '[]')
)::text"""

REFRESH = f"""
CREATE FUNCTION project_reads_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    -- One refresh of a project at a time; the statements below see what a writer before us committed.
    PERFORM 1 FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id ORDER BY p.id FOR NO KEY UPDATE OF p;

    WITH old AS (
        DELETE FROM project_listing_country l USING unnest(ids) AS t(id) WHERE l.project_id = t.id
        RETURNING l.country_code, l.is_public
    )
    INSERT INTO project_country_count (country_code, projects, public_projects)
    SELECT country_code, -count(*), -count(*) FILTER (WHERE is_public) FROM old GROUP BY 1 ORDER BY 1
    ON CONFLICT (country_code) DO UPDATE
        SET projects = project_country_count.projects + excluded.projects,
            public_projects = project_country_count.public_projects + excluded.public_projects;
    DELETE FROM project_listing l USING unnest(ids) AS t(id) WHERE l.project_id = t.id;
    DELETE FROM project_document d USING unnest(ids) AS t(id) WHERE d.project_id = t.id;

    INSERT INTO project_listing (project_id, item)
    SELECT p.id, {ITEM} FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id;
    WITH new AS (
        INSERT INTO project_listing_country (country_code, code, project_id, is_public, item)
        SELECT c.country_code, p.code, p.id, p.is_public, l.item
        FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id
        JOIN project_country c ON c.project_id = p.id JOIN project_listing l ON l.project_id = p.id
        RETURNING country_code, is_public
    )
    INSERT INTO project_country_count (country_code, projects, public_projects)
    SELECT country_code, count(*), count(*) FILTER (WHERE is_public) FROM new GROUP BY 1 ORDER BY 1
    ON CONFLICT (country_code) DO UPDATE
        SET projects = project_country_count.projects + excluded.projects,
            public_projects = project_country_count.public_projects + excluded.public_projects;
    INSERT INTO project_document (project_id, body)
    SELECT p.id, {DOCUMENT} FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id;
END
$$"""

# The tables whose rows make a project's list item or document: each statement refreshes the projects it touched.
CHILDREN = ("project_country", "project_theme", "project_sector", "project_location", "project_participant")
_EVENTS = {
    "insert": ("NEW TABLE AS new_rows", "SELECT {key} FROM new_rows"),
    "update": (
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT {key} FROM old_rows UNION SELECT {key} FROM new_rows",
    ),
    "delete": ("OLD TABLE AS old_rows", "SELECT {key} FROM old_rows"),
}


def _triggers() -> list[tuple[str, str, str, str]]:
    """(table, event, trigger/function name, the touched projects' ids as an array expression)."""
    out = []
    for table in ("project", *CHILDREN):
        key = "id" if table == "project" else "project_id"
        for event, (_, touched) in _EVENTS.items():
            ids = f"(SELECT array_agg(DISTINCT k) FROM ({touched.format(key=key)}) touched(k))"
            out.append((table, event, f"project_reads_{table}_{event}", ids))
    return out


# An organisation renamed: the list items and documents that name it (every project it takes part in).
NAMES = """
CREATE FUNCTION project_reads_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM project_reads_refresh((
        SELECT array_agg(DISTINCT x.project_id) FROM project_participant x
        JOIN new_rows n ON n.id = x.organisation_id JOIN old_rows o ON o.id = n.id
        WHERE (n.name, n.acronym) IS DISTINCT FROM (o.name, o.acronym)));
    RETURN NULL;
END
$$"""

# Names of countries, themes or sectors changed (a migration that updates reference_label): every project again.
LABELS = """
CREATE FUNCTION project_reads_labels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM project_reads_refresh((SELECT array_agg(id) FROM project));
    RETURN NULL;
END
$$"""


# -- the funding cube: numbered changes ------------------------------------------------------------------------

MEASURES = (
    "eur_all",
    "amount_all",
    "rows_all",
    "transactions_all",
    "eur_public",
    "amount_public",
    "rows_public",
    "transactions_public",
)
GROUP = "transaction_type, provider_org_id, country_code, year, currency"
_SUMS = ", ".join(f"sum({m}) AS {m}" for m in MEASURES)
_NEGATED_SUMS = ", ".join(f"-sum({m}) AS {m}" for m in MEASURES)
_ADD = ", ".join(f"{m} = funding_cube.{m} + excluded.{m}" for m in MEASURES)

FUNDING_REFRESH = f"""
CREATE OR REPLACE FUNCTION funding_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
    v bigint;
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    -- One refresh of a project at a time: a second waits, then sees the first one's parts and takes them out.
    PERFORM 1 FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id ORDER BY p.id FOR NO KEY UPDATE OF p;
    -- Then the version row, held to the commit: writers of the cube number their changes in commit order, so a
    -- reader that has seen version v has seen every change numbered v or less. (Projects first: a writer that
    -- already holds a project's row, having updated it, never waits for the version while holding it against us.)
    PERFORM 1 FROM funding_cube_version FOR UPDATE;
    v := nextval('funding_cube_version_seq');

    WITH old AS (DELETE FROM funding_part f USING unnest(ids) AS t(id) WHERE f.project_id = t.id RETURNING f.*)
    INSERT INTO funding_cube ({GROUP}, {", ".join(MEASURES)}, changed_at)
    SELECT {GROUP}, {_NEGATED_SUMS}, v FROM old GROUP BY {GROUP} ORDER BY {GROUP}
    ON CONFLICT ON CONSTRAINT uq_funding_cube_group DO UPDATE SET {_ADD}, changed_at = excluded.changed_at;

    WITH shares AS (
        SELECT pc.project_id, pc.country_code, pc.percentage / 100 AS share,
               row_number() OVER (PARTITION BY pc.project_id ORDER BY pc.country_code) = 1 AS first
        FROM project_country pc JOIN unnest(ids) AS t(id) ON t.id = pc.project_id
        UNION ALL  -- what no country share covers: everything, for a project without countries
        SELECT p.id, NULL, 1 - coalesce(sum(pc.percentage), 0) / 100, count(pc.country_code) = 0
        FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id LEFT JOIN project_country pc ON pc.project_id = p.id
        GROUP BY p.id
    ),
    parts AS (
        INSERT INTO funding_part (project_id, {GROUP}, {", ".join(MEASURES)})
        SELECT tr.project_id, tr.transaction_type, tr.provider_org_id, s.country_code,
               extract(year FROM tr.value_date)::int, CASE WHEN tr.eur_amount IS NULL THEN tr.currency END,
               coalesce(sum(tr.eur_amount * s.share), 0),
               coalesce(sum(tr.amount * s.share) FILTER (WHERE tr.eur_amount IS NULL), 0),
               count(*), count(*) FILTER (WHERE s.first),
               coalesce(sum(tr.eur_amount * s.share) FILTER (WHERE p.is_public), 0),
               coalesce(sum(tr.amount * s.share) FILTER (WHERE tr.eur_amount IS NULL AND p.is_public), 0),
               count(*) FILTER (WHERE p.is_public), count(*) FILTER (WHERE s.first AND p.is_public)
        FROM transaction tr
        JOIN unnest(ids) AS t(id) ON t.id = tr.project_id
        JOIN project p ON p.id = tr.project_id
        JOIN shares s ON s.project_id = tr.project_id AND (s.share <> 0 OR s.first)
        GROUP BY tr.project_id, tr.transaction_type, tr.provider_org_id, s.country_code,
                 extract(year FROM tr.value_date)::int, CASE WHEN tr.eur_amount IS NULL THEN tr.currency END
        RETURNING *
    )
    INSERT INTO funding_cube ({GROUP}, {", ".join(MEASURES)}, changed_at)
    SELECT {GROUP}, {_SUMS}, v FROM parts GROUP BY {GROUP} ORDER BY {GROUP}
    ON CONFLICT ON CONSTRAINT uq_funding_cube_group DO UPDATE SET {_ADD}, changed_at = excluded.changed_at;

    -- Groups whose last transaction went stay at zero (readers skip them): a kept answer must see them change.
    UPDATE funding_cube_version SET version = v;
END
$$"""

# The names bump, in commit order too (a kept answer reads the funders' names again when the version moves).
NAMES_BUMP = """
CREATE OR REPLACE FUNCTION funding_cube_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM funding_cube_version FOR UPDATE;
    UPDATE funding_cube_version SET version = nextval('funding_cube_version_seq');
    RETURN NULL;
END
$$"""


def _labels() -> list[dict[str, str]]:
    from projects_api.reference.data import DAC_SECTORS, THEMES
    from projects_api.reference.lookups import country_names

    return (
        [{"kind": "country", "code": code, "name": name} for code, name in sorted(country_names().items())]
        + [{"kind": "theme", "code": t.code, "name": t.name} for t in THEMES]
        + [{"kind": "sector", "code": s.code, "name": s.name} for s in DAC_SECTORS]
    )


def upgrade() -> None:
    labels = op.create_table(
        "reference_label",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "code", name=op.f("pk_reference_label")),
    )
    op.bulk_insert(labels, _labels())
    op.create_table(
        "project_listing",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_listing")),
    )
    op.create_table(
        "project_listing_country",
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("country_code", "code", "project_id", name=op.f("pk_project_listing_country")),
    )
    op.create_index("ix_project_listing_country_project", "project_listing_country", ["project_id"], unique=False)
    op.create_table(
        "project_country_count",
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.Column("public_projects", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("country_code", name=op.f("pk_project_country_count")),
    )
    op.create_table(
        "project_document",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_document")),
    )
    op.execute(UTC_JSON)
    op.execute(REFRESH)
    for table, event, name, ids in _triggers():
        op.execute(f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM project_reads_refresh({ids});
    RETURN NULL;
END
$$""")
        op.execute(f"""CREATE TRIGGER {name} AFTER {event.upper()} ON "{table}" REFERENCING {_EVENTS[event][0]}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}()""")
    op.execute(NAMES)
    op.execute("""CREATE TRIGGER project_reads_names AFTER UPDATE ON organisation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_reads_names()""")
    op.execute(LABELS)
    op.execute("""CREATE TRIGGER project_reads_labels AFTER INSERT OR UPDATE OR DELETE ON reference_label
    FOR EACH STATEMENT EXECUTE FUNCTION project_reads_labels()""")
    op.execute("SELECT project_reads_refresh(array_agg(id)) FROM project")

    op.add_column("funding_cube", sa.Column("changed_at", sa.BigInteger(), server_default="0", nullable=False))
    op.create_index("ix_funding_cube_changed_at", "funding_cube", ["changed_at"], unique=False)
    op.execute(FUNDING_REFRESH)
    op.execute(NAMES_BUMP)


def _previous() -> Any:
    """Migration 0002, for the functions as it left them."""
    path = Path(__file__).with_name("2026-11-29-0410_funding_cube.py")
    spec = importlib.util.spec_from_file_location("funding_cube_0002", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade() -> None:
    previous = _previous()
    op.execute("DELETE FROM funding_cube WHERE rows_all = 0")
    op.execute(previous.REFRESH.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    op.execute(previous.BUMP.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    op.drop_index("ix_funding_cube_changed_at", table_name="funding_cube")
    op.drop_column("funding_cube", "changed_at")
    op.execute("DROP TRIGGER project_reads_labels ON reference_label")
    op.execute("DROP FUNCTION project_reads_labels()")
    op.execute("DROP TRIGGER project_reads_names ON organisation")
    op.execute("DROP FUNCTION project_reads_names()")
    for table, _event, name, _ids in _triggers():
        op.execute(f'DROP TRIGGER {name} ON "{table}"')
        op.execute(f"DROP FUNCTION {name}()")
    op.execute("DROP FUNCTION project_reads_refresh(uuid[])")
    op.execute("DROP FUNCTION utc_json(timestamptz)")
    op.drop_table("project_document")
    op.drop_table("project_country_count")
    op.drop_index("ix_project_listing_country_project", table_name="project_listing_country")
    op.drop_table("project_listing_country")
    op.drop_table("project_listing")
    op.drop_table("reference_label")
