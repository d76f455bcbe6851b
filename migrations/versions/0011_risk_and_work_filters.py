"""Scam-risk signals stored with each gig; employment type, workplace type and "hide risky
gigs" filters on users

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("gigs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk", sa.JSON(), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("employment_types", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("workplace_types", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("hide_risky", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("hide_risky")
        batch_op.drop_column("workplace_types")
        batch_op.drop_column("employment_types")
    with op.batch_alter_table("gigs", schema=None) as batch_op:
        batch_op.drop_column("risk")
