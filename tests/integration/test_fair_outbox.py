"""A user with many messages waiting does not hold up everyone else: chats take turns, and a
chat that must wait for Telegram's per-chat pace gives its turn to another chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram import Bot

from bot.outbox.delivery import DeliveryWorker
from bot.outbox.digest import release_holds
from bot.store.db import Database
from bot.store.models import Delivery, User, utcnow
from bot.store.outbox_repo import OutboxRepo
from bot.store.repos import DeliveryRepo, GigRepo, NewAlert
from tests.support.factories import gig
from tests.support.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.timeout(120)
FLOOD = 4001  # a user with six notices waiting
OTHERS = list(range(4101, 4121))


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_one_users_flood_does_not_hold_up_the_others(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    for user_id in [FLOOD, *OTHERS]:
        api.add_user(user_id)
    async with db.transaction() as session:
        session.add_all(User(id=u, chat_id=u) for u in [FLOOD, *OTHERS])
        for n in range(6):  # notices are claimed first: the flood is at the head of the batch
            await OutboxRepo(session).queue_notice(FLOOD, f"Notice {n}", "admin", user_id=FLOOD)
        rows = await GigRepo(session).upsert([gig("F1", "Desain logo kedai kopi")])
    async with db.transaction() as session:
        await DeliveryRepo(session).enqueue([NewAlert(u, rows[0].id, 70, []) for u in OTHERS])

    stats = await DeliveryWorker(bot, db, batch_size=30).run_once()
    sent = api.sent_messages()
    assert stats.sent == len(sent) == 6 + len(OTHERS)
    order = [call.params["chat_id"] for call in sent]
    flood_at = [i for i, chat in enumerate(order) if chat == FLOOD]
    # Telegram lets a chat have about three at once, then one a second: the other twenty
    # users' alerts all went out before the flooded chat's fourth message.
    assert max(i for i, chat in enumerate(order) if chat != FLOOD) < flood_at[3]
    assert [call.params["text"] for call in sent if call.params["chat_id"] == FLOOD] == [
        f"Notice {n}" for n in range(6)
    ]
    assert api.rate_limited == 0


async def _queue_scored(db: Database) -> tuple[list[int], list[int]]:
    """Ten users with an old weak alert each, then ten with a fresh strong one."""
    old_users, new_users = list(range(4201, 4211)), list(range(4301, 4311))
    async with db.transaction() as session:
        session.add_all(User(id=u, chat_id=u) for u in old_users + new_users)
        rows = await GigRepo(session).upsert(
            [gig("S1", "Desain logo lama"), gig("S2", "Desain logo baru")]
        )
    for users, row, score in ((old_users, rows[0], 45), (new_users, rows[1], 90)):
        async with db.transaction() as session:
            await DeliveryRepo(session).enqueue([NewAlert(u, row.id, score, []) for u in users])
    return old_users, new_users


async def test_behind_a_long_backlog_the_best_and_freshest_go_first(db: Database) -> None:
    old_users, new_users = await _queue_scored(db)
    async with db.transaction() as session:
        assert await OutboxRepo(session).due_count() == 20
        oldest = {d.user_id for d in await OutboxRepo(session).claim_alerts(10)}
    assert oldest == set(old_users)
    async with db.transaction() as session:
        best = await OutboxRepo(session).claim_alerts(10, best_first=True)
        assert {d.user_id for d in best} == set(new_users)
        assert [d.score for d in best] == [90] * 10


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_worker_switches_order_by_the_backlog(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    old_users, new_users = await _queue_scored(db)
    for user_id in old_users + new_users:
        api.add_user(user_id)
    # Any backlog counts as long here: the strong fresh alerts are claimed first.
    worker = DeliveryWorker(bot, db, batch_size=10, backlog_seconds=0.0)
    await worker.run_once()
    assert worker.best_first
    order = [call.params["chat_id"] for call in api.sent_messages()]
    assert set(order[:10]) == set(new_users) and set(order[10:]) == set(old_users)


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_alerts_past_the_users_maximum_age_go_into_a_digest(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    user_id = 4401
    api.add_user(user_id)
    async with db.transaction() as session:
        session.add(User(id=user_id, chat_id=user_id, max_age_hours=2))
        old, new = await GigRepo(session).upsert(
            [gig("A1", "Desain logo kemarin"), gig("A2", "Desain logo barusan")]
        )
        old.posted_at = utcnow() - timedelta(hours=5)  # aged past 2 h while it waited
        new.posted_at = utcnow() - timedelta(minutes=10)
    async with db.transaction() as session:
        await DeliveryRepo(session).enqueue(
            [NewAlert(user_id, old.id, 70, []), NewAlert(user_id, new.id, 70, [])]
        )
    await DeliveryWorker(bot, db).run_once()
    cards = api.sent_messages()
    assert len(cards) == 1 and "barusan" in cards[0].params["text"]
    async with db.transaction() as session:
        held = await session.get(Delivery, 1)
        assert held is not None and (held.status, held.held_reason) == ("held", "digest")

    # The next time held alerts are let out, it comes in a digest, not as a late card.
    assert await release_holds(db) == 1
    await DeliveryWorker(bot, db).run_once()
    digest = api.sent_messages()[1].params["text"]
    assert "kemarin" in digest and "1." in digest
