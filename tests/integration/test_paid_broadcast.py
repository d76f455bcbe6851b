"""Paid broadcasts (`delivery.paid_broadcast`): alerts carry allow_paid_broadcast and go out
faster than the free 30 a second, within the paid limit, still one chat at Telegram's pace;
against the fake Bot API, which enforces both limits."""

from __future__ import annotations

import pytest
from telegram import Bot

from bot.app.config import DeliverySettings
from bot.outbox.delivery import DeliveryWorker
from bot.outbox.pacing import Pacer
from bot.store.db import Database
from bot.store.models import User
from bot.store.repos import DeliveryRepo, GigRepo, NewAlert
from tests.support.factories import gig
from tests.support.fake_bot_api import OVERALL_LIMIT, FakeBotApi

pytestmark = pytest.mark.timeout(120)
USERS = list(range(3001, 3001 + 120))


async def _queue_alerts(api: FakeBotApi, db: Database) -> None:
    for user_id in USERS:
        api.add_user(user_id)
    async with db.transaction() as session:
        session.add_all(User(id=u, chat_id=u) for u in USERS)
        rows = await GigRepo(session).upsert([gig("P1", "Desain logo kedai kopi")])
    async with db.transaction() as session:
        await DeliveryRepo(session).enqueue([NewAlert(u, rows[0].id, 70, []) for u in USERS])


def _busiest_second(times: list[float]) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered[i:] if t < start + 1.0) for i, start in enumerate(ordered))


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_paid_broadcasts_go_past_the_free_limit_without_a_429(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    await _queue_alerts(api, db)
    worker = DeliveryWorker(bot, db, pacer=Pacer.paid(1000), paid_broadcast=True)
    stats = await worker.run_once()
    sent = api.sent_messages()
    assert stats.sent == len(USERS) == len(sent)
    assert all(call.params.get("allow_paid_broadcast") in (True, "true") for call in sent)
    # More than the free limit in one second: only a paid broadcast may do that.
    assert _busiest_second([call.time for call in sent]) > OVERALL_LIMIT
    assert api.rate_limited == 0


@pytest.mark.allow_429
@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_fake_refuses_the_same_pace_without_the_paid_flag(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    await _queue_alerts(api, db)
    worker = DeliveryWorker(bot, db, pacer=Pacer.paid(1000), max_attempts=50)
    await worker.run_once()
    assert api.rate_limited_by.get("overall", 0) > 0


def test_paid_broadcasts_are_off_by_default_and_capped_at_telegrams_limit() -> None:
    assert DeliverySettings().paid_broadcast is False
    assert DeliverySettings(paid_broadcast=True).paid_rate == 1000
    with pytest.raises(ValueError, match="less than or equal to 1000"):
        DeliverySettings(paid_rate=5000)
