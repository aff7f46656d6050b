"""funding cube: transactions pre-aggregated by type, funder, country and year, kept by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 04:10:00

The funding summary joined every transaction with its project's country shares on each request (0.7 s over 200,000
transactions). The cube holds one row per (type, funder, country, year, unconverted currency) with the measures for
everyone and for public projects; `funding_part` holds each project's contribution to it. Whenever a statement
changes transactions, country shares or a project's visibility, `funding_refresh` takes the touched projects' old
parts out of the cube and puts their recomputed parts in, in the same transaction: the cube is never stale, whatever
wrote the rows (the API, COPY, a cascade), and the result does not depend on the order cascaded deletes run in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

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


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("eur_all", sa.Numeric(), nullable=False),
        sa.Column("amount_all", sa.Numeric(), nullable=False),
        sa.Column("rows_all", sa.Integer(), nullable=False),
        sa.Column("transactions_all", sa.Integer(), nullable=False),
        sa.Column("eur_public", sa.Numeric(), nullable=False),
        sa.Column("amount_public", sa.Numeric(), nullable=False),
        sa.Column("rows_public", sa.Integer(), nullable=False),
        sa.Column("transactions_public", sa.Integer(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("transaction_type", sa.String(length=20), nullable=False),
        sa.Column("provider_org_id", sa.Uuid(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
    ]


_SUMS = ", ".join(f"sum({m}) AS {m}" for m in MEASURES)
_NEGATED_SUMS = ", ".join(f"-sum({m}) AS {m}" for m in MEASURES)
_ADD = ", ".join(f"{m} = funding_cube.{m} + excluded.{m}" for m in MEASURES)

REFRESH = f"""
CREATE FUNCTION funding_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    -- One refresh of a project at a time: a second waits, then sees the first one's parts and takes them out.
    PERFORM 1 FROM project WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;

    WITH old AS (DELETE FROM funding_part WHERE project_id = ANY(ids) RETURNING *)
    INSERT INTO funding_cube ({GROUP}, {", ".join(MEASURES)})
    SELECT {GROUP}, {_NEGATED_SUMS} FROM old GROUP BY {GROUP} ORDER BY {GROUP}
    ON CONFLICT ON CONSTRAINT uq_funding_cube_group DO UPDATE SET {_ADD};

    WITH shares AS (
        SELECT pc.project_id, pc.country_code, pc.percentage / 100 AS share,
               row_number() OVER (PARTITION BY pc.project_id ORDER BY pc.country_code) = 1 AS first
        FROM project_country pc WHERE pc.project_id = ANY(ids)
        UNION ALL  -- what no country share covers: everything, for a project without countries
        SELECT p.id, NULL, 1 - coalesce(sum(pc.percentage), 0) / 100, count(pc.country_code) = 0
        FROM project p LEFT JOIN project_country pc ON pc.project_id = p.id
        WHERE p.id = ANY(ids) GROUP BY p.id
    ),
    parts AS (
        INSERT INTO funding_part (project_id, {GROUP}, {", ".join(MEASURES)})
        SELECT t.project_id, t.transaction_type, t.provider_org_id, s.country_code,
               extract(year FROM t.value_date)::int, CASE WHEN t.eur_amount IS NULL THEN t.currency END,
               coalesce(sum(t.eur_amount * s.share), 0),
               coalesce(sum(t.amount * s.share) FILTER (WHERE t.eur_amount IS NULL), 0),
               count(*), count(*) FILTER (WHERE s.first),
               coalesce(sum(t.eur_amount * s.share) FILTER (WHERE p.is_public), 0),
               coalesce(sum(t.amount * s.share) FILTER (WHERE t.eur_amount IS NULL AND p.is_public), 0),
               count(*) FILTER (WHERE p.is_public), count(*) FILTER (WHERE s.first AND p.is_public)
        FROM transaction t
        JOIN project p ON p.id = t.project_id
        JOIN shares s ON s.project_id = t.project_id AND (s.share <> 0 OR s.first)
        WHERE t.project_id = ANY(ids)
        GROUP BY t.project_id, t.transaction_type, t.provider_org_id, s.country_code,
                 extract(year FROM t.value_date)::int, CASE WHEN t.eur_amount IS NULL THEN t.currency END
        RETURNING *
    )
    INSERT INTO funding_cube ({GROUP}, {", ".join(MEASURES)})
    SELECT {GROUP}, {_SUMS} FROM parts GROUP BY {GROUP} ORDER BY {GROUP}
    ON CONFLICT ON CONSTRAINT uq_funding_cube_group DO UPDATE SET {_ADD};

    DELETE FROM funding_cube WHERE rows_all = 0;
    UPDATE funding_cube_version SET version = nextval('funding_cube_version_seq');
END
$$;
"""  # noqa: S608 - built from the constants above, no input

# Statement-level triggers with transition tables: a COPY of 200,000 transactions refreshes once, not per row.
TRIGGERS = {
    "transaction": {
        "INSERT": "SELECT array_agg(DISTINCT project_id) FROM new_rows",
        "UPDATE": "SELECT array_agg(DISTINCT project_id) FROM (SELECT project_id FROM old_rows "
        "UNION SELECT project_id FROM new_rows) touched",
        "DELETE": "SELECT array_agg(DISTINCT project_id) FROM old_rows",
    },
    "project_country": {
        "INSERT": "SELECT array_agg(DISTINCT project_id) FROM new_rows",
        "UPDATE": "SELECT array_agg(DISTINCT project_id) FROM (SELECT project_id FROM old_rows "
        "UNION SELECT project_id FROM new_rows) touched",
        "DELETE": "SELECT array_agg(DISTINCT project_id) FROM old_rows",
    },
    "project": {
        "UPDATE": "SELECT array_agg(n.id) FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE n.is_public IS DISTINCT FROM o.is_public",
    },
}
_TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def _trigger_names() -> list[tuple[str, str, str]]:
    return [
        (table, event, f"funding_{table}_{event.lower()}") for table, events in TRIGGERS.items() for event in events
    ]


BUMP = """
CREATE FUNCTION funding_cube_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE funding_cube_version SET version = nextval('funding_cube_version_seq');
    RETURN NULL;
END
$$"""


def upgrade() -> None:
    # The cube's version: it changes in the transaction that changes the cube (or a funder's name or place in the
    # tree), so an answer computed at one version can be reused until it changes, by any replica. Values come from a
    # sequence, which a rollback does not rewind: a version number never names two different states.
    op.execute("CREATE SEQUENCE funding_cube_version_seq")
    op.create_table(
        "funding_cube_version",
        sa.Column("id", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id", name=op.f("ck_funding_cube_version_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_cube_version")),
    )
    op.execute("INSERT INTO funding_cube_version (version) VALUES (nextval('funding_cube_version_seq'))")
    op.execute(BUMP)
    op.execute("""CREATE TRIGGER funding_cube_names_changed AFTER UPDATE OF name, acronym, parent_id ON organisation
    FOR EACH STATEMENT EXECUTE FUNCTION funding_cube_names_changed()""")
    op.create_table(
        "funding_part",
        *_columns(),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_part")),
    )
    op.create_index(op.f("ix_funding_part_project_id"), "funding_part", ["project_id"], unique=False)
    op.create_table(
        "funding_cube",
        *_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_cube")),
        sa.UniqueConstraint(
            "transaction_type",
            "provider_org_id",
            "country_code",
            "year",
            "currency",
            name="uq_funding_cube_group",
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.execute(REFRESH)
    for table, event, name in _trigger_names():
        op.execute(f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM funding_refresh(({TRIGGERS[table][event]}));
    RETURN NULL;
END
$$""")
        op.execute(f"""CREATE TRIGGER {name} AFTER {event} ON "{table}" REFERENCING {_TRANSITIONS[event]}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}()""")
    # Transactions already recorded count from the start.
    op.execute("SELECT funding_refresh(array_agg(id)) FROM project")


def downgrade() -> None:
    for table, _event, name in _trigger_names():
        op.execute(f'DROP TRIGGER {name} ON "{table}"')
        op.execute(f"DROP FUNCTION {name}()")
    op.execute("DROP FUNCTION funding_refresh(uuid[])")
    op.execute("DROP TRIGGER funding_cube_names_changed ON organisation")
    op.execute("DROP FUNCTION funding_cube_names_changed()")
    op.drop_table("funding_cube_version")
    op.execute("DROP SEQUENCE funding_cube_version_seq")
    op.drop_table("funding_cube")
    op.drop_index(op.f("ix_funding_part_project_id"), table_name="funding_part")
    op.drop_table("funding_part")
