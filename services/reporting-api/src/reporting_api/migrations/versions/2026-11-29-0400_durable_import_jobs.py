"""durable import jobs: a queue with heartbeats, the upload kept in the database

Revision ID: 8c2d51a7e0b3
Revises: 4f1ed9562561
Create Date: 2026-11-29 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c2d51a7e0b3"
down_revision: str | None = "4f1ed9562561"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("import_job", sa.Column("claimed_by", sa.String(length=200), nullable=True))
    op.add_column("import_job", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("import_job", sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
    op.add_column("import_job", sa.Column("token", sa.Text(), nullable=True))
    op.create_index("ix_import_job_status_created_at", "import_job", ["status", "created_at"], unique=False)
    # Jobs a restart left running were lost with their process and their file: say so instead of "running".
    op.execute(
        "UPDATE import_job SET status = 'failed', finished_at = now(), "
        'summary = \'{"error": "the service restarted before the import ran; nothing was imported"}\'::jsonb '
        "WHERE status IN ('queued', 'running')"
    )
    op.create_table(
        "import_upload",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["import_job.id"], name=op.f("fk_import_upload_job_id_import_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", "seq", name=op.f("pk_import_upload")),
    )
    # Chunks live only until their job ends: store them uncompressed (compressing costs more time than it saves).
    op.execute("ALTER TABLE import_upload ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("import_upload")
    op.drop_index("ix_import_job_status_created_at", table_name="import_job")
    op.drop_column("import_job", "token")
    op.drop_column("import_job", "attempts")
    op.drop_column("import_job", "heartbeat_at")
    op.drop_column("import_job", "claimed_by")
