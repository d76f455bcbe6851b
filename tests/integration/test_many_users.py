"""Past 32,767 users: no query's bind-parameter count grows with users or gigs.

asyncpg refuses a statement with more than 32,767 parameters (SQLite: 32,766), so a matcher
that spreads user ids over `IN (…)` stops working at that size.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from bot.domain.money import Rates
from bot.ingest.matcher import Matcher
from bot.matching.text import skill_key
from bot.store.bulk import NewAlert
from bot.store.db import Database
from bot.store.models import Delivery, GigRow, User
from bot.store.params import id_in
from bot.store.repos import DeliveryRepo, GigRepo, UserRepo
from tests.support.factories import gig

pytestmark = pytest.mark.timeout(300)
USERS = 40_000


async def seed_users(db: Database, count: int, skill: str) -> None:
    """`count` active users (ids 1…count), each subscribed to `skill`, in two statements."""
    numbers = (
        "generate_series(1, :n) AS n"
        if db.dialect == "postgresql"
        else "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :n) "
        "SELECT n FROM s)"
    )
    async with db.transaction() as session:
        await session.execute(
            text(
                "INSERT INTO users (id, chat_id, first_name, language, timezone, currency, "
                "active, paused, strict_budget, created_at, updated_at) "
                "SELECT n, n, 'Ana', 'en', 'Asia/Jakarta', 'IDR', :yes, :no, :no, "
                f"CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM {numbers}"
            ),
            {"n": count, "yes": True, "no": False},
        )
        await session.execute(
            text(
                "INSERT INTO skills (user_id, name, key, created_at) "
                f"SELECT n, :name, :key, CURRENT_TIMESTAMP FROM {numbers}"
            ),
            {"n": count, "name": skill, "key": skill_key(skill)},
        )


async def test_one_gig_matches_and_queues_forty_thousand_users(db: Database) -> None:
    matcher = Matcher(db, Rates())
    await matcher.sync()  # a running process: every later sync reads only changed users
    await seed_users(db, USERS, "logo")
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig("big-1", "Desain logo kedai kopi")])

    assert await matcher.queue_alerts(rows) == USERS
    again = [NewAlert(user_id, rows[0].id, 50, []) for user_id in range(1, USERS + 1)]
    async with db.transaction() as session:
        assert await DeliveryRepo(session).enqueue(again) == 0  # idempotent

    async with db.transaction() as session:
        queued = await session.scalar(select(func.count(Delivery.id)))
        users = await session.scalar(select(func.count(func.distinct(Delivery.user_id))))
        matched_at = await session.scalar(select(GigRow.matched_at).where(GigRow.id == rows[0].id))
        live = await UserRepo(session).active_among(range(1, USERS + 2))
    assert queued == users == USERS
    assert matched_at is not None
    assert live == set(range(1, USERS + 1))  # the one unknown id is left out


async def test_a_fresh_process_loads_forty_thousand_profiles(db: Database, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("the first test covers SQLite's limit; this one asyncpg's at start-up")
    await seed_users(db, USERS, "artikel")
    matcher = Matcher(db, Rates())
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig("big-2", "Tulis artikel SEO kuliner")])
    assert await matcher.queue_alerts(rows) == USERS


async def test_two_id_lists_in_one_statement(db: Database) -> None:
    await seed_users(db, 50, "logo")
    async with db.transaction() as session:
        found = await session.scalars(
            select(User.id)
            .where(id_in(session, User.id, range(1, 41)), id_in(session, User.id, range(30, 99)))
            .order_by(User.id)
        )
        assert list(found) == list(range(30, 41))
        assert await UserRepo(session).active_among([]) == set()
