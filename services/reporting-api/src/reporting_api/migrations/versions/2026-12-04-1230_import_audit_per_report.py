"""the values an import creates in the reports it creates: audited in one row per report

Revision ID: d16e0f1a2b3c
Revises: 14a2
Create Date: 2026-12-04 12:30:00

A million-value import wrote a million `value_audit` rows (each with its foreign-key check and index entry): a fifth
of the import's time, the margin by which it missed 2.5 × a raw COPY of its rows (BENCHMARKS.md). The values an
import creates in reports it creates itself have no before; they are now audited in one row per report (action
`import`, `after` holding every value as created, with its indicator and disaggregation), which the history endpoint
shows as one `create` per value, as before. Every other change keeps its row per value.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d16e0f1a2b3c"
down_revision: str | None = "14a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("value_audit", "project_indicator_id", existing_type=sa.Uuid(), nullable=True)
    op.alter_column("value_audit", "disaggregation_key", existing_type=sa.String(length=200), nullable=True)
    op.create_check_constraint(
        op.f("ck_value_audit_one_value_or_an_import"),
        "value_audit",
        "(action = 'import') = (project_indicator_id IS NULL AND disaggregation_key IS NULL)",
    )


def downgrade() -> None:
    # Each grouped row back into one row per value, as the history shows them.
    op.execute(
        """
        INSERT INTO value_audit (report_id, project_indicator_id, disaggregation_key, action, after, actor, via, at)
        SELECT a.report_id, (e->>'project_indicator_id')::uuid, e->>'disaggregation_key', 'create', e->'after',
               a.actor, a.via, a.at
        FROM value_audit a, jsonb_array_elements(a.after) e WHERE a.action = 'import'
        """
    )
    op.execute("DELETE FROM value_audit WHERE action = 'import'")
    op.drop_constraint(op.f("ck_value_audit_one_value_or_an_import"), "value_audit", type_="check")
    op.alter_column("value_audit", "disaggregation_key", existing_type=sa.String(length=200), nullable=False)
    op.alter_column("value_audit", "project_indicator_id", existing_type=sa.Uuid(), nullable=False)
