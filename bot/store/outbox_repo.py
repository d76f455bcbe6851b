"""The outbox as the sender sees it: claiming due alerts and notices, recording results,
queueing notices and releasing held alerts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.store.models import Delivery, Notice, User, utcnow
from bot.store.repos import _insert


def _locking(session: AsyncSession, stmt: Any, model: type[Any]) -> Any:
    """Lock the claimed rows on PostgreSQL, skipping rows another sender holds."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=True, of=model)
    return stmt


class OutboxRepo:
    """Alerts (`deliveries`) and notices (`notices`) waiting to be sent."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim_notices(self, limit: int, now: datetime | None = None) -> list[Notice]:
        """Due notices, oldest first."""
        stmt = (
            select(Notice)
            .where(Notice.status == "pending", Notice.next_attempt_at <= (now or utcnow()))
            .order_by(Notice.next_attempt_at, Notice.id)
            .limit(limit)
        )
        return list(await self.session.scalars(_locking(self.session, stmt, Notice)))

    async def claim_alerts(
        self, limit: int, now: datetime | None = None, *, best_first: bool = False
    ) -> list[Delivery]:
        """Due alerts, oldest first (with `best_first`: best-scored and freshest first), plus
        every other due alert of the same users, so that what is due for one user goes out
        together."""
        now = now or utcnow()
        due = (Delivery.status == "pending", Delivery.next_attempt_at <= now)
        # EXISTS, not a join: the plan stays "read the pending index in order, look each
        # user up", where a join planned on stale statistics compared every pair of rows.
        active = select(User.id).where(User.id == Delivery.user_id, User.active.is_(True))
        first = (
            select(Delivery)
            .where(*due, active.exists())
            .order_by(
                *(
                    (Delivery.score.desc(), Delivery.created_at.desc(), Delivery.id.desc())
                    if best_first
                    else (Delivery.next_attempt_at, Delivery.id)
                )
            )
            .limit(limit)
            .options(selectinload(Delivery.gig))
        )
        batch = list(await self.session.scalars(_locking(self.session, first, Delivery)))
        users = sorted({d.user_id for d in batch})
        if not users:
            return batch
        rest = (
            select(Delivery)
            .where(*due, Delivery.user_id.in_(users), Delivery.id.not_in([d.id for d in batch]))
            .order_by(Delivery.id)
            .options(selectinload(Delivery.gig))
        )
        return batch + list(await self.session.scalars(_locking(self.session, rest, Delivery)))

    async def due_count(self, now: datetime | None = None) -> int:
        """How many alerts are due and waiting to be sent."""
        return int(
            await self.session.scalar(
                select(func.count(Delivery.id)).where(
                    Delivery.status == "pending", Delivery.next_attempt_at <= (now or utcnow())
                )
            )
            or 0
        )

    async def queue_position(self, user_id: int, now: datetime | None = None) -> tuple[int, int]:
        """The user's alerts due and waiting to be sent, and how many due alerts of other
        users are claimed before the user's first (the outbox sends in claim order)."""
        now = now or utcnow()
        due = (Delivery.status == "pending", Delivery.next_attempt_at <= now)
        first = await self.session.execute(
            select(Delivery.next_attempt_at, Delivery.id)
            .where(*due, Delivery.user_id == user_id)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(1)
        )
        row = first.first()
        if row is None:
            return 0, 0
        mine = await self.session.scalar(
            select(func.count(Delivery.id)).where(*due, Delivery.user_id == user_id)
        )
        at, first_id = row
        ahead = await self.session.scalar(
            select(func.count(Delivery.id)).where(
                *due,
                Delivery.user_id != user_id,
                tuple_(Delivery.next_attempt_at, Delivery.id) < tuple_(at, first_id),
            )
        )
        return int(mine or 0), int(ahead or 0)

    async def mark_sent(
        self, delivery_ids: Sequence[int], message_id: int, *, notice_id: int | None = None
    ) -> None:
        """Record the message that carries these alerts (or this notice)."""
        values: dict[str, Any] = {"status": "sent", "message_id": message_id, "sent_at": utcnow()}
        await self._set(delivery_ids, notice_id, last_error=None, claimed_at=None, **values)

    async def mark_retry(
        self,
        delivery_ids: Sequence[int],
        error: str,
        next_attempt_at: datetime,
        counted: int = 1,
        *,
        notice_id: int | None = None,
    ) -> None:
        """Back to pending, to be tried again at `next_attempt_at`."""
        await self._set(
            delivery_ids,
            notice_id,
            status="pending",
            claimed_at=None,
            last_error=error,
            next_attempt_at=next_attempt_at,
            counted=counted,
        )

    async def mark_failed(
        self, delivery_ids: Sequence[int], error: str, *, notice_id: int | None = None
    ) -> None:
        """Give up, keeping the reason."""
        await self._set(
            delivery_ids, notice_id, status="failed", last_error=error, claimed_at=None, counted=1
        )

    async def _set(
        self, delivery_ids: Sequence[int], notice_id: int | None, counted: int = 0, **values: Any
    ) -> None:
        for model, ids in ((Delivery, list(delivery_ids)), (Notice, [notice_id])):
            ids = [i for i in ids if i is not None]
            if ids:
                await self.session.execute(
                    update(model)
                    .where(model.id.in_(ids))
                    .values(attempts=model.attempts + counted, **values)
                )

    async def queue_notice(
        self,
        chat_id: int,
        text: str,
        kind: str,
        *,
        user_id: int | None = None,
        key: str | None = None,
    ) -> bool:
        """Put a notice in the outbox; a notice with the same key is queued once."""
        now = utcnow()
        row = {
            "chat_id": chat_id,
            "user_id": user_id,
            "kind": kind,
            "key": key,
            "text": text,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        stmt = _insert(self.session, Notice).values(row)
        if key is not None:
            stmt = stmt.on_conflict_do_nothing(index_elements=["key"])
        result = await self.session.execute(stmt.returning(Notice.id))
        return result.first() is not None

    async def release(self, user_id: int, reasons: Iterable[str]) -> int:
        """Held alerts of a user whose reason is over become due (keeping the reason, so
        they go out together as one grouped message); returns how many."""
        wanted = list(reasons)
        if not wanted:
            return 0
        result = await self.session.execute(
            update(Delivery)
            .where(
                Delivery.user_id == user_id,
                Delivery.status == "held",
                Delivery.held_reason.in_(wanted),
            )
            .values(status="pending", next_attempt_at=utcnow(), claimed_at=None)
        )
        return int(cast(CursorResult[Any], result).rowcount or 0)
