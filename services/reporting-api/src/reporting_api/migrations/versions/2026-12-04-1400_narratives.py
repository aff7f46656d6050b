"""texts in several languages: results' titles and descriptions, indicators' names and definitions

Revision ID: b7e2c4a91d05
Revises: 3b7e90c4d2a1
Create Date: 2026-12-04 14:00:00

The plain columns keep the text in the record's default language (`language`) for existing clients; the maps hold
every language, the default included. Existing rows get their text as the map's only entry, in English.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "b7e2c4a91d05"
down_revision: str | None = "3b7e90c4d2a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {"result": ("title", "description"), "indicator": ("name", "definition")}


def upgrade() -> None:
    for table, (short, long) in COLUMNS.items():
        op.add_column(table, sa.Column("language", sa.String(2), server_default="en", nullable=False))
        for column in (short, long):
            op.add_column(
                table,
                sa.Column(column + "s", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
            )
            op.execute(f"UPDATE {table} SET {column}s = jsonb_build_object('en', {column}) WHERE {column} IS NOT NULL")  # noqa: S608 (constant names)


def downgrade() -> None:
    for table, (short, long) in COLUMNS.items():
        for column in (long + "s", short + "s", "language"):
            op.drop_column(table, column)
