"""the kept list items take the funding cube's version row before the per-country counts: one lock order for writers

Revision ID: 0004_r4_lock_order
Revises: 0003_i13_reads
Create Date: 2026-12-04 21:10:00

Two requests changing two projects' countries deadlocked (PostgreSQL chose one, which answered 500; found by
test_summary_concurrent.py): `project_reads_refresh` updates `project_country_count`'s row of each country, held to
the commit, and `funding_refresh` takes the cube's version row, also held to the commit, each in the order its
statements came. A request whose first statement refreshed the list items (a project changed) held a country's count
and waited for the version; another, whose first statement refreshed the cube, held the version and waited for that
country's count. Now the list items' refresh takes the version row too, right after the projects' rows, so every
writer takes projects, then the version, then the counts or the cube's rows. The function is changed where it stands
(`pg_get_functiondef`), one line added, so the migrations that wrote it stay the one place that says what it keeps.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_r4_lock_order"
down_revision: str | None = "0003_i13_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROJECTS = "ORDER BY p.id FOR NO KEY UPDATE OF p;"
VERSION = """
    -- Then the funding cube's version row, as funding_refresh takes it: one lock order for every writer
    PERFORM 1 FROM funding_cube_version FOR UPDATE;"""


def _definition() -> str:
    return str(
        op.get_bind()
        .execute(sa.text("SELECT pg_get_functiondef('project_reads_refresh(uuid[])'::regprocedure)"))
        .scalar_one()
    )


def upgrade() -> None:
    definition = _definition()
    if definition.count(PROJECTS) != 1 or VERSION in definition:
        raise RuntimeError("project_reads_refresh does not lock its projects once as migration 0016 wrote it")
    op.execute(definition.replace(PROJECTS, PROJECTS + VERSION))


def downgrade() -> None:
    op.execute(_definition().replace(VERSION, ""))
