"""The outbox worker against the fake Bot API: sends once, handles blocked users and errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.ext import AIORateLimiter, ExtBot

from bot.app.application import DEFAULTS
from bot.outbox.delivery import DeliveryStats, DeliveryWorker, SendJob
from bot.store.db import Database
from bot.store.models import Delivery, User, utcnow
from bot.store.repos import GigRepo
from tests.support.factories import gig, match_new_gigs, user_with_skills
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import TOKEN

pytestmark = pytest.mark.timeout(60)


async def queue_logo_alert(db: Database, *user_ids: int) -> None:
    for user_id in user_ids:
        await user_with_skills(db, user_id, "logo")
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig("L1", "Desain logo <kopi> & teh")])
    assert await match_new_gigs(db, rows) == len(user_ids)


async def deliveries(db: Database) -> dict[int, Delivery]:
    async with db.transaction() as session:
        return {d.user_id: d for d in await session.scalars(select(Delivery))}


async def test_alerts_are_sent_once(api: FakeBotApi, bot: Bot, db: Database) -> None:
    for user_id in (101, 102):
        api.add_user(user_id)
    await queue_logo_alert(db, 101, 102)
    worker = DeliveryWorker(bot, db)
    stats = await worker.run_once()
    assert stats.sent == 2
    assert (await worker.run_once()).handled == 0
    sent = [c for c in api.calls if c.method == "sendMessage"]
    assert sorted(c.params["chat_id"] for c in sent) == [101, 102]
    assert "Desain logo <kopi> & teh" in api.messages(101)[0]["text"]
    rows = await deliveries(db)
    assert {r.status for r in rows.values()} == {"sent"}
    assert rows[101].message_id == api.messages(101)[0]["message_id"]


async def test_blocked_user_becomes_inactive(api: FakeBotApi, bot: Bot, db: Database) -> None:
    api.add_user(201)
    api.block(202)
    await queue_logo_alert(db, 201, 202)
    stats = await DeliveryWorker(bot, db).run_once()
    assert (stats.sent, stats.blocked) == (1, 1)
    rows = await deliveries(db)
    assert rows[202].status == "failed" and "blocked" in (rows[202].last_error or "")
    async with db.transaction() as session:
        blocked = await session.get(User, 202)
        assert blocked is not None and blocked.active is False


async def test_server_errors_are_retried_later(api: FakeBotApi, bot: Bot, db: Database) -> None:
    api.add_user(301)
    api.fail_next("sendMessage", 502, "Bad Gateway")
    await queue_logo_alert(db, 301)
    worker = DeliveryWorker(bot, db)
    stats = await worker.run_once()
    assert (stats.sent, stats.retried) == (0, 1)
    row = (await deliveries(db))[301]
    assert row.status == "pending" and row.attempts == 1
    assert (await worker.run_once()).handled == 0  # not due yet: backoff
    assert not api.messages(301)


async def test_rate_limit_waits_its_retry_after(api: FakeBotApi, bot: Bot, db: Database) -> None:
    api.add_user(401)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
    await queue_logo_alert(db, 401)
    stats = await DeliveryWorker(bot, db).run_once()
    assert stats.retried == 1
    row = (await deliveries(db))[401]
    wait = (row.next_attempt_at - row.created_at).total_seconds()
    assert 29 <= wait <= 40


async def test_rejected_message_is_failed_with_reason(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    api.add_user(501)
    await queue_logo_alert(db, 501)
    stats = await DeliveryWorker(bot, db).run_once()
    assert stats.failed == 1
    row = (await deliveries(db))[501]
    assert row.status == "failed" and "chat not found" in (row.last_error or "").lower()


async def test_unparsable_markup_is_resent_as_plain_text(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    api.add_user(601)
    api.fail_next("sendMessage", 400, "Bad Request: can't parse entities: unclosed tag")
    await queue_logo_alert(db, 601)
    stats = await DeliveryWorker(bot, db).run_once()
    assert stats.sent == 1
    first, second = [c for c in api.calls if c.method == "sendMessage"]
    assert first.params.get("parse_mode") == "HTML" and "parse_mode" not in second.params
    assert "Desain logo <kopi> & teh" in api.messages(601)[0]["text"]
    assert (await deliveries(db))[601].status == "sent"


async def test_plain_resend_is_plain_on_a_bot_with_html_defaults(
    api: FakeBotApi, db: Database
) -> None:
    api.add_user(602)
    api.fail_next("sendMessage", 400, "Bad Request: can't parse entities: unclosed tag")
    await queue_logo_alert(db, 602)
    html_bot = ExtBot(
        TOKEN,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        rate_limiter=AIORateLimiter(max_retries=0),
        defaults=DEFAULTS,  # the Application's: HTML unless a call says parse_mode=None
    )
    async with html_bot:
        stats = await DeliveryWorker(html_bot, db).run_once()
    assert stats.sent == 1
    first, second = [c for c in api.calls if c.method == "sendMessage"]
    assert first.params.get("parse_mode") == "HTML" and "parse_mode" not in second.params
    assert "Desain logo <kopi> & teh" in api.messages(602)[0]["text"]


async def test_a_migrated_chat_gets_its_new_id(api: FakeBotApi, bot: Bot, db: Database) -> None:
    api.add_user(701)
    api.add_user(-100701)
    api.fail_next("sendMessage", 400, "Bad Request: group chat was upgraded", None, -100701)
    await queue_logo_alert(db, 701)
    assert (await DeliveryWorker(bot, db).run_once()).sent == 1
    assert len(api.messages(-100701)) == 1 and api.messages(701) == []  # resent to the new id
    async with db.transaction() as session:
        user = await session.get(User, 701)
        assert user is not None and user.chat_id == -100701


async def test_claims_of_a_crashed_sender_come_back(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    api.add_user(801)
    await queue_logo_alert(db, 801)
    async with db.transaction() as session:
        row = (await session.scalars(select(Delivery))).one()
        row.status, row.claimed_at = "sending", utcnow() - timedelta(minutes=10)
    worker = DeliveryWorker(bot, db)
    stats = await worker.run_once()  # releases the stale claim, then sends it
    assert stats.sent == 1 and len(api.messages(801)) == 1
    assert (await worker.run_once()).handled == 0


async def test_a_running_worker_leaves_fresh_claims_alone(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    api.add_user(901)
    worker = DeliveryWorker(bot, db)
    await worker.run_once()  # started: from now on only claims past their lease come back
    await queue_logo_alert(db, 901)
    async with db.transaction() as session:
        row = (await session.scalars(select(Delivery))).one()
        row.status, row.claimed_at = "sending", utcnow()
    assert (await worker.run_once()).handled == 0
    assert not api.messages(901)


async def test_a_restarted_worker_resends_what_the_dead_one_claimed_at_once(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    api.add_user(902)
    await queue_logo_alert(db, 902)
    async with db.transaction() as session:
        row = (await session.scalars(select(Delivery))).one()
        row.status, row.claimed_at = "sending", utcnow()  # claimed a moment before a crash
    assert (await DeliveryWorker(bot, db).run_once()).sent == 1
    assert len(api.messages(902)) == 1


async def test_a_stopping_worker_hands_its_claims_back(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    api.add_user(1001)
    await queue_logo_alert(db, 1001)
    worker = DeliveryWorker(bot, db)
    worker.stopping = True
    jobs, _claimed = await worker._claim()
    await worker._dispatch(jobs, DeliveryStats(), set())
    assert not api.messages(1001)
    assert (await deliveries(db))[1001].status == "pending"


async def test_a_worker_stopped_mid_run_hands_back_the_batches_it_claimed_ahead(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    users = [1101, 1102, 1103, 1104, 1105]
    for user_id in users:
        api.add_user(user_id)
    await queue_logo_alert(db, *users)
    # One user a batch: while the first goes out, the next ones are already claimed.
    worker = DeliveryWorker(bot, db, batch_size=1)
    attempt = worker._attempt

    async def attempt_then_stop(job: SendJob, stats: DeliveryStats) -> None:
        await attempt(job, stats)
        worker.stopping = True

    worker._attempt = attempt_then_stop  # type: ignore[method-assign]
    stats = await worker.run_once()
    rows = await deliveries(db)
    sent = {u for u in users if api.messages(u)}
    assert 1 <= stats.sent == len(sent) < len(users)
    assert {u for u, row in rows.items() if row.status == "sent"} == sent
    assert all(rows[u].status == "pending" for u in users if u not in sent)

    await DeliveryWorker(bot, db).run_once()
    assert all(len(api.messages(u)) == 1 for u in users)
