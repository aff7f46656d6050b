"""import jobs remember what their Idempotency-Key was sent with (issue 11)

Revision ID: 3b7e9d2c41f0
Revises: d16e0f1a2b3c
Create Date: 2026-12-04 13:00:00

A key reused with another file or other options answers 422 instead of replaying the first result.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7e9d2c41f0"
down_revision: str | None = "d16e0f1a2b3c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("import_job", sa.Column("request_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("import_job", "request_hash")
