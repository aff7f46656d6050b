"""DHIS2 mapping: what a DHIS2 orgUnit, dataElement or categoryOptionCombo means here, kept by admins

Revision ID: 3d9e4a1b7c20
Revises: a10f5e2c7b91
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "3d9e4a1b7c20"
down_revision: str | None = "a10f5e2c7b91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dhis2_mapping",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dhis2_id", sa.String(length=11), nullable=False),
        sa.Column("dhis2_code", sa.String(length=100), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("indicator_id", sa.Uuid(), nullable=True),
        sa.Column("disaggregation", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(kind = 'orgUnit' AND num_nonnulls(project_id, country_code) = 1 AND indicator_id IS NULL "
            "AND disaggregation IS NULL) OR (kind = 'dataElement' AND indicator_id IS NOT NULL "
            "AND num_nonnulls(project_id, country_code, disaggregation) = 0) OR (kind = 'categoryOptionCombo' "
            "AND disaggregation IS NOT NULL AND num_nonnulls(project_id, country_code, indicator_id) = 0)",
            name=op.f("ck_dhis2_mapping_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_dhis2_mapping_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dhis2_mapping")),
        sa.UniqueConstraint("kind", "dhis2_id", name=op.f("uq_dhis2_mapping_kind_dhis2_id")),
    )
    op.create_index(
        "uq_dhis2_mapping_kind_dhis2_code",
        "dhis2_mapping",
        ["kind", "dhis2_code"],
        unique=True,
        postgresql_where=sa.text("dhis2_code IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_dhis2_mapping_kind_dhis2_code",
        table_name="dhis2_mapping",
        postgresql_where=sa.text("dhis2_code IS NOT NULL"),
    )
    op.drop_table("dhis2_mapping")
