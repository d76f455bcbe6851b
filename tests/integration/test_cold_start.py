"""A cold start reads every active user as plain rows and builds the index off the loop;
what it indexes is exactly what the stored profiles say."""

from __future__ import annotations

import asyncio
import threading
from decimal import Decimal

import pytest
from sqlalchemy import update

from bot.domain.money import Rates
from bot.ingest import matcher as matcher_module
from bot.ingest.matcher import Matcher
from bot.matching.profile import Filters, Skill
from bot.store.db import Database
from bot.store.models import Feedback, User
from bot.store.repos import GigRepo
from tests.support.factories import gig, user_with_skills


async def test_cold_start_indexes_every_stored_profile(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 2 rows: users' skills straddle batch boundaries.
    monkeypatch.setattr(matcher_module, "LOAD_BATCH", 2)
    await user_with_skills(db, 1, "python", "excel", "logo design")
    await user_with_skills(db, 2, "python")
    await user_with_skills(db, 3, "copywriting", "seo")
    await user_with_skills(db, 4)  # no skill: nothing to match
    await user_with_skills(db, 5, "python")  # inactive
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig("g1", "Python scraper")])
        await session.execute(
            update(User)
            .where(User.id == 3)
            .values(
                min_budget=Decimal("250000"),
                strict_budget=True,
                budget_types=["fixed"],
                exclude_words=["crypto"],
                languages=["id"],
                sources=["projects_co_id"],
                max_bids=10,
                max_age_hours=48,
                threshold=60,
            )
        )
        await session.execute(update(User).where(User.id == 5).values(active=False))
        session.add(Feedback(user_id=2, gig_id=rows[0].id, terms=["python", "scraper"]))

    matcher = Matcher(db, Rates())
    await matcher.sync()

    index = matcher.index
    assert index.indexed_user_ids() == {1, 2, 3}
    assert [s.key for s in index.profile(1).skills] == [
        Skill.of("python").key,
        Skill.of("excel").key,
        Skill.of("logo design").key,
    ]
    assert index.profile(2).feedback == {"python": 1, "scraper": 1}
    assert index.profile(1).filters == Filters() and index.profile(1).feedback == {}
    three = index.profile(3)
    assert three.threshold == 60
    assert three.filters == Filters(
        min_budget=Decimal("250000"),
        currency="IDR",
        strict_budget=True,
        budget_types=frozenset({"fixed"}),
        exclude=("crypto",),
        languages=frozenset({"id"}),
        sources=frozenset({"projects_co_id"}),
        max_bids=10,
        max_age_hours=48,
    )
    assert matcher.cold_start_s is not None


async def test_index_is_built_in_another_thread_while_the_loop_answers(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matcher_module, "LOAD_BATCH", 1)
    for user_id in range(1, 21):
        await user_with_skills(db, user_id, "python")
    matcher = Matcher(db, Rates())
    builders: list[threading.Thread] = []
    added = threading.Event()
    answered = threading.Event()
    real_add = matcher.index.add_user

    def add_user(profile: object) -> None:
        builders.append(threading.current_thread())
        added.set()
        # The build waits until the loop has answered a "command": it must not be on it.
        assert answered.wait(timeout=30)
        real_add(profile)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher.index, "add_user", add_user)
    sync = asyncio.create_task(matcher.sync())
    assert await asyncio.to_thread(added.wait, 30)
    async with db.transaction() as session:  # a command's query, during the build
        assert await session.get(User, 1) is not None
    answered.set()
    await sync
    assert len(matcher.index) == 20
    assert builders and all(t is not threading.main_thread() for t in builders)


async def test_deleted_users_leave_the_index_at_the_next_check(db: Database) -> None:
    await user_with_skills(db, 1, "python")
    await user_with_skills(db, 2, "python")
    matcher = Matcher(db, Rates())
    await matcher.sync()
    await matcher.sync()  # the first incremental sync counts the users once
    async with db.transaction() as session:
        await session.delete(await session.get(User, 2))
    # Within the check interval a sync does not count the users again…
    await matcher.sync()
    assert matcher.index.indexed_user_ids() == {1, 2}
    # …and the next check drops the deleted user.
    matcher.gone_check_seconds = 0.0
    await matcher.sync()
    assert matcher.index.indexed_user_ids() == {1}
