"""Repositories: every query the bot makes, named for what it means."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, Select, and_, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.store.bulk import NewAlert, copy_alerts
from bot.store.models import (
    Application,
    Delivery,
    Earning,
    GigRow,
    Skill,
    SourceState,
    User,
    utcnow,
)
from bot.store.params import dialect_of, id_in, row_chunks
from scrapers.model import Gig

INSERT_CHUNK = 200


def _insert(session: AsyncSession, model: type[Any]) -> Any:
    """A dialect-specific INSERT that supports ON CONFLICT."""
    name = session.bind.dialect.name if session.bind is not None else "sqlite"
    return (pg_insert if name == "postgresql" else sqlite_insert)(model)


async def insert_ignore(
    session: AsyncSession, model: type[Any], rows: list[dict[str, Any]], unique: list[str]
) -> int:
    """Insert rows, leaving alone any that would repeat a unique key; returns rows added."""
    if not rows:
        return 0
    stmt = _insert(session, model).values(rows).on_conflict_do_nothing(index_elements=unique)
    return int(cast(CursorResult[Any], await session.execute(stmt)).rowcount or 0)


class UserRepo:
    """Users of the bot."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        """The user with this Telegram id, if known."""
        return await self.session.get(User, user_id)

    async def ensure(
        self,
        user_id: int,
        chat_id: int,
        *,
        first_name: str,
        language: str,
        timezone: str,
        currency: str,
    ) -> tuple[User, bool]:
        """Get or create a user; a returning user who had blocked the bot is active again."""
        user = await self.get(user_id)
        if user is None:
            user = User(
                id=user_id,
                chat_id=chat_id,
                first_name=first_name[:128],
                language=language,
                timezone=timezone,
                currency=currency,
                active=True,
            )
            self.session.add(user)
            await self.session.flush()
            return user, True
        user.chat_id = chat_id
        if not user.active:
            user.active = True
            user.inactive_since = None
        return user, False

    async def active_among(self, user_ids: Iterable[int]) -> set[int]:
        """Which of these users exist and are active (one bind parameter, any count)."""
        ids = list(user_ids)
        if not ids:
            return set()
        rows = await self.session.scalars(
            select(User.id).where(id_in(self.session, User.id, ids), User.active.is_(True))
        )
        return set(rows)

    async def deactivate(self, user_id: int) -> None:
        """Stop sending to a user who blocked the bot or deleted the account."""
        await self.session.execute(
            update(User)
            .where(User.id == user_id, User.active.is_(True))
            .values(active=False, inactive_since=utcnow())
        )


class SkillRepo:
    """The skills users subscribe to."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for(self, user_id: int) -> list[Skill]:
        """A user's skills, oldest first."""
        result = await self.session.scalars(
            select(Skill).where(Skill.user_id == user_id).order_by(Skill.id)
        )
        return list(result)

    async def add(self, user_id: int, name: str, key: str) -> bool:
        """Subscribe; False when the user already had this skill."""
        stmt = (
            _insert(self.session, Skill)
            .values(user_id=user_id, name=name, key=key, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
        )
        result = await self.session.execute(stmt)
        return bool(cast(CursorResult[Any], result).rowcount)

    async def remove(self, user_id: int, key: str) -> bool:
        """Unsubscribe; False when the user did not have this skill."""
        result = await self.session.execute(
            delete(Skill).where(Skill.user_id == user_id, Skill.key == key)
        )
        return bool(cast(CursorResult[Any], result).rowcount)


def _gig_values(gig: Gig, now: datetime) -> dict[str, Any]:
    return {
        "source": gig.source,
        "external_id": gig.external_id[:128],
        "title": gig.title[:500],
        "url": gig.url[:2000],
        "text": gig.text,
        "budget_min": gig.budget.min,
        "budget_max": gig.budget.max,
        "currency": gig.budget.currency,
        "budget_type": str(gig.budget.type),
        "posted_at": gig.posted_at,
        "tags": list(gig.tags),
        "language": gig.language,
        "company": (gig.company or None) and gig.company[:200],
        "bids": gig.bids,
        "extra": dict(gig.extra),
        "risk": list(gig.risk) or None,
        "first_seen_at": now,
        "updated_at": now,
    }


# Fields a listing may change after it was first seen; identity fields never change.
_MUTABLE = (
    "title",
    "url",
    "text",
    "budget_min",
    "budget_max",
    "currency",
    "budget_type",
    "tags",
    "bids",
    "extra",
    "risk",
)


class GigRepo:
    """Gigs, stored once per (source, external_id)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, gig_id: int) -> GigRow | None:
        """One gig by its id."""
        return await self.session.get(GigRow, gig_id)

    async def upsert(self, gigs: Sequence[Gig]) -> list[GigRow]:
        """Insert unseen gigs and refresh seen ones; return only the newly inserted rows."""
        now = utcnow()
        unique: dict[tuple[str, str], Gig] = {}
        for gig in gigs:
            unique[(gig.source, gig.external_id[:128])] = gig
        new_ids: list[int] = []
        values = [_gig_values(g, now) for g in unique.values()]
        for start in range(0, len(values), INSERT_CHUNK):
            chunk = values[start : start + INSERT_CHUNK]
            stmt = (
                _insert(self.session, GigRow)
                .values(chunk)
                .on_conflict_do_nothing(index_elements=["source", "external_id"])
                .returning(GigRow.id, GigRow.source, GigRow.external_id)
            )
            rows = (await self.session.execute(stmt)).all()
            new_ids.extend(row.id for row in rows)
            inserted = {(row.source, row.external_id) for row in rows}
            for item in chunk:
                if (item["source"], item["external_id"]) in inserted:
                    continue
                changes = {field: item[field] for field in _MUTABLE}
                await self.session.execute(
                    update(GigRow)
                    .where(
                        GigRow.source == item["source"],
                        GigRow.external_id == item["external_id"],
                    )
                    .values(**changes, updated_at=now)
                )
        if not new_ids:
            return []
        result = await self.session.scalars(
            select(GigRow).where(id_in(self.session, GigRow.id, new_ids)).order_by(GigRow.id)
        )
        return list(result)

    async def unmatched(self, source: str, limit: int) -> list[GigRow]:
        """Gigs of a source stored but not matched yet (a run that crashed or failed), oldest
        first."""
        result = await self.session.scalars(
            select(GigRow)
            .where(GigRow.source == source, GigRow.matched_at.is_(None))
            .order_by(GigRow.id)
            .limit(limit)
        )
        return list(result)

    async def mark_matched(self, gig_ids: Iterable[int]) -> None:
        """Record that these gigs' alerts are queued: they are never matched again."""
        ids = list(gig_ids)
        if ids:
            await self.session.execute(
                update(GigRow)
                .where(id_in(self.session, GigRow.id, ids))
                .values(matched_at=utcnow())
            )

    async def recent_originals(self, since: datetime, before_id: int) -> list[tuple[int, str]]:
        """(id, title) of gigs first seen since `since`, older than `before_id`, not repeats."""
        recent = await self.session.execute(
            select(GigRow.id, GigRow.title).where(
                GigRow.first_seen_at >= since,
                GigRow.duplicate_of.is_(None),
                GigRow.id < before_id,
            )
        )
        return [(gig_id, title) for gig_id, title in recent.all()]

    async def texts_of(self, gig_ids: Iterable[int]) -> list[tuple[int, str, str]]:
        """(id, title, text) of these gigs."""
        ids = list(gig_ids)
        if not ids:
            return []
        texts = await self.session.execute(
            select(GigRow.id, GigRow.title, GigRow.text).where(id_in(self.session, GigRow.id, ids))
        )
        return [(gig_id, title, text or "") for gig_id, title, text in texts.all()]

    async def also_listed(self, gig_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
        """Other listings of these gigs: {original id: [(source, url), …]}."""
        ids = list(gig_ids)
        if not ids:
            return {}
        rows = await self.session.execute(
            select(GigRow.duplicate_of, GigRow.source, GigRow.url)
            .where(id_in(self.session, GigRow.duplicate_of, ids))
            .order_by(GigRow.id)
        )
        found: dict[int, list[tuple[str, str]]] = {}
        for original, source, url in rows.all():
            assert original is not None  # matched one of `ids`
            found.setdefault(original, []).append((source, url))
        return found

    async def count(self) -> int:
        """How many gigs are stored."""
        return int(await self.session.scalar(select(func.count(GigRow.id))) or 0)


class DeliveryRepo:
    """The outbox of alerts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(self, alerts: Iterable[NewAlert]) -> int:
        """Queue alerts to active users; a (user, gig) pair already queued is left alone.
        Returns rows added.

        PostgreSQL gets the rows by COPY (`copy_alerts`); SQLite by multi-row INSERTs.
        """
        now = utcnow()
        if dialect_of(self.session) == "postgresql":
            return await copy_alerts(self.session, alerts, now)
        alerts = list(alerts)
        # A user deleted a moment ago must not get an alert (and cannot: foreign key).
        live = await UserRepo(self.session).active_among({a.user_id for a in alerts})
        rows = [
            {
                "user_id": a.user_id,
                "gig_id": a.gig_id,
                "score": a.score,
                "reasons": a.reasons,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for a in alerts
            if a.user_id in live
        ]
        if not rows:
            return 0
        stmt = (
            _insert(self.session, Delivery)
            .on_conflict_do_nothing(index_elements=["user_id", "gig_id"])
            .returning(Delivery.id)
        )
        connection = await self.session.connection()
        added = 0
        # One compiled statement, sent as multi-row INSERTs of at most MAX_PARAMS parameters.
        for chunk in row_chunks(rows, columns=len(rows[0])):
            added += len((await connection.execute(stmt, list(chunk))).all())
        return added

    def _due_query(self, now: datetime, limit: int) -> Select[Delivery]:
        return (
            select(Delivery)
            .join(User, User.id == Delivery.user_id)
            .where(
                Delivery.status == "pending",
                Delivery.next_attempt_at <= now,
                User.active.is_(True),
            )
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
            .options(selectinload(Delivery.gig))
        )

    async def mark_sent(self, delivery_id: int, message_id: int) -> None:
        """Record a delivered alert and the message that carries it."""
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(
                status="sent",
                message_id=message_id,
                sent_at=utcnow(),
                last_error=None,
                claimed_at=None,
            )
        )

    async def mark_retry(self, delivery_id: int, error: str, next_attempt_at: datetime) -> None:
        """Try again later."""
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(
                attempts=Delivery.attempts + 1, last_error=error, next_attempt_at=next_attempt_at
            )
        )

    async def mark_failed(self, delivery_id: int, error: str) -> None:
        """Give up on an alert, keeping the reason."""
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(
                status="failed", attempts=Delivery.attempts + 1, last_error=error, claimed_at=None
            )
        )

    async def drop_pending_for(self, user_id: int, reason: str) -> None:
        """Park a user's pending alerts (e.g. the user blocked the bot)."""
        await self.session.execute(
            update(Delivery)
            .where(Delivery.user_id == user_id, Delivery.status == "pending")
            .values(status="skipped", last_error=reason)
        )

    async def find(self, user_id: int, gig_id: int) -> Delivery | None:
        """The alert of this gig to this user, if any."""
        return await self.session.scalar(
            select(Delivery).where(Delivery.user_id == user_id, Delivery.gig_id == gig_id)
        )

    async def count_by_status(self) -> dict[str, int]:
        """How many outbox rows are in each state."""
        rows = await self.session.execute(
            select(Delivery.status, func.count(Delivery.id)).group_by(Delivery.status)
        )
        return {status: int(n) for status, n in rows.all()}


class ApplicationRepo:
    """Gigs users applied for."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_for_gig(self, user_id: int, gig: GigRow) -> tuple[Application, bool]:
        """Mark a gig applied; pressing twice keeps the first record. Returns (row, created)."""
        stmt = (
            _insert(self.session, Application)
            .values(
                user_id=user_id,
                gig_id=gig.id,
                title=gig.title,
                url=gig.url,
                status="applied",
                applied_at=utcnow(),
                updated_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["user_id", "gig_id"])
            .returning(Application.id)
        )
        created = (await self.session.execute(stmt)).first() is not None
        row = await self.session.scalar(
            select(Application).where(Application.user_id == user_id, Application.gig_id == gig.id)
        )
        assert row is not None  # inserted above or already there
        return row, created

    async def list_for(self, user_id: int, limit: int = 20) -> list[Application]:
        """A user's applications, newest first."""
        result = await self.session.scalars(
            select(Application)
            .where(Application.user_id == user_id)
            .order_by(Application.applied_at.desc(), Application.id.desc())
            .limit(limit)
        )
        return list(result)

    async def count_for(self, user_id: int) -> int:
        """How many applications a user has."""
        return int(
            await self.session.scalar(
                select(func.count(Application.id)).where(Application.user_id == user_id)
            )
            or 0
        )


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    """Earnings in one currency over a period."""

    currency: str
    amount: Decimal
    entries: int


class EarningRepo:
    """Money users received."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, user_id: int, amount: Decimal, currency: str, note: str) -> Earning:
        """Record income."""
        earning = Earning(
            user_id=user_id, amount=amount, currency=currency, note=note[:500], earned_at=utcnow()
        )
        self.session.add(earning)
        await self.session.flush()
        return earning

    async def totals_since(self, user_id: int, since: datetime | None) -> list[CurrencyTotal]:
        """Sum per currency of a user's earnings since a moment (or ever)."""
        conditions = [Earning.user_id == user_id]
        if since is not None:
            conditions.append(Earning.earned_at >= since)
        rows = await self.session.execute(
            select(Earning.currency, func.sum(Earning.amount), func.count(Earning.id))
            .where(and_(*conditions))
            .group_by(Earning.currency)
            .order_by(Earning.currency)
        )
        return [
            CurrencyTotal(currency, Decimal(str(total)).quantize(Decimal("0.01")), int(n))
            for currency, total, n in rows.all()
        ]


class SourceRepo:
    """Fetch state and health per source."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, name: str) -> SourceState:
        """The state of a source, created on first use."""
        state = await self.session.get(SourceState, name)
        if state is None:
            state = SourceState(name=name, consecutive_failures=0, items_last_run=0, new_last_run=0)
            self.session.add(state)
            await self.session.flush()
        return state

    async def all(self) -> list[SourceState]:
        """Every source's state, by name."""
        return list(await self.session.scalars(select(SourceState).order_by(SourceState.name)))


class AdminRepo:
    """Counts for the admins' /stats."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user_counts(self) -> tuple[int, int]:
        """(all users, active users)."""
        total = await self.session.scalar(select(func.count(User.id)))
        active = await self.session.scalar(select(func.count(User.id)).where(User.active.is_(True)))
        return int(total or 0), int(active or 0)

    async def gig_counts(self, since: datetime) -> tuple[int, int]:
        """(all gigs, gigs first seen since `since`)."""
        total = await self.session.scalar(select(func.count(GigRow.id)))
        recent = await self.session.scalar(
            select(func.count(GigRow.id)).where(GigRow.first_seen_at >= since)
        )
        return int(total or 0), int(recent or 0)

    async def outbox_counts(self) -> dict[str, int]:
        """Alerts per delivery state."""
        return await DeliveryRepo(self.session).count_by_status()
