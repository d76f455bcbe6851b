"""/status tells a user whose alerts wait behind Telegram's sending limit how long: the
outbox's position query and the line built from it, in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store.bulk import NewAlert
from bot.store.db import Database
from bot.store.models import User, utcnow
from bot.store.outbox_repo import OutboxRepo
from bot.store.repos import DeliveryRepo, GigRepo
from bot.ui.i18n import translator
from bot.ui.queue_view import queue_line, sending_rate
from tests.support.factories import gig

pytestmark = pytest.mark.timeout(60)
ME = 77


async def _queue(db: Database, user_ids: list[int], gig_id: str) -> None:
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig(gig_id, f"Desain logo {gig_id}")])
        await DeliveryRepo(session).enqueue([NewAlert(u, rows[0].id, 60, []) for u in user_ids])


async def test_the_queue_ahead_of_a_user_is_counted_in_claim_order(db: Database) -> None:
    others = list(range(1000, 1120))
    async with db.transaction() as session:
        session.add_all(User(id=u, chat_id=u) for u in [ME, *others])
    async with db.transaction() as session:
        assert await OutboxRepo(session).queue_position(ME) == (0, 0)

    await _queue(db, others[:100], "G1")  # queued before the user's alerts
    await _queue(db, [ME], "G2")
    await _queue(db, [ME, *others[100:]], "G3")  # the user's second alert, and 20 behind
    async with db.transaction() as session:
        assert await OutboxRepo(session).queue_position(ME) == (2, 100)
        # Alerts not due yet are not in the queue.
        early = utcnow() - timedelta(days=1)
        assert await OutboxRepo(session).queue_position(ME, early) == (0, 0)


def test_the_status_line_says_how_long_in_both_languages() -> None:
    en, id_ = translator("en"), translator("id")
    assert queue_line(0, 500, en) is None
    assert queue_line(3, 10, en) == "Alerts being sent to you now: 3"
    assert queue_line(3, 10, id_) == "Notifikasi yang sedang dikirim kepadamu: 3"
    # 6,000 alerts ahead at about 28.6 a second: three and a half minutes, said as 4.
    line = queue_line(2, 6000, en)
    assert line is not None and "2, behind 6000" in line and "about 4 min" in line
    line_id = queue_line(2, 6000, id_)
    assert line_id is not None and "sekitar 4 menit" in line_id and "sekitar 29 pesan" in line_id


def test_the_wait_follows_paid_broadcasts() -> None:
    en = translator("en")
    # The same 6,000 ahead at a paid 1,000 in any 1.05 s (952 a second): under a minute.
    rate = sending_rate(paid_broadcast=True, paid_rate=1000)
    assert queue_line(2, 6000, en, rate) == "Alerts being sent to you now: 2"
    # 200,000 ahead at 300 in any 1.05 s (286 a second): 11.7 min, said as 12.
    rate = sending_rate(paid_broadcast=True, paid_rate=300)
    line = queue_line(2, 200_000, en, rate)
    assert line is not None and "about 286 messages a second" in line and "12 min" in line
