"""api clients that act for users: the service credential reporting-api's import jobs run with

Revision ID: 0003_i15_acts_for
Revises: 0016
Create Date: 2026-12-04 12:00:00

An import job runs after the uploader's access token has expired. Instead of keeping that token, reporting-api's own
API client asks for a short-lived token of the uploader (RFC 8693 token exchange), which carries the uploader's grants
as they are when the job runs. Only clients marked here may ask; `bootstrap` marks reporting-api's.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_i15_acts_for"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("api_client", sa.Column("acts_for_users", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column("api_client", "acts_for_users")
