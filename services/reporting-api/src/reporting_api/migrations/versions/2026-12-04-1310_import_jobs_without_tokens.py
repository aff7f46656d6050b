"""import jobs without the uploader's token: the worker acts for the uploader with reporting-api's own credential

Revision ID: 3b7e90c4d2a1
Revises: 3b7e9d2c41f0
Create Date: 2026-12-04 12:10:00

A job kept the uploader's bearer token to check their rights when it ran, so a job that waited longer than the
token's life (15 minutes) failed, and a live credential sat in the database meanwhile. The worker now asks
projects-api for a short-lived token of the uploader (`created_by`) with reporting-api's API client (token
exchange), so their rights are those they have when the job runs. Tokens already stored are dropped with the column.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7e90c4d2a1"
down_revision: str | None = "3b7e9d2c41f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_column("import_job", "token")


def downgrade() -> None:
    # The tokens are gone for good: jobs queued before the downgrade run with the new release's credential or fail.
    op.add_column("import_job", sa.Column("token", sa.Text(), nullable=True))
