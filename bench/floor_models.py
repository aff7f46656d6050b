# ruff: noqa: S608 - SQL built from this module's constant fragments, never from input
"""Read models of the independent floor (bench/independent_floor.py), kept by the database: written here, by the
harness, from the tables alone, never from the product's SQL. Part of the harness, never of the product.

The issue's rule: an independent floor may use a read model only if the product could, so each one is kept correct
under writes the way the product's funding cube is: statement-level triggers (transition tables) recompute the
touched projects' rows inside the writing transaction, after taking those projects' row locks in id order, so a
second writer of the same project waits and then recomputes from what the first one committed.

- `floor_list_entry`: one row per project and recipient country holding the list item's JSON, keyed
  (country_code, code, project_id): a page of a country's list, in code order, is one index range.
  `floor_list_count`: how many projects each country has (everyone, public), kept with the entries.
- `floor_detail`: each project's whole detail as JSON text.
- `floor_funding_part` / `floor_funding_group`: each project's contribution to (type, funder, country, year) and the
  groups' exact sums (EUR by country share, rows, unconverted amounts by currency), recomputed for the touched groups.

`install` creates them and fills them from the loaded tables; `verify` changes data through every path that
touches them (in a transaction it rolls back) and checks the kept rows against a recomputation from scratch.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from projects_api.reference.data import DAC_SECTORS, THEMES
from projects_api.reference.lookups import country_names

_ITEM = """json_build_object(
    'id', p.id, 'code', p.code, 'title', p.title, 'language', p.language, 'titles', p.titles, 'status', p.status,
    'planned_start', p.planned_start, 'planned_end', p.planned_end,
    'actual_start', p.actual_start, 'actual_end', p.actual_end,
    'is_public', p.is_public, 'is_illustrative', p.is_illustrative, 'updated_at', p.updated_at,
    'countries', coalesce((SELECT json_agg(json_build_object('country_code', c.country_code,
            'percentage', c.percentage::text, 'name', coalesce(n.name, c.country_code)) ORDER BY c.country_code)
        FROM project_country c LEFT JOIN floor_label n ON n.kind = 'country' AND n.code = c.country_code
        WHERE c.project_id = p.id), '[]'),
    'themes', coalesce((SELECT json_agg(t.theme_code ORDER BY t.theme_code)
        FROM project_theme t WHERE t.project_id = p.id), '[]'),
    'funders', coalesce((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'acronym', o.acronym)
            ORDER BY x.position)
        FROM project_participant x JOIN organisation o ON o.id = x.organisation_id
        WHERE x.project_id = p.id AND x.role = 'funding'), '[]')
)::text"""

_DETAIL = """json_build_object(
    'id', p.id, 'code', p.code, 'title', p.title, 'language', p.language, 'titles', p.titles,
    'description', p.description, 'descriptions', p.descriptions, 'status', p.status,
    'reporting_organisation', (SELECT json_build_object('id', r.id, 'name', r.name, 'acronym', r.acronym)
        FROM organisation r WHERE r.id = p.reporting_org_id),
    'planned_start', p.planned_start, 'planned_end', p.planned_end,
    'actual_start', p.actual_start, 'actual_end', p.actual_end,
    'is_public', p.is_public, 'is_illustrative', p.is_illustrative, 'source', p.source,
    'themes', coalesce((SELECT json_agg(json_build_object('code', t.theme_code,
            'name', coalesce(n.name, t.theme_code)) ORDER BY t.theme_code)
        FROM project_theme t LEFT JOIN floor_label n ON n.kind = 'theme' AND n.code = t.theme_code
        WHERE t.project_id = p.id), '[]'),
    'sectors', coalesce((SELECT json_agg(json_build_object('sector_code', s.sector_code,
            'name', coalesce(n.name, s.sector_code), 'percentage', s.percentage::text) ORDER BY s.sector_code)
        FROM project_sector s LEFT JOIN floor_label n ON n.kind = 'sector' AND n.code = s.sector_code
        WHERE s.project_id = p.id), '[]'),
    'countries', coalesce((SELECT json_agg(json_build_object('country_code', c.country_code,
            'name', coalesce(n.name, c.country_code), 'percentage', c.percentage::text) ORDER BY c.country_code)
        FROM project_country c LEFT JOIN floor_label n ON n.kind = 'country' AND n.code = c.country_code
        WHERE c.project_id = p.id), '[]'),
    'locations', coalesce((SELECT json_agg(json_build_object('id', l.id, 'country_code', l.country_code,
            'name', l.name, 'admin_area', l.admin_area, 'description', l.description,
            'latitude', l.latitude::text, 'longitude', l.longitude::text) ORDER BY l.name)
        FROM project_location l WHERE l.project_id = p.id), '[]'),
    'participants', coalesce((SELECT json_agg(json_build_object('organisation',
            json_build_object('id', o.id, 'name', o.name, 'acronym', o.acronym), 'role', x.role) ORDER BY x.position)
        FROM project_participant x JOIN organisation o ON o.id = x.organisation_id
        WHERE x.project_id = p.id), '[]'),
    'version', p.version, 'created_at', p.created_at, 'updated_at', p.updated_at
)::text"""

# Each project's funding contribution by (type, funder, country, year, unconverted currency): what a country share
# of its transactions adds to each group.
NO_FUNDER = "00000000-0000-0000-0000-000000000000"  # group keys hold no NULL (plain equality joins): no funder
_PARTS = f"""
SELECT t.project_id, t.transaction_type, coalesce(t.provider_org_id, '{NO_FUNDER}'), c.country_code,
       coalesce(extract(year FROM t.value_date)::int, 0),
       CASE WHEN t.eur_amount IS NULL THEN t.currency END,
       coalesce(sum(t.eur_amount * c.percentage / 100), 0),
       coalesce(sum(t.amount * c.percentage / 100) FILTER (WHERE t.eur_amount IS NULL), 0),
       count(*)
FROM transaction t JOIN unnest(ids) AS x(id) ON x.id = t.project_id
JOIN project_country c ON c.project_id = t.project_id
GROUP BY 1, 2, 3, 4, 5, 6"""

_GROUP_KEY = "transaction_type, funder, country_code, year"

DDL = f"""
CREATE TABLE floor_label (kind text NOT NULL, code text NOT NULL, name text NOT NULL, PRIMARY KEY (kind, code));
CREATE TABLE floor_list_entry (
    country_code text NOT NULL, code text NOT NULL, project_id uuid NOT NULL, is_public boolean NOT NULL,
    item text NOT NULL, PRIMARY KEY (country_code, code, project_id) INCLUDE (item)
);
CREATE INDEX floor_list_entry_project ON floor_list_entry (project_id);
CREATE TABLE floor_list_count (country_code text PRIMARY KEY, everyone int NOT NULL, public int NOT NULL);
CREATE TABLE floor_detail (project_id uuid PRIMARY KEY, body text NOT NULL);
CREATE TABLE floor_funding_part (
    project_id uuid NOT NULL, transaction_type text NOT NULL, funder uuid NOT NULL, country_code text NOT NULL,
    year int NOT NULL, currency text, eur numeric NOT NULL, amount numeric NOT NULL, n int NOT NULL
);
CREATE INDEX floor_funding_part_project ON floor_funding_part (project_id);
CREATE INDEX floor_funding_part_group ON floor_funding_part ({_GROUP_KEY});
CREATE TABLE floor_funding_group (
    transaction_type text NOT NULL, funder uuid NOT NULL, country_code text NOT NULL, year int NOT NULL,
    eur numeric NOT NULL, n int NOT NULL, converted int NOT NULL, unconverted jsonb NOT NULL,
    PRIMARY KEY ({_GROUP_KEY})
);

CREATE FUNCTION floor_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    -- One refresh of a project at a time; the statements below see what a writer before us committed.
    PERFORM 1 FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id ORDER BY p.id FOR NO KEY UPDATE OF p;

    -- The list: entries and counts.
    WITH old AS (DELETE FROM floor_list_entry l USING unnest(ids) AS t(id) WHERE l.project_id = t.id
                 RETURNING l.country_code, l.is_public)
    INSERT INTO floor_list_count (country_code, everyone, public)
    SELECT country_code, -count(*), -count(*) FILTER (WHERE is_public) FROM old GROUP BY 1 ORDER BY 1
    ON CONFLICT (country_code) DO UPDATE SET everyone = floor_list_count.everyone + excluded.everyone,
                                             public = floor_list_count.public + excluded.public;
    WITH items AS (SELECT p.id, p.code, p.is_public, {_ITEM} AS item FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id),
    new AS (
        INSERT INTO floor_list_entry (country_code, code, project_id, is_public, item)
        SELECT c.country_code, i.code, i.id, i.is_public, i.item
        FROM items i JOIN project_country c ON c.project_id = i.id
        RETURNING country_code, is_public
    )
    INSERT INTO floor_list_count (country_code, everyone, public)
    SELECT country_code, count(*), count(*) FILTER (WHERE is_public) FROM new GROUP BY 1 ORDER BY 1
    ON CONFLICT (country_code) DO UPDATE SET everyone = floor_list_count.everyone + excluded.everyone,
                                             public = floor_list_count.public + excluded.public;

    -- The detail.
    DELETE FROM floor_detail d USING unnest(ids) AS t(id) WHERE d.project_id = t.id;
    INSERT INTO floor_detail (project_id, body)
    SELECT p.id, {_DETAIL} FROM project p JOIN unnest(ids) AS t(id) ON t.id = p.id;

    -- Funding: the projects' parts again, then every group they touched (before or after) summed again.
    CREATE TEMP TABLE IF NOT EXISTS floor_touched (
        transaction_type text, funder uuid, country_code text, year int
    ) ON COMMIT DROP;
    WITH old AS (DELETE FROM floor_funding_part f USING unnest(ids) AS t(id) WHERE f.project_id = t.id
                 RETURNING f.transaction_type, f.funder, f.country_code, f.year)
    INSERT INTO floor_touched SELECT DISTINCT {_GROUP_KEY} FROM old;
    WITH new AS (
        INSERT INTO floor_funding_part (project_id, {_GROUP_KEY}, currency, eur, amount, n) {_PARTS}
        RETURNING {_GROUP_KEY}
    )
    INSERT INTO floor_touched SELECT DISTINCT {_GROUP_KEY} FROM new;
    DELETE FROM floor_funding_group g USING (SELECT DISTINCT * FROM floor_touched) t
    WHERE (g.transaction_type, g.funder, g.country_code, g.year) = (t.transaction_type, t.funder, t.country_code, t.year);
    INSERT INTO floor_funding_group ({_GROUP_KEY}, eur, n, converted, unconverted)
    SELECT p.transaction_type, p.funder, p.country_code, p.year, sum(p.eur), sum(p.n),
           coalesce(sum(p.n) FILTER (WHERE p.currency IS NULL), 0),
           coalesce(jsonb_object_agg(p.currency, p.amount) FILTER (WHERE p.currency IS NOT NULL), '{{}}')
    FROM (
        SELECT part.transaction_type, part.funder, part.country_code, part.year, part.currency,
               sum(part.eur) AS eur, sum(part.n) AS n, sum(part.amount) AS amount
        FROM floor_funding_part part JOIN (SELECT DISTINCT * FROM floor_touched) t
          ON (part.transaction_type, part.funder, part.country_code, part.year)
             = (t.transaction_type, t.funder, t.country_code, t.year)
        GROUP BY 1, 2, 3, 4, 5
    ) p
    GROUP BY 1, 2, 3, 4;
    DELETE FROM floor_touched;
END
$$;

-- An organisation renamed: the list items and details that show it (as a participant or the reporting one).
CREATE FUNCTION floor_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM floor_refresh((
        WITH renamed AS (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                         WHERE (n.name, n.acronym) IS DISTINCT FROM (o.name, o.acronym))
        SELECT array_agg(DISTINCT k) FROM (
            SELECT x.project_id FROM project_participant x JOIN renamed r ON r.id = x.organisation_id
            UNION SELECT p.id FROM project p JOIN renamed r ON r.id = p.reporting_org_id) touched(k)));
    RETURN NULL;
END
$$;
CREATE TRIGGER floor_names AFTER UPDATE ON organisation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION floor_names();
"""

# The tables whose rows a project's floor rows are made of; each statement refreshes the projects it touched.
_CHILDREN = (
    "project_country",
    "project_theme",
    "project_sector",
    "project_location",
    "project_participant",
    "transaction",
)


def _trigger_ddl() -> str:
    parts = []
    for table in ("project", *_CHILDREN):
        key = "id" if table == "project" else "project_id"
        for event, refs, touched in (
            ("insert", "NEW TABLE AS new_rows", f"SELECT {key} FROM new_rows"),
            (
                "update",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                f"SELECT {key} FROM old_rows UNION SELECT {key} FROM new_rows",
            ),
            ("delete", "OLD TABLE AS old_rows", f"SELECT {key} FROM old_rows"),
        ):
            name = f"floor_{table}_{event}"
            parts.append(f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM floor_refresh((SELECT array_agg(DISTINCT k) FROM ({touched}) touched(k)));
    RETURN NULL;
END
$$;
CREATE TRIGGER {name} AFTER {event.upper()} ON "{table}" REFERENCING {refs}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();""")
    return "\n".join(parts)


def _labels() -> list[tuple[str, str, str]]:
    return (
        [("country", code, name) for code, name in country_names().items()]
        + [("theme", t.code, t.name) for t in THEMES]
        + [("sector", s.code, s.name) for s in DAC_SECTORS]
    )


async def install(dsn: str) -> None:
    """Create the floor's read models and their triggers, then fill them from the loaded tables."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(DDL + _trigger_ddl())
        await conn.copy_records_to_table("floor_label", records=_labels(), columns=["kind", "code", "name"])
        await conn.execute("SET work_mem = '256MB'")
        await conn.execute("SELECT floor_refresh(array_agg(id)) FROM project")
        await conn.execute("VACUUM (ANALYZE) floor_list_entry, floor_list_count, floor_detail, floor_funding_group")
    finally:
        await conn.close()


# -- verification: the kept rows equal a recomputation from scratch after every kind of write ------------------

_SNAPSHOT = {
    "list": "SELECT country_code, code, project_id, is_public, item FROM floor_list_entry ORDER BY 1, 2, 3",
    "count": "SELECT country_code, everyone, public FROM floor_list_count WHERE everyone <> 0 ORDER BY 1",
    "detail": "SELECT project_id, body FROM floor_detail ORDER BY 1",
    "funding": f"SELECT {_GROUP_KEY}, eur, n, converted, unconverted FROM floor_funding_group ORDER BY 1, 2, 3, 4",
}


async def _snapshot(conn: asyncpg.Connection) -> dict[str, list[Any]]:
    return {name: [tuple(r) for r in await conn.fetch(sql)] for name, sql in _SNAPSHOT.items()}


async def _recomputed(conn: asyncpg.Connection) -> dict[str, list[Any]]:
    """Every kept row thrown away and computed again from the tables (inside a savepoint, rolled back)."""
    async with conn.transaction():
        await conn.execute(
            "TRUNCATE floor_list_entry, floor_list_count, floor_detail, floor_funding_part, floor_funding_group"
        )
        await conn.execute("SELECT floor_refresh(array_agg(id)) FROM project")
        fresh = await _snapshot(conn)
        raise _Rollback(fresh)


class _Rollback(Exception):
    def __init__(self, value: dict[str, list[Any]]) -> None:
        super().__init__("rolled back")
        self.value = value


_WRITES = [
    # a new project with two countries, a theme, a funder, a location, transactions (one unconverted)
    """INSERT INTO project (id, code, title, status, is_public, is_illustrative, version)
       VALUES ('00000000-0000-4000-8000-00000000f100', 'FLOOR-CHECK-1', 'Floor check', 'implementation', true, false, 1)""",
    """INSERT INTO project_country VALUES ('00000000-0000-4000-8000-00000000f100', 'GE', 60),
                                          ('00000000-0000-4000-8000-00000000f100', 'AM', 40)""",
    "INSERT INTO project_theme VALUES ('00000000-0000-4000-8000-00000000f100', 'visa-policy')",
    """INSERT INTO project_participant (id, project_id, organisation_id, role, position)
       SELECT gen_random_uuid(), '00000000-0000-4000-8000-00000000f100', organisation_id, 'funding', 0
       FROM project_participant WHERE role = 'funding' LIMIT 1""",
    """INSERT INTO project_location (id, project_id, country_code, name)
       VALUES (gen_random_uuid(), '00000000-0000-4000-8000-00000000f100', 'GE', 'Tbilisi')""",
    """INSERT INTO transaction (id, project_id, transaction_type, transaction_date, value_date, provider_org_id,
                                amount, currency, eur_amount, is_illustrative, version)
       SELECT gen_random_uuid(), '00000000-0000-4000-8000-00000000f100', 'disbursement', d, d,
              (SELECT organisation_id FROM project_participant WHERE role = 'funding' LIMIT 1), a, c, e, false, 1
       FROM (VALUES (date '2011-05-01', 1000.00, 'EUR', 1000.00), (date '2011-06-01', 500.00, 'GEL', NULL))
            v(d, a, c, e)""",
    # changes to existing projects: countries moved, visibility, a title, a theme, a transaction amount
    """UPDATE project_country SET country_code = 'AZ'
       WHERE (project_id, country_code) IN (SELECT project_id, country_code FROM project_country
                                            WHERE country_code = 'GE' ORDER BY project_id LIMIT 3)
         AND NOT EXISTS (SELECT 1 FROM project_country x WHERE x.project_id = project_country.project_id
                         AND x.country_code = 'AZ')""",
    "UPDATE project SET is_public = NOT is_public, title = title || ' (changed)' "
    "WHERE id IN (SELECT id FROM project ORDER BY id LIMIT 5)",
    "DELETE FROM project_theme WHERE project_id IN (SELECT id FROM project ORDER BY id DESC LIMIT 3)",
    "UPDATE transaction SET eur_amount = eur_amount + 1 WHERE id IN (SELECT id FROM transaction ORDER BY id LIMIT 7)",
    # a funder renamed; a project deleted (its rows go by cascade)
    "UPDATE organisation SET name = name || ' (renamed)' "
    "WHERE id = (SELECT organisation_id FROM project_participant WHERE role = 'funding' LIMIT 1)",
    "DELETE FROM transaction WHERE project_id = (SELECT id FROM project ORDER BY code LIMIT 1)",
    "DELETE FROM project WHERE id = (SELECT id FROM project ORDER BY code LIMIT 1)",
]


async def verify(dsn: str) -> list[str]:
    """Apply every kind of write in one transaction, compare the kept rows with a recomputation, roll back.
    Returns what differs (nothing when the read models are kept correctly)."""
    conn = await asyncpg.connect(dsn)
    problems: list[str] = []
    try:
        transaction = conn.transaction()
        await transaction.start()
        try:
            for sql in _WRITES:
                await conn.execute(sql)
            kept = await _snapshot(conn)
            try:
                await _recomputed(conn)
            except _Rollback as done:
                fresh = done.value
            for name in _SNAPSHOT:
                if kept[name] != fresh[name]:
                    problems.append(f"{name}: {len(kept[name])} kept rows differ from {len(fresh[name])} recomputed")
        finally:
            await transaction.rollback()
    finally:
        await conn.close()
    return problems
