"""Indexes for the hot queries at scale: alerts sent today per user, old outbox rows,
reminders due, digest users, and the foreign keys a gig purge follows

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-07 01:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENT = sa.text("status = 'sent'")
WITH_DIGEST = sa.text("digest_time IS NOT NULL")


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deliveries_user_sent",
            ["user_id", "sent_at"],
            postgresql_where=SENT,
            sqlite_where=SENT,
        )
        batch_op.create_index("ix_deliveries_status_created", ["status", "created_at"])
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(
            "ix_users_digest", ["id"], postgresql_where=WITH_DIGEST, sqlite_where=WITH_DIGEST
        )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index("ix_applications_gig_id", ["gig_id"])
        batch_op.create_index("ix_applications_deadline", ["status", "deadline_at"])
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_gig_id", ["gig_id"])


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_gig_id")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_deadline")
        batch_op.drop_index("ix_applications_gig_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_digest")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_status_created")
        batch_op.drop_index("ix_deliveries_user_sent")
