"""gigs.matched_at: matching is resumable; alerts go to private chats only

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-07 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("gigs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("matched_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_gigs_unmatched",
            ["source", "id"],
            postgresql_where=sa.text("matched_at IS NULL"),
            sqlite_where=sa.text("matched_at IS NULL"),
        )
    # Gigs stored before this revision were matched when they arrived.
    op.execute("UPDATE gigs SET matched_at = first_seen_at")
    # A command sent in a group used to make the group the user's alert chat.
    op.execute("UPDATE users SET chat_id = id WHERE chat_id <> id")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("gigs", schema=None) as batch_op:
        batch_op.drop_index("ix_gigs_unmatched")
        batch_op.drop_column("matched_at")
