"""A burst of alerts refreshes the outbox's planner statistics on PostgreSQL at once, so the
claim query is not planned on the row counts from before the burst."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.store.bulk import ANALYZE_MIN_ROWS, NewAlert, refresh_outbox_statistics
from bot.store.db import Database
from bot.store.models import User
from bot.store.repos import DeliveryRepo, GigRepo
from tests.support.factories import gig

pytestmark = pytest.mark.timeout(120)


async def _estimate(db: Database) -> float:
    async with db.transaction() as session:
        value = await session.scalar(
            text("SELECT reltuples FROM pg_class WHERE oid = 'deliveries'::regclass")
        )
    return float(value)


# Planner statistics are PostgreSQL's: only its variant runs.
@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_burst_of_alerts_gets_fresh_statistics(db: Database) -> None:
    users = list(range(5000, 5000 + ANALYZE_MIN_ROWS + 100))
    async with db.transaction() as session:
        session.add_all(User(id=u, chat_id=u) for u in users)
        rows = await GigRepo(session).upsert([gig("B1", "Desain logo kedai kopi")])
    async with db.transaction() as session:
        added = await DeliveryRepo(session).enqueue(
            [NewAlert(u, rows[0].id, 50, []) for u in users]
        )
    assert added == len(users)
    assert await _estimate(db) < 0  # never analysed: the planner guesses

    async with db.transaction() as session:
        assert await refresh_outbox_statistics(session, added)
    assert await _estimate(db) == pytest.approx(len(users), rel=0.01)

    # A few more alerts are no burst: nothing is analysed.
    async with db.transaction() as session:
        assert not await refresh_outbox_statistics(session, 10)


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_sqlite_is_left_alone(db: Database) -> None:
    async with db.transaction() as session:
        assert not await refresh_outbox_statistics(session, 10 * ANALYZE_MIN_ROWS)
