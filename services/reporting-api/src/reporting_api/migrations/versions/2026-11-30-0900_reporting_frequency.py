"""one reporting frequency per project indicator, every DHIS2 period type as a frequency

Revision ID: a10f5e2c7b91
Revises: 8c2d51a7e0b3
Create Date: 2026-11-30 09:00:00

A project indicator is reported at one frequency (a period type, or `once`), so its values never sit in periods of
two types that overlap (a quarter and its semester). Existing ones take their catalogue indicator's frequency; the
catalogue's `financial_year` becomes DHIS2's July financial year (`financial_july`), the one the parser named first.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a10f5e2c7b91"
down_revision: str | None = "8c2d51a7e0b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Downgrade: each new period type back to the nearest one the old column knew.
OLD_NAMES = {
    "day": "once",
    "week_wednesday": "week",
    "week_thursday": "week",
    "week_saturday": "week",
    "week_sunday": "week",
    "bi_week": "week",
    "bi_month": "month",
    "six_month_april": "semester",
    "six_month_november": "semester",
    "financial_april": "financial_year",
    "financial_july": "financial_year",
    "financial_october": "financial_year",
    "financial_november": "financial_year",
}


def upgrade() -> None:
    op.alter_column("indicator", "frequency", type_=sa.String(length=20), existing_nullable=False)
    op.execute("UPDATE indicator SET frequency = 'financial_july' WHERE frequency = 'financial_year'")
    op.add_column("project_indicator", sa.Column("frequency", sa.String(length=20), nullable=True))
    op.execute("UPDATE project_indicator pi SET frequency = i.frequency FROM indicator i WHERE i.id = pi.indicator_id")
    op.alter_column("project_indicator", "frequency", nullable=False)


def downgrade() -> None:
    op.drop_column("project_indicator", "frequency")
    for new, old in OLD_NAMES.items():
        op.execute(sa.text("UPDATE indicator SET frequency = :old WHERE frequency = :new").bindparams(old=old, new=new))
    op.alter_column("indicator", "frequency", type_=sa.String(length=16), existing_nullable=False)
