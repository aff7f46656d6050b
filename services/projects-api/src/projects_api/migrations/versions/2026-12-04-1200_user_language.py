"""the language each person reads the app in (e-mails to them are written in it)

Revision ID: 14a1
Revises: 0002
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "14a1"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("user_account", sa.Column("language", sa.String(length=5), nullable=True))


def downgrade() -> None:
    op.drop_column("user_account", "language")
