"""the language each person reads the app in (e-mails to them are written in it); no file paths in source notes

Source notes are shown to the public: the demo data's named the repository file of its source page. They name the
page alone now; rows loaded before lose the path too.

Revision ID: 14a1
Revises: 0003_i11_security
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "14a1"
down_revision: str | None = "0003_i11_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SOURCE_PATH = " (shared/seeds/000_77b06fb2155337b3.txt)"
SOURCE_TABLES = ("project", "activity", "budget", "transaction", "organisation")


def upgrade() -> None:
    op.add_column("user_account", sa.Column("language", sa.String(length=5), nullable=True))
    for table in SOURCE_TABLES:
        # The table names are this file's constants; the path is a bound value.
        statement = f"UPDATE \"{table}\" SET source = replace(source, :path, '') WHERE strpos(source, :path) > 0"  # noqa: S608
        op.execute(sa.text(statement).bindparams(path=SOURCE_PATH))


def downgrade() -> None:
    # The paths are not put back: they never belonged in public notes.
    op.drop_column("user_account", "language")
