"""SQLAlchemy models: users, skills, sources, gigs, deliveries, applications, earnings."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so Alembic migrations match on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY, PostgreSQL wants BIGINT for growth.
Id = BigInteger().with_variant(Integer(), "sqlite")
MONEY = Numeric(18, 2)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC to what SQLite returns naive."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names."""

    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A Telegram user of the bot; the primary key is the Telegram user id."""

    __tablename__ = "users"
    # Hot queries indexed in migration 0009: the digest job reads only users with a time.
    __table_args__ = (
        Index(
            "ix_users_digest",
            "id",
            postgresql_where=sql_text("digest_time IS NOT NULL"),
            sqlite_where=sql_text("digest_time IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    currency: Mapped[str] = mapped_column(String(3), default="IDR")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    inactive_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Matching preferences (None = no filter).
    threshold: Mapped[int | None] = mapped_column(Integer, nullable=True)
    min_budget: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    strict_budget: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    budget_types: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    exclude_words: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    languages: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    sources: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    max_bids: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_age_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    employment_types: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    workplace_types: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    # Gigs with a scam-risk signal are still alerted (with a warning) unless this is set.
    hide_risky: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Limits and quiet time.
    workload_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quiet_hours: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, nullable=True)
    digest_time: Mapped[str | None] = mapped_column(String(5), nullable=True)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    onboarding_step: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # When a typed answer was last asked for (settings prompts expire after ten minutes).
    prompt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Bumped on every change to the user or what they told the bot: matchers in every
    # process re-read the profiles changed since their last sync.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.now(), index=True
    )

    skills: Mapped[list[Skill]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


class Skill(Base):
    """One skill a user wants alerts for, as typed and in matching form."""

    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_skills_user_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="skills")


class SourceState(Base):
    """Fetch state and health of one source."""

    __tablename__ = "sources"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(256), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    items_last_run: Mapped[int] = mapped_column(Integer, default=0)
    new_last_run: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_run_after: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class GigRow(Base):
    """A stored gig, once per (source, external_id)."""

    __tablename__ = "gigs"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_gigs_source_external_id"),
        # Only the few gigs still waiting to be matched are in it.
        Index(
            "ix_gigs_unmatched",
            "source",
            "id",
            postgresql_where=sql_text("matched_at IS NULL"),
            sqlite_where=sql_text("matched_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(2000))
    text: Mapped[str] = mapped_column(Text, default="")
    budget_min: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    budget_max: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    budget_type: Mapped[str] = mapped_column(String(16), default="unknown")
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    company: Mapped[str | None] = mapped_column(String(200), nullable=True)
    bids: Mapped[int | None] = mapped_column(Integer, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Scam-risk reason codes (scrapers/risk.py); None when the gig shows none.
    risk: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fingerprint: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("gigs.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Set in the transaction that queues the gig's alerts (or when it is found to repeat
    # another gig): a gig stored but never matched (crash, error) is matched on the next run.
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Delivery(Base):
    """The outbox: one row per (user, gig) alert, whatever happens to it."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "gig_id", name="uq_deliveries_user_gig"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        # Alerts a user was sent today (pacing), and old rows for housekeeping.
        Index(
            "ix_deliveries_user_sent",
            "user_id",
            "sent_at",
            postgresql_where=sql_text("status = 'sent'"),
            sqlite_where=sql_text("status = 'sent'"),
        ),
        Index("ix_deliveries_status_created", "status", "created_at"),
        # Due alerts in claim order: a claim reads a few entries even when the planner's
        # statistics are stale after a burst of alerts.
        Index(
            "ix_deliveries_pending",
            "next_attempt_at",
            "id",
            postgresql_where=sql_text("status = 'pending'"),
            sqlite_where=sql_text("status = 'pending'"),
        ),
        # The same, best-scored and freshest first: the order behind a long backlog.
        Index(
            "ix_deliveries_pending_best",
            "score",
            "created_at",
            "id",
            postgresql_where=sql_text("status = 'pending'"),
            sqlite_where=sql_text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    gig_id: Mapped[int] = mapped_column(ForeignKey("gigs.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when a sender claims the row (status "sending"); a claim older than the lease
    # is taken back, so a crash between claim and send loses nothing.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Why a due alert waits: "quiet", "digest", "limit" or "paused" (status "held"). A
    # "pending" row that keeps its reason was released and goes out in a grouped message.
    held_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # True when the message carrying it lists several gigs (a burst or a digest).
    grouped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    gig: Mapped[GigRow] = relationship(lazy="joined")


class Notice(Base):
    """The outbox of messages that are not gig alerts: limit notices, deadline reminders,
    admin notices. Sent by the same worker, at the same pace, as alerts."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    # Queueing the same notice twice (e.g. one reminder) is a no-op.
    key: Mapped[str | None] = mapped_column(String(100), nullable=True, unique=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Feedback(Base):
    """A "Not relevant" press: the terms that matched are weighed down for this user."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("user_id", "gig_id", name="uq_feedback_user_gig"),
        Index("ix_feedback_gig_id", "gig_id"),  # a purged gig finds its rows by this
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    gig_id: Mapped[int] = mapped_column(ForeignKey("gigs.id", ondelete="CASCADE"))
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Why it was not relevant: "topic", "budget", "client" or "seen"; None until answered.
    reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Application(Base):
    """A gig the user applied for (from an alert or entered by hand)."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("user_id", "gig_id", name="uq_applications_user_gig"),
        UniqueConstraint("user_id", "number", name="uq_applications_user_number"),
        Index("ix_applications_gig_id", "gig_id"),  # a purged gig finds its rows by this
        Index("ix_applications_deadline", "status", "deadline_at"),  # reminders due
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The user's own number for it: #1 is their first; what commands and lists use.
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gig_id: Mapped[int | None] = mapped_column(
        ForeignKey("gigs.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    # saved → applied → replied → won → delivered → paid; or lost / withdrawn.
    status: Mapped[str] = mapped_column(String(16), default="applied")
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    skill: Mapped[str | None] = mapped_column(String(100), nullable=True)
    agreed_amount: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_amount: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    fee_amount: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    won_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminders_sent: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The proposal template of the draft the user asked for before applying ("b:<skill>"
    # for a built-in one, "u:<id>" for their own), counted per template by /templates.
    template: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Earning(Base):
    """Money received, in its own currency."""

    __tablename__ = "earnings"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), nullable=True
    )
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(String(500), default="")
    earned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MarketPrice(Base):
    """One stated budget of a gig for one skill it matched (the market behind /rates): the
    midpoint of the budget's range, in the listing's own currency."""

    __tablename__ = "market_prices"
    __table_args__ = (
        UniqueConstraint("gig_id", "skill", name="uq_market_prices_gig_skill"),
        # /rates reads one skill's prices of the last 90 days: a range of this index.
        Index("ix_market_prices_skill_at", "skill", "at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    gig_id: Mapped[int] = mapped_column(ForeignKey("gigs.id", ondelete="CASCADE"))
    skill: Mapped[str] = mapped_column(String(64))
    budget_type: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    source: Mapped[str] = mapped_column(String(64))
    # When the gig was posted (when first seen if the listing does not say).
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProposalTemplate(Base):
    """A user's own proposal template for a skill, in one language."""

    __tablename__ = "proposal_templates"
    __table_args__ = (
        UniqueConstraint("user_id", "skill", "language", name="uq_proposal_templates_user_skill"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    skill: Mapped[str] = mapped_column(String(100))  # taxonomy id, or the typed skill's key
    name: Mapped[str] = mapped_column(String(100))  # the skill as the user typed it
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PortfolioLink(Base):
    """A link to the user's work (never fetched), for one skill or for every draft."""

    __tablename__ = "portfolio_links"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    skill: Mapped[str | None] = mapped_column(String(100), nullable=True)
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Draft(Base):
    """The last proposal draft a user asked for on a gig, and its template."""

    __tablename__ = "drafts"
    __table_args__ = (
        UniqueConstraint("user_id", "gig_id", name="uq_drafts_user_gig"),
        Index("ix_drafts_gig_id", "gig_id"),  # a purged gig finds its rows by this
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    gig_id: Mapped[int] = mapped_column(ForeignKey("gigs.id", ondelete="CASCADE"))
    template: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
