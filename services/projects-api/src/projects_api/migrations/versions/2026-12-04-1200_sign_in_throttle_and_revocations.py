"""sign-in throttle and token revocations (issue 11)

Revision ID: 0003_i11_security
Revises: 0003
Create Date: 2026-12-04 12:00:00

`login_throttle`: failed sign-ins per account, client address and API client, kept in the database so every replica
applies the same lockout. `token_revocation`: subjects whose earlier access tokens are refused.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_i11_security"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_index(op.f("ix_login_throttle_last_failure_at"), "login_throttle", ["last_failure_at"], unique=False)
    op.create_table(
        "token_revocation",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_token_revocation")),
    )
    op.create_index(op.f("ix_token_revocation_revoked_at"), "token_revocation", ["revoked_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_token_revocation_revoked_at"), table_name="token_revocation")
    op.drop_table("token_revocation")
    op.drop_index(op.f("ix_login_throttle_last_failure_at"), table_name="login_throttle")
    op.drop_table("login_throttle")
