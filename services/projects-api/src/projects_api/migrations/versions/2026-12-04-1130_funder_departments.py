"""departments of an organisation: funding figures count and name them under their parent

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 11:30:00

A ministry's department (the Czech Ministry of the Interior's Department of Asylum and Migration Policies) funds
projects in its own name, but donors ask about the ministry. `organisation.is_department` marks such units: the
funding summary counts their money under the nearest organisation above them that is not a department and names it
"Ministry of the Interior of the Czech Republic (OAMP)". Changing the flag changes kept summaries, so it bumps the
funding cube's version like a change of name or parent does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _names_trigger(columns: str) -> None:
    op.execute("DROP TRIGGER funding_cube_names_changed ON organisation")
    op.execute(f"""CREATE TRIGGER funding_cube_names_changed AFTER UPDATE OF {columns} ON organisation
    FOR EACH STATEMENT EXECUTE FUNCTION funding_cube_names_changed()""")


def upgrade() -> None:
    op.add_column(
        "organisation", sa.Column("is_department", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    _names_trigger("name, acronym, parent_id, is_department")


def downgrade() -> None:
    _names_trigger("name, acronym, parent_id")
    op.drop_column("organisation", "is_department")
