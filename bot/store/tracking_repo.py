"""Queries for the gig pipeline: a user's applications, their moves, payments, reminders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import tracking
from bot.domain.market_stats import PRICED_TYPES, midpoint
from bot.domain.rate_advice import COMPARED_TYPE, Bid
from bot.store.models import Application, Delivery, Earning, GigRow, MarketPrice, User, utcnow

MAX_DECIDED = 500  # a user's most recent decided applications read for advice


def _insert_application(session: AsyncSession) -> Any:
    """An INSERT into applications that supports ON CONFLICT on either dialect."""
    name = session.bind.dialect.name if session.bind is not None else "sqlite"
    return (pg_insert if name == "postgresql" else sqlite_insert)(Application)


def next_number(user_id: int) -> Any:
    """The user's next application number (#1 is their first), as a scalar subquery."""
    return (
        select(func.coalesce(func.max(Application.number), 0) + 1)
        .where(Application.user_id == user_id)
        .scalar_subquery()
    )


class TrackingRepo:
    """Applications as they move through the pipeline; always scoped to one user."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_number(self, user_id: int, number: int) -> Application | None:
        """The user's application with this number of theirs."""
        return await self.session.scalar(
            select(Application).where(Application.user_id == user_id, Application.number == number)
        )

    async def gig_by_url(self, url: str) -> GigRow | None:
        """A stored gig whose link is this one (ignoring a trailing slash and http/https)."""
        bare = url.strip().rstrip("/")
        rest = bare.split("://", 1)[-1]
        variants = {bare, bare + "/", "https://" + rest, "http://" + rest}
        variants |= {v + "/" for v in list(variants) if not v.endswith("/")}
        return await self.session.scalar(
            select(GigRow)
            .where(GigRow.url.in_(sorted(variants)))
            .order_by(GigRow.duplicate_of.is_not(None), GigRow.id)
            .limit(1)
        )

    async def own(self, user_id: int, app_id: int) -> Application | None:
        """The application with this id if it belongs to this user."""
        return await self.session.scalar(
            select(Application).where(Application.id == app_id, Application.user_id == user_id)
        )

    async def for_gig(self, user_id: int, gig_id: int) -> Application | None:
        """The user's application for an alerted gig, if any."""
        return await self.session.scalar(
            select(Application).where(Application.user_id == user_id, Application.gig_id == gig_id)
        )

    async def start_for_gig(
        self, user_id: int, gig: GigRow, status: str, skill: str | None = None
    ) -> tuple[Application, bool]:
        """Save or apply for an alerted gig; (row, changed). A saved gig may become applied."""
        now = utcnow()
        stmt = (
            _insert_application(self.session)
            .values(
                user_id=user_id,
                number=next_number(user_id),
                gig_id=gig.id,
                title=gig.title[:500],
                url=gig.url[:2000],
                skill=skill[:100] if skill else None,
                status=status,
                applied_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "gig_id"])
            .returning(Application.id)
        )
        created = (await self.session.execute(stmt)).first() is not None
        app = await self.for_gig(user_id, gig.id)
        assert app is not None  # inserted above or already there
        if created:
            return app, True
        if app.status == tracking.SAVED and status == tracking.APPLIED:
            return app, await self.move(app, tracking.APPLIED, now)
        return app, False

    async def track_link(
        self,
        user_id: int,
        title: str,
        url: str | None,
        status: str,
        skill: str | None = None,
        gig_id: int | None = None,
    ) -> Application:
        """Track a gig found elsewhere; the same link tracked again returns the first row."""
        # The same link (or, without one, the same title) is the same gig.
        same = Application.url == url[:2000] if url else Application.title == title[:500]
        existing = await self.session.scalar(
            select(Application)
            .where(Application.user_id == user_id, Application.gig_id.is_(None), same)
            .limit(1)
        )
        if existing is not None:
            if existing.status == tracking.SAVED and status == tracking.APPLIED:
                await self.move(existing, tracking.APPLIED, utcnow())
            return existing
        now = utcnow()
        number = await self.session.scalar(select(next_number(user_id)))
        app = Application(
            user_id=user_id,
            number=number,
            gig_id=gig_id,
            skill=skill[:100] if skill else None,
            title=title[:500],
            url=url[:2000] if url else None,
            status=status,
            applied_at=now,
            updated_at=now,
            note="",
        )
        self.session.add(app)
        await self.session.flush()
        return app

    async def move(
        self,
        app: Application,
        target: str,
        now: datetime,
        fields: Mapping[str, object] | None = None,
    ) -> bool:
        """Move to `target` if the application is still where it was read; False if not.

        The status in the WHERE clause makes two presses at once change the row once.
        """
        values = {**tracking.changes(app.status, target, now), **(fields or {})}
        result = await self.session.execute(
            update(Application)
            .where(Application.id == app.id, Application.status == app.status)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if not cast(CursorResult[Any], result).rowcount:
            await self.session.refresh(app)
            return False
        await self.session.refresh(app)
        return True

    async def forget(self, app: Application, status: str) -> bool:
        """Delete an application still in `status` (Undo of the press that created it)."""
        result = await self.session.execute(
            delete(Application).where(Application.id == app.id, Application.status == status)
        )
        return bool(cast(CursorResult[Any], result).rowcount)

    async def undo(self, app: Application, previous: str, now: datetime) -> bool:
        """Take back the move that brought `app` to its status; a payment's earnings go too."""
        current = app.status
        result = await self.session.execute(
            update(Application)
            .where(Application.id == app.id, Application.status == current)
            .values(**tracking.undo_changes(current, previous, now))
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], result).rowcount and current == tracking.PAID:
            await self.session.execute(delete(Earning).where(Earning.application_id == app.id))
        await self.session.refresh(app)
        return bool(cast(CursorResult[Any], result).rowcount)

    async def record_payment(
        self, app: Application, paid: tracking.PaidInput, now: datetime
    ) -> bool:
        """Mark paid and add the net amount to the user's earnings, linked to the application."""
        fields = {
            "received_amount": paid.net,
            "fee_amount": paid.fee,
            "currency": paid.money.currency,
        }
        if not await self.move(app, tracking.PAID, now, fields):
            return False
        self.session.add(
            Earning(
                user_id=app.user_id,
                application_id=app.id,
                amount=paid.net,
                currency=paid.money.currency,
                note=app.title[:500],
                earned_at=now,
                created_at=now,
            )
        )
        await self.session.flush()
        return True

    async def listing(
        self, user_id: int, statuses: Sequence[str] | None, limit: int
    ) -> list[Application]:
        """A user's applications (optionally only some statuses), most recently moved first."""
        stmt = select(Application).where(Application.user_id == user_id)
        if statuses is not None:
            stmt = stmt.where(Application.status.in_(list(statuses)))
        stmt = stmt.order_by(Application.updated_at.desc(), Application.id.desc()).limit(limit)
        return list(await self.session.scalars(stmt))

    async def counts_by_status(self, user_id: int) -> dict[str, int]:
        """How many applications the user has in each status."""
        rows = await self.session.execute(
            select(Application.status, func.count())
            .where(Application.user_id == user_id)
            .group_by(Application.status)
        )
        return {status: int(count) for status, count in rows.all()}

    async def gigs_of(self, apps: Sequence[Application]) -> dict[int, GigRow]:
        """The stored gigs these applications were made for, by gig id."""
        ids = sorted({app.gig_id for app in apps if app.gig_id is not None})
        if not ids:
            return {}
        rows = await self.session.scalars(select(GigRow).where(GigRow.id.in_(ids)))
        return {row.id: row for row in rows}

    async def card_of(self, user_id: int, gig_id: int | None) -> Delivery | None:
        """The alert message that shows this gig to this user, if it was sent."""
        if gig_id is None:
            return None
        return await self.session.scalar(
            select(Delivery).where(
                Delivery.user_id == user_id,
                Delivery.gig_id == gig_id,
                Delivery.message_id.is_not(None),
            )
        )

    async def deadlines_within(
        self, now: datetime, horizon: timedelta
    ) -> list[tuple[Application, User]]:
        """Won applications of active users whose deadline is after now and within `horizon`."""
        rows = await self.session.execute(
            select(Application, User)
            .join(User, User.id == Application.user_id)
            .where(
                Application.status == tracking.WON,
                Application.deadline_at.is_not(None),
                Application.deadline_at > now,
                Application.deadline_at <= now + horizon,
                User.active.is_(True),
            )
            .order_by(Application.deadline_at, Application.id)
        )
        return [(app, user) for app, user in rows.all()]

    async def mark_reminded(self, app_id: int, keys: Sequence[str]) -> None:
        """Remember which reminders of an application were sent."""
        app = await self.session.get(Application, app_id)
        if app is None:
            return
        sent = sorted(set(app.reminders_sent or []) | set(keys))
        app.reminders_sent = sent
        await self.session.flush()

    async def decided_bids(
        self, user_id: int, skill_id: str, of_skill: Callable[[str], bool]
    ) -> list[Bid]:
        """The user's won and lost applications for a taxonomy skill, most recent first: those
        recorded with a skill `of_skill` accepts, or without one for a gig priced for it."""
        tagged = (
            exists()
            .where(MarketPrice.gig_id == Application.gig_id, MarketPrice.skill == skill_id)
            .label("tagged")
        )
        rows = await self.session.execute(
            select(Application, GigRow.budget_type, GigRow.budget_min, GigRow.budget_max)
            .add_columns(GigRow.currency, tagged)
            .outerjoin(GigRow, GigRow.id == Application.gig_id)
            .where(Application.user_id == user_id, Application.status.in_(tracking.DECIDED))
            .order_by(Application.updated_at.desc(), Application.id.desc())
            .limit(MAX_DECIDED)
        )
        bids = []
        for app, budget_type, low, high, gig_currency, is_tagged in rows.all():
            if not (of_skill(app.skill) if app.skill else is_tagged):
                continue
            kind = budget_type if budget_type in PRICED_TYPES else COMPARED_TYPE
            if app.status in tracking.WON_OR_BEYOND:
                amount = app.agreed_amount
                if amount is None and app.received_amount is not None:
                    amount = app.received_amount + (app.fee_amount or 0)
                at = app.won_at or app.updated_at
                bids.append(Bid(True, at, amount, app.currency, kind))
            else:
                at = app.closed_at or app.updated_at
                bids.append(Bid(False, at, midpoint(low, high), gig_currency, budget_type or kind))
        return bids
