"""The pipeline repository on SQLite and PostgreSQL: scoping, moves, payments, reminders."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from bot.domain import tracking
from bot.store.db import Database
from bot.store.models import Earning, utcnow
from bot.store.repos import EarningRepo, GigRepo
from bot.store.tracking_repo import TrackingRepo
from tests.support.factories import gig, user_with_skills


async def test_apply_move_and_pay_once(db: Database) -> None:
    await user_with_skills(db, 1, "logo")
    await user_with_skills(db, 2, "logo")
    async with db.transaction() as session:
        [row] = await GigRepo(session).upsert([gig("g1", "Desain logo")])
        repo = TrackingRepo(session)
        saved, created = await repo.start_for_gig(1, row, tracking.SAVED)
        assert created and saved.status == "saved"
        applied, changed = await repo.start_for_gig(1, row, tracking.APPLIED)
        assert changed and applied.id == saved.id and applied.status == "applied"
        _again, changed = await repo.start_for_gig(1, row, tracking.APPLIED)
        assert not changed
        app_id = applied.id
    async with db.transaction() as session:
        repo = TrackingRepo(session)
        assert await repo.own(2, app_id) is None  # another user's application is invisible
        app = await repo.own(1, app_id)
        assert app is not None
        now = utcnow()
        assert await repo.move(
            app, tracking.WON, now, {"agreed_amount": Decimal("500000"), "currency": "IDR"}
        )
        assert app.status == "won" and app.won_at is not None
        paid = tracking.parse_paid(["500rb", "fee", "50rb"], "IDR")
        assert await repo.record_payment(app, paid, now)
        assert app.status == "paid" and app.closed_at is not None
        assert app.received_amount == Decimal("450000") and app.fee_amount == Decimal("50000")
    async with db.transaction() as session:
        repo = TrackingRepo(session)
        app = await repo.own(1, app_id)
        assert app is not None
        stale = await repo.own(1, app_id)
        # A second payment for the same application cannot happen (checked first, and the
        # status in the UPDATE's WHERE clause stops a simultaneous one).
        assert tracking.check(app.status, tracking.PAID) is tracking.Verdict.SAME
        assert stale is not None and stale.status == "paid"
        earnings = list(await session.scalars(select(Earning).where(Earning.user_id == 1)))
        assert [(e.amount, e.currency, e.application_id) for e in earnings] == [
            (Decimal("450000.00"), "IDR", app_id)
        ]
        totals = await EarningRepo(session).totals_since(1, None)
        assert totals[0].amount == Decimal("450000.00")


async def test_a_stale_row_does_not_move_twice(db: Database) -> None:
    await user_with_skills(db, 1, "logo")
    async with db.transaction() as session:
        [row] = await GigRepo(session).upsert([gig("g2", "Desain logo")])
        app, _ = await TrackingRepo(session).start_for_gig(1, row, tracking.APPLIED)
        app_id = app.id
    async with db.transaction() as first:
        a = await TrackingRepo(first).own(1, app_id)
        assert a is not None
        assert await TrackingRepo(first).move(a, tracking.REPLIED, utcnow())
    async with db.transaction() as second:
        b = await TrackingRepo(second).own(1, app_id)
        assert b is not None
        # What a second press read before the first one committed.
        set_committed_value(b, "status", "applied")
        assert not await TrackingRepo(second).move(b, tracking.REPLIED, utcnow())
        assert b.status == "replied"


async def test_tracking_links_and_listing(db: Database) -> None:
    await user_with_skills(db, 1, "logo")
    async with db.transaction() as session:
        repo = TrackingRepo(session)
        first = await repo.track_link(1, "Logo for a bakery", "https://example.com/job/1", "saved")
        again = await repo.track_link(1, "Other title", "https://example.com/job/1", "applied")
        assert again.id == first.id and again.status == "applied"
        text_only = await repo.track_link(1, "Caption writer needed", None, "applied")
        assert (
            await repo.track_link(1, "Caption writer needed", None, "applied")
        ).id == text_only.id
        active = await repo.listing(1, tracking.ACTIVE, 20)
        assert {a.id for a in active} == {first.id, text_only.id}
        assert all(a.gig_id is None for a in active)
        assert await repo.listing(2, None, 20) == []


async def test_deadlines_within_a_window(db: Database) -> None:
    await user_with_skills(db, 1, "logo")
    now = utcnow()
    async with db.transaction() as session:
        repo = TrackingRepo(session)
        ids = {}
        for name, hours in (("soon", 1), ("tomorrow", 20), ("later", 40), ("past", -1)):
            app = await repo.track_link(1, name, f"https://example.com/{name}", "applied")
            await repo.move(app, tracking.WON, now, {"deadline_at": now + timedelta(hours=hours)})
            ids[name] = app.id
        due = await repo.deadlines_within(now, timedelta(hours=24))
        assert [a.id for a, _user in due] == [ids["soon"], ids["tomorrow"]]
        await repo.mark_reminded(ids["soon"], ["24h", "2h"])
        await repo.mark_reminded(ids["soon"], ["2h"])
    async with db.transaction() as session:
        app = await TrackingRepo(session).own(1, ids["soon"])
        assert app is not None and app.reminders_sent == ["24h", "2h"]
