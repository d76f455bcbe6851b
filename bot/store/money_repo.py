"""Queries behind /earnings, /export and /delete_me: a user's money and owning their data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.reports import ApplicationRow, EarningRow
from bot.store.models import Application, Delivery, Earning, Feedback, Skill, User


@dataclass(frozen=True)
class DeletedData:
    """How many rows of each kind went with a deleted user."""

    skills: int
    alerts: int
    applications: int
    earnings: int
    feedback: int


class MoneyRepo:
    """A user's earnings and applications, read for reports and exports."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def earnings_between(
        self, user_id: int, start: datetime | None, end: datetime | None
    ) -> list[EarningRow]:
        """Earnings rows in [start, end), oldest first; None leaves a side open."""
        stmt = select(
            Earning.amount, Earning.currency, Earning.earned_at, Earning.application_id
        ).where(Earning.user_id == user_id)
        if start is not None:
            stmt = stmt.where(Earning.earned_at >= start)
        if end is not None:
            stmt = stmt.where(Earning.earned_at < end)
        rows = await self.session.execute(stmt.order_by(Earning.earned_at, Earning.id))
        return [EarningRow(*row) for row in rows.all()]

    async def earnings_of_applications(
        self, user_id: int, application_ids: Sequence[int]
    ) -> list[EarningRow]:
        """Earnings rows recorded for these applications of the user, whenever earned."""
        if not application_ids:
            return []
        rows = await self.session.execute(
            select(Earning.amount, Earning.currency, Earning.earned_at, Earning.application_id)
            .where(Earning.user_id == user_id, Earning.application_id.in_(application_ids))
            .order_by(Earning.id)
        )
        return [EarningRow(*row) for row in rows.all()]

    async def application_rows(self, user_id: int) -> list[ApplicationRow]:
        """Every application of the user, with the fields the reports need."""
        rows = await self.session.execute(
            select(
                Application.id,
                Application.status,
                Application.applied_at,
                Application.skill,
                Application.agreed_amount,
                Application.currency,
                Application.received_amount,
                Application.paid_at,
            )
            .where(Application.user_id == user_id)
            .order_by(Application.id)
        )
        return [ApplicationRow(*row) for row in rows.all()]

    async def applications_for_export(self, user_id: int) -> list[Application]:
        """Every application of the user, oldest first."""
        result = await self.session.scalars(
            select(Application)
            .where(Application.user_id == user_id)
            .order_by(Application.applied_at, Application.id)
        )
        return list(result)

    async def earnings_for_export(self, user_id: int) -> list[Earning]:
        """Every earnings row of the user, oldest first."""
        result = await self.session.scalars(
            select(Earning)
            .where(Earning.user_id == user_id)
            .order_by(Earning.earned_at, Earning.id)
        )
        return list(result)


class EarningEntries:
    """A user's own earnings entries, to list and correct."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recent(self, user_id: int, limit: int) -> list[Earning]:
        """The user's latest entries, newest first."""
        result = await self.session.scalars(
            select(Earning)
            .where(Earning.user_id == user_id)
            .order_by(Earning.earned_at.desc(), Earning.id.desc())
            .limit(limit)
        )
        return list(result)

    async def delete_own(self, user_id: int, earning_id: int) -> Earning | None:
        """Delete one entry if it is the user's; the deleted row, or None."""
        earning = await self.session.scalar(
            select(Earning).where(Earning.id == earning_id, Earning.user_id == user_id)
        )
        if earning is not None:
            await self.session.delete(earning)
            await self.session.flush()
        return earning


class AccountRepo:
    """Removing a user and everything that hangs off them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _count(self, model: type, user_id: int) -> int:
        column = model.user_id  # type: ignore[attr-defined]
        stmt = select(func.count()).select_from(model).where(column == user_id)
        return int(await self.session.scalar(stmt) or 0)

    async def created_at(self, user_id: int) -> datetime | None:
        """When the user row was created (None when there is no such user)."""
        return await self.session.scalar(select(User.created_at).where(User.id == user_id))

    async def delete_user(self, user_id: int) -> DeletedData | None:
        """Delete the user row (foreign keys cascade to the rest); None when already gone."""
        user = await self.session.scalar(select(User).where(User.id == user_id).with_for_update())
        if user is None:
            return None
        counts = DeletedData(
            skills=await self._count(Skill, user_id),
            alerts=await self._count(Delivery, user_id),
            applications=await self._count(Application, user_id),
            earnings=await self._count(Earning, user_id),
            feedback=await self._count(Feedback, user_id),
        )
        # Core DELETE so the database's ON DELETE CASCADE does the work in one statement.
        self.session.expunge(user)
        await self.session.execute(delete(User).where(User.id == user_id))
        return counts
