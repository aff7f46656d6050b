"""IATI: texts in several languages, the reporting organisation, organisations' default language, import jobs

Revision ID: 0003_i13_texts
Revises: 0003_i15_acts_for
Create Date: 2026-12-04 14:00:00

A project keeps `title` and `description` in its default language (`language`) for existing clients and every
language it holds in `titles` and `descriptions`; existing rows get their text as the map's only entry, in English
(the language every text so far was written in). `reporting_org_id` names the organisation that publishes it to
IATI; existing projects whose code starts with an organisation's IATI identifier get that organisation.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_i13_texts"
down_revision: str | None = "0003_i15_acts_for"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("organisation", sa.Column("default_language", sa.String(2), server_default="en", nullable=False))
    op.add_column("organisation", sa.Column("needs_review", sa.Boolean(), server_default="false", nullable=False))
    op.add_column("project", sa.Column("language", sa.String(2), server_default="en", nullable=False))
    for name in ("titles", "descriptions"):
        op.add_column(
            "project", sa.Column(name, postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False)
        )
    op.add_column("project", sa.Column("reporting_org_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_project_reporting_org_id_organisation"), "project", "organisation", ["reporting_org_id"], ["id"]
    )
    op.create_index(op.f("ix_project_reporting_org_id"), "project", ["reporting_org_id"])
    op.execute(
        "UPDATE project SET titles = jsonb_build_object('en', title), "
        "descriptions = CASE WHEN description IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('en', description) END"
    )
    # The longest identifier that prefixes the code: XM-DAC-47066-GE-MMCB is published by XM-DAC-47066.
    op.execute(
        "UPDATE project p SET reporting_org_id = ("
        " SELECT o.id FROM organisation o WHERE o.iati_identifier IS NOT NULL"
        " AND p.code LIKE o.iati_identifier || '-%' ORDER BY length(o.iati_identifier) DESC LIMIT 1)"
    )
    op.create_table(
        "iati_import_job",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("activities_total", sa.Integer(), nullable=False),
        sa.Column("activities_done", sa.Integer(), nullable=False),
        sa.Column("summary", postgresql.JSONB(), nullable=True),
        sa.Column("error", postgresql.JSONB(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("token", sa.Text(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_import_job")),
    )
    op.create_index("ix_iati_import_job_status_created_at", "iati_import_job", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_iati_import_job_status_created_at", table_name="iati_import_job")
    op.drop_table("iati_import_job")
    op.drop_index(op.f("ix_project_reporting_org_id"), table_name="project")
    op.drop_constraint(op.f("fk_project_reporting_org_id_organisation"), "project", type_="foreignkey")
    for name in ("reporting_org_id", "descriptions", "titles", "language"):
        op.drop_column("project", name)
    op.drop_column("organisation", "needs_review")
    op.drop_column("organisation", "default_language")
