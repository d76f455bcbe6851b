"""Market prices per skill (/rates), proposal templates, portfolio links, drafts, and the
template an application was drafted with

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "market_prices",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("gig_id", ID, nullable=False),
        sa.Column("skill", sa.String(length=64), nullable=False),
        sa.Column("budget_type", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _fk("market_prices", "gig_id", "gigs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_prices")),
        sa.UniqueConstraint("gig_id", "skill", name="uq_market_prices_gig_skill"),
    )
    with op.batch_alter_table("market_prices", schema=None) as batch_op:
        batch_op.create_index("ix_market_prices_skill_at", ["skill", "at"], unique=False)
    op.create_table(
        "proposal_templates",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("skill", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("proposal_templates", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_templates")),
        sa.UniqueConstraint(
            "user_id", "skill", "language", name="uq_proposal_templates_user_skill"
        ),
    )
    op.create_table(
        "portfolio_links",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("skill", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("portfolio_links", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_links")),
    )
    with op.batch_alter_table("portfolio_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portfolio_links_user_id"), ["user_id"], unique=False)
    op.create_table(
        "drafts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("gig_id", ID, nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("drafts", "user_id", "users"),
        _fk("drafts", "gig_id", "gigs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
        sa.UniqueConstraint("user_id", "gig_id", name="uq_drafts_user_gig"),
    )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.create_index("ix_drafts_gig_id", ["gig_id"], unique=False)
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("template", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("template")
    op.drop_table("drafts")
    op.drop_table("portfolio_links")
    op.drop_table("proposal_templates")
    op.drop_table("market_prices")
