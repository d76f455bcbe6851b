"""per-user application numbers, typed-prompt time, feedback reason

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-07 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
    # Each user's applications numbered 1, 2, 3 … in the order they were created.
    op.execute(
        "UPDATE applications SET number = (SELECT COUNT(*) FROM applications AS earlier "
        "WHERE earlier.user_id = applications.user_id AND earlier.id <= applications.id)"
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_applications_user_number", ["user_id", "number"])
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prompt_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=16), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("prompt_at")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint("uq_applications_user_number", type_="unique")
        batch_op.drop_column("number")
