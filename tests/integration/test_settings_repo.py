"""Held alerts in the real outbox: counts, holds by the delivery worker, digests, bursts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.domain.schedule_rules import parse_quiet
from bot.outbox.delivery import DeliveryWorker
from bot.outbox.digest import release_holds
from bot.store.db import Database
from bot.store.models import Application, Delivery, User, utcnow
from bot.store.repos import GigRepo
from bot.store.settings_repo import HeldAlertRepo, SettingsRepo
from tests.support.factories import gig, match_new_gigs, user_with_skills
from tests.support.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.timeout(60)
USER = 301
LABELS = {"projects_co_id": "Projects.co.id"}


async def run_digests(bot: Bot, db: Database, labels: dict, now: datetime | None = None) -> int:
    """Release the held alerts due at `now` and send them: the messages that went out."""
    await release_holds(db, now)
    return (await DeliveryWorker(bot, db, labels=labels).run_once()).sent


async def queue_gigs(db: Database, *titles: str) -> None:
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert(
            [gig(f"G{i}-{title}", title) for i, title in enumerate(titles)]
        )
    await match_new_gigs(db, rows)


async def set_user(db: Database, **values: object) -> None:
    async with db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        for key, value in values.items():
            setattr(user, key, value)


async def rows(db: Database) -> list[Delivery]:
    async with db.transaction() as session:
        return list(await session.scalars(select(Delivery).order_by(Delivery.id)))


def quiet_around_now(minutes_left: int = 30) -> list[dict[str, str]]:
    """A quiet range (Jakarta time) that started an hour ago and ends soon."""
    now = utcnow() + timedelta(hours=7)
    start = (now - timedelta(hours=1)).strftime("%H:%M")
    end = (now + timedelta(minutes=minutes_left)).strftime("%H:%M")
    return [r.as_dict() for r in parse_quiet(f"{start}-{end}")]


async def test_counts_for_status_and_limits(db: Database) -> None:
    await user_with_skills(db, USER, "logo")
    async with db.transaction() as session:
        for number, status in enumerate(["applied", "won", "paid", "lost", "delivered"]):
            session.add(Application(user_id=USER, title=f"gig {number}", status=status))
    async with db.transaction() as session:
        repo = SettingsRepo(session)
        assert await repo.active_gig_count(USER) == 3
        assert await repo.active_gig_counts([USER, 999]) == {USER: 3, 999: 0}
        assert await repo.alerts_sent_since(USER, utcnow() - timedelta(days=1)) == 0


async def test_quiet_alert_is_held_then_sent_as_one_digest(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    api.add_user(USER)
    await user_with_skills(db, USER, "logo")
    await set_user(db, quiet_hours=quiet_around_now(30))
    await queue_gigs(db, "Desain logo kopi", "Logo untuk toko")
    stats = await DeliveryWorker(bot, db, labels=LABELS).run_once()
    assert stats.sent == 0
    assert [(r.status, r.held_reason) for r in await rows(db)] == [("held", "quiet")] * 2
    assert api.messages(USER) == []

    # Still quiet: nothing leaves. An hour later quiet time is over: one message.
    assert await run_digests(bot, db, LABELS) == 0
    assert await run_digests(bot, db, LABELS, now=utcnow() + timedelta(hours=1)) == 1
    messages = api.messages(USER)
    assert len(messages) == 1
    assert "Quiet time is over" in messages[0]["text"]
    assert "Desain logo kopi" in messages[0]["text"] and "Projects.co.id" in messages[0]["text"]
    assert {r.status for r in await rows(db)} == {"sent"}
    # Never twice.
    assert await run_digests(bot, db, LABELS, now=utcnow() + timedelta(hours=2)) == 0


async def test_burst_arrives_as_one_message(api: FakeBotApi, bot: Bot, db: Database) -> None:
    api.add_user(USER)
    await user_with_skills(db, USER, "logo")
    await queue_gigs(db, "Logo satu", "Logo dua", "Logo tiga", "Logo empat")
    await DeliveryWorker(bot, db, labels=LABELS).run_once()
    messages = api.messages(USER)
    assert len(messages) == 1
    assert "New gigs just came in: 4" in messages[0]["text"]
    assert all(title in messages[0]["text"] for title in ("satu", "dua", "tiga", "empat"))
    assert {(r.status, r.held_reason) for r in await rows(db)} == {("sent", "batch")}


async def test_limit_holds_and_says_so_once(api: FakeBotApi, bot: Bot, db: Database) -> None:
    api.add_user(USER)
    await user_with_skills(db, USER, "logo")
    await set_user(db, workload_limit=1)
    async with db.transaction() as session:
        session.add(Application(user_id=USER, title="busy", status="applied"))
    worker = DeliveryWorker(bot, db, labels=LABELS)
    await queue_gigs(db, "Logo pertama")
    await worker.run_once()
    await queue_gigs(db, "Logo kedua")
    await worker.run_once()
    texts = [m["text"] for m in api.messages(USER)]
    assert len(texts) == 1 and "your limit" in texts[0]
    async with db.transaction() as session:
        assert await HeldAlertRepo(session).count_by_reason(USER) == {"limit": 2}
    # Room again (the gig is lost): the held alerts come as one digest.
    async with db.transaction() as session:
        app = await session.scalar(select(Application).where(Application.user_id == USER))
        assert app is not None
        app.status = "lost"
    assert await run_digests(bot, db, LABELS) == 1
    assert "room for a new gig" in api.messages(USER)[-1]["text"]


async def test_daily_digest_waits_for_its_time(api: FakeBotApi, bot: Bot, db: Database) -> None:
    api.add_user(USER)
    await user_with_skills(db, USER, "logo")
    now = utcnow()
    at = (now + timedelta(hours=7) + timedelta(hours=2)).strftime("%H:%M")  # Jakarta, in 2 h
    await set_user(db, digest_time=at, last_digest_at=now)
    await queue_gigs(db, "Logo harian")
    await DeliveryWorker(bot, db, labels=LABELS).run_once()
    assert [(r.status, r.held_reason) for r in await rows(db)] == [("held", "digest")]
    assert await run_digests(bot, db, LABELS, now=now + timedelta(hours=1)) == 0
    assert await run_digests(bot, db, LABELS, now=now + timedelta(hours=2, minutes=1)) == 1
    assert "Your digest, new gigs: 1" in api.messages(USER)[-1]["text"]
    async with db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None and user.last_digest_at is not None
        assert user.last_digest_at > now + timedelta(hours=2)


async def test_paused_alerts_wait_for_the_user(api: FakeBotApi, bot: Bot, db: Database) -> None:
    api.add_user(USER)
    await user_with_skills(db, USER, "logo")
    await set_user(db, paused=True)
    await queue_gigs(db, "Logo jeda")
    await DeliveryWorker(bot, db, labels=LABELS).run_once()
    assert await run_digests(bot, db, LABELS, now=utcnow() + timedelta(days=2)) == 0
    async with db.transaction() as session:
        repo = HeldAlertRepo(session)
        assert await repo.count_by_reason(USER) == {"paused": 1}
        assert await repo.skip(USER, "paused") == 1
        assert await repo.count_by_reason(USER) == {}
    assert api.messages(USER) == []
