"""the values an import creates with a report: their state as created is derived, not copied into the audit

Revision ID: e5c1a7d90b24
Revises: b7e2c4a91d05
Create Date: 2026-12-05 00:10:00

An import's `import` row in `value_audit` (one per report it creates, migration d16e0f1a2b3c) no longer copies every
value into `after`: every later change of a value is audited with its `before`, so the first later change of each
value holds it as created, and a value nothing changed since is as it is now (reports.repository.as_created). A
million-value import spent a sixth of its time writing that copy (BENCHMARKS.md, round 5). Rows written before keep
their list, which the history still reads. No table changes; the downgrade writes the derived list into the rows
without one, as the code before this revision expects.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e5c1a7d90b24"
down_revision: str | None = "b7e2c4a91d05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # no schema change: import rows written from now on have no `after`


def downgrade() -> None:
    op.execute(
        """
        WITH imp AS (
            SELECT id, report_id FROM value_audit WHERE action = 'import' AND after IS NULL
        ), first_change AS (
            SELECT DISTINCT ON (imp.id, l.project_indicator_id, l.disaggregation_key)
                   imp.id AS import_id, l.project_indicator_id AS pi_id, l.disaggregation_key AS dkey, l.action,
                   l.before
            FROM imp JOIN value_audit l ON l.report_id = imp.report_id AND l.id > imp.id AND l.action <> 'import'
            ORDER BY imp.id, l.project_indicator_id, l.disaggregation_key, l.id
        ), created AS (
            SELECT import_id, pi_id, dkey, before AS after FROM first_change WHERE action IN ('update', 'delete')
            UNION ALL
            SELECT imp.id, rv.project_indicator_id, rv.disaggregation_key,
                   jsonb_build_object('disaggregation', rv.disaggregation, 'value', rv.value::text,
                                      'numerator', rv.numerator::text, 'denominator', rv.denominator::text,
                                      'text_value', rv.text_value, 'comment', rv.comment, 'incomplete', rv.incomplete)
            FROM imp JOIN report_value rv ON rv.report_id = imp.report_id
            WHERE NOT EXISTS (
                SELECT 1 FROM first_change f
                WHERE f.import_id = imp.id AND f.pi_id = rv.project_indicator_id AND f.dkey = rv.disaggregation_key
            )
        ), listed AS (
            SELECT imp.id, coalesce(jsonb_agg(jsonb_build_object('project_indicator_id', c.pi_id,
                                                                 'disaggregation_key', c.dkey, 'after', c.after)
                                              ORDER BY c.pi_id::text, c.dkey) FILTER (WHERE c.pi_id IS NOT NULL),
                                    '[]'::jsonb) AS after
            FROM imp LEFT JOIN created c ON c.import_id = imp.id
            GROUP BY imp.id
        )
        UPDATE value_audit a SET after = listed.after FROM listed WHERE a.id = listed.id
        """
    )
