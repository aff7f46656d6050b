"""notifications (events, in-app, preferences, e-mail outbox), report submissions kept, names on value changes

Also: the demo data's public source notes named the repository file of their source page; they name the page alone.

Revision ID: 14a2
Revises: 3d9e4a1b7c20
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "14a2"
down_revision: str | None = "3d9e4a1b7c20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")
SOURCE_PATH = " (shared/seeds/000_77b06fb2155337b3.txt)"


def upgrade() -> None:
    for table in ("context_value", "indicator"):
        # The table names are this file's constants; the path is a bound value.
        statement = f"UPDATE \"{table}\" SET source = replace(source, :path, '') WHERE strpos(source, :path) > 0"  # noqa: S608
        op.execute(sa.text(statement).bindparams(path=SOURCE_PATH))
    op.add_column("value_audit", sa.Column("actor_name", sa.Text(), nullable=True))
    op.create_table(
        "report_submission",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("values", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_submission_report_id_report"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_submission")),
    )
    op.create_index("ix_report_submission_report_id", "report_submission", ["report_id", "id"], unique=False)
    op.create_table(
        "notification_event",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("audience", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_event")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notification_event_dedupe_key")),
    )
    op.create_index(
        "ix_notification_event_pending",
        "notification_event",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("processed_at IS NULL"),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["notification_event.id"],
            name=op.f("fk_notification_event_id_notification_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("event_id", "recipient", name=op.f("uq_notification_event_id_recipient")),
    )
    op.create_index("ix_notification_recipient_created", "notification", ["recipient", "created_at"], unique=False)
    op.create_index(
        "ix_notification_unread",
        "notification",
        ["recipient"],
        unique=False,
        postgresql_where=sa.text("read_at IS NULL"),
    )
    op.create_table(
        "notification_preference",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("subject", "kind", name=op.f("pk_notification_preference")),
    )
    op.create_table(
        "email_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["notification_event.id"],
            name=op.f("fk_email_outbox_event_id_notification_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_outbox")),
        sa.UniqueConstraint("event_id", "recipient", name=op.f("uq_email_outbox_event_id_recipient")),
        sa.UniqueConstraint("message_id", name=op.f("uq_email_outbox_message_id")),
    )
    op.create_index("ix_email_outbox_status_next", "email_outbox", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_email_outbox_status_next", table_name="email_outbox")
    op.drop_table("email_outbox")
    op.drop_table("notification_preference")
    op.drop_index("ix_notification_unread", table_name="notification", postgresql_where=sa.text("read_at IS NULL"))
    op.drop_index("ix_notification_recipient_created", table_name="notification")
    op.drop_table("notification")
    op.drop_index(
        "ix_notification_event_pending",
        table_name="notification_event",
        postgresql_where=sa.text("processed_at IS NULL"),
    )
    op.drop_table("notification_event")
    op.drop_index("ix_report_submission_report_id", table_name="report_submission")
    op.drop_table("report_submission")
    op.drop_column("value_audit", "actor_name")
