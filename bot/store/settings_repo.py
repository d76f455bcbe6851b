"""Queries behind settings, /status, held alerts and digests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import tracking
from bot.store.models import Application, Delivery, User, utcnow


class SettingsRepo:
    """Per-user counts that settings and /status show."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active_gig_counts(self, user_ids: Iterable[int]) -> dict[int, int]:
        """How many applications each user has in progress (applied … delivered)."""
        ids = list(set(user_ids))
        if not ids:
            return {}
        rows = await self.session.execute(
            select(Application.user_id, func.count(Application.id))
            .where(Application.user_id.in_(ids), Application.status.in_(tracking.ACTIVE))
            .group_by(Application.user_id)
        )
        counts = dict.fromkeys(ids, 0)
        counts.update({user_id: int(n) for user_id, n in rows.all()})
        return counts

    async def active_gig_count(self, user_id: int) -> int:
        """How many applications one user has in progress."""
        return (await self.active_gig_counts([user_id]))[user_id]

    async def alerts_sent_since(self, user_id: int, since: datetime) -> int:
        """Alerts delivered to a user (alone or in a digest) since a moment."""
        return int(
            await self.session.scalar(
                select(func.count(Delivery.id)).where(
                    Delivery.user_id == user_id,
                    Delivery.status == "sent",
                    Delivery.sent_at >= since,
                )
            )
            or 0
        )

    async def sent_counts_since(self, user_ids: Iterable[int], since: datetime) -> dict[int, int]:
        """Alerts sent to each user since a moment (to spot bursts)."""
        ids = list(set(user_ids))
        if not ids:
            return {}
        rows = await self.session.execute(
            select(Delivery.user_id, func.count(Delivery.id))
            .where(Delivery.user_id.in_(ids), Delivery.status == "sent", Delivery.sent_at >= since)
            .group_by(Delivery.user_id)
        )
        return {user_id: int(n) for user_id, n in rows.all()}


class HeldAlertRepo:
    """Alerts in the outbox with status "held" and a held_reason."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_by_reason(self, user_id: int) -> dict[str, int]:
        """How many of a user's alerts wait, per reason."""
        rows = await self.session.execute(
            select(Delivery.held_reason, func.count(Delivery.id))
            .where(Delivery.user_id == user_id, Delivery.status == "held")
            .group_by(Delivery.held_reason)
        )
        return {str(reason): int(n) for reason, n in rows.all()}

    async def users_holding(self, exclude: Iterable[str] = ()) -> list[User]:
        """Active users with held alerts other than the excluded reasons."""
        held = select(Delivery.user_id).where(Delivery.status == "held")
        skip = list(exclude)
        if skip:
            held = held.where(Delivery.held_reason.not_in(skip))
        result = await self.session.scalars(
            select(User)
            .where(User.id.in_(held.distinct()), User.active.is_(True))
            .order_by(User.id)
        )
        return list(result)

    async def mark_sent(self, delivery_ids: Iterable[int], message_id: int) -> None:
        """Held alerts that went out in one digest message."""
        ids = list(delivery_ids)
        if ids:
            await self.session.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids), Delivery.status == "held")
                .values(status="sent", message_id=message_id, sent_at=utcnow(), last_error=None)
            )

    async def skip(self, user_id: int, reason: str) -> int:
        """Drop a user's alerts held for a reason; returns how many."""
        result = await self.session.execute(
            update(Delivery)
            .where(
                Delivery.user_id == user_id,
                Delivery.status == "held",
                Delivery.held_reason == reason,
            )
            .values(status="skipped", last_error="skipped by the user")
        )
        return int(cast(CursorResult[Any], result).rowcount or 0)

    async def has_held(self, user_id: int, reason: str) -> bool:
        """True when the user already has an alert held for this reason."""
        found = await self.session.scalar(
            select(Delivery.id)
            .where(
                Delivery.user_id == user_id,
                Delivery.status == "held",
                Delivery.held_reason == reason,
            )
            .limit(1)
        )
        return found is not None
