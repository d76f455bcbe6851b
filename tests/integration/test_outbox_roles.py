"""Who sends: only the `all` and `bot` roles, one sender per bot token, and every notice
(limit, reminder, admin) goes through the same outbox as alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.app.application import build_application, close_resources, open_resources
from bot.app.jobs import delivery_worker, tell_admins
from bot.outbox.delivery import DeliveryWorker
from bot.outbox.reminders import queue_due_reminders
from bot.store.db import Database
from bot.store.models import Application, Delivery, Notice, User, utcnow
from bot.store.repos import GigRepo
from tests.support.factories import gig, match_new_gigs, user_with_skills
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import settings_for_fakes

pytestmark = pytest.mark.timeout(60)
USER = 4101


async def queue_alert(db: Database, user_id: int = USER) -> None:
    await user_with_skills(db, user_id, "logo")
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig(f"R{user_id}", "Desain logo warung")])
    assert await match_new_gigs(db, rows) == 1


async def test_a_worker_process_has_no_sender_and_leaves_claims_alone(
    api: FakeBotApi, db_url: str, db: Database
) -> None:
    await queue_alert(db)
    async with db.transaction() as session:
        row = (await session.scalars(select(Delivery))).one()
        row.status, row.claimed_at = "sending", utcnow()  # the bot process is sending it
    application = build_application(settings_for_fakes(api, db_url, {}))
    application.bot_data["role"] = "worker"
    await application.initialize()
    try:
        await open_resources(application)
        assert delivery_worker(application.bot_data) is None
        assert application.job_queue is not None
        names = {job.name for job in application.job_queue.jobs()}
        assert not names & {"deliver", "reminders"}
    finally:
        await close_resources(application)
        await application.shutdown()
    async with db.transaction() as session:
        assert (await session.scalars(select(Delivery))).one().status == "sending"
    assert not [c for c in api.calls if c.method == "sendMessage"]


async def test_the_bot_role_has_the_one_sender(api: FakeBotApi, db_url: str) -> None:
    application = build_application(settings_for_fakes(api, db_url, {}))
    application.bot_data["role"] = "bot"
    await application.initialize()
    try:
        await open_resources(application)
        worker = delivery_worker(application.bot_data)
        assert isinstance(worker, DeliveryWorker) and worker.lease is not None
        assert application.job_queue is not None
        names = {job.name for job in application.job_queue.jobs()}
        assert {"deliver", "reminders"} <= names
        assert not any(name.startswith("scrape:") for name in names)
    finally:
        await close_resources(application)
        await application.shutdown()


async def test_one_token_never_has_two_senders(
    api: FakeBotApi, bot: Bot, db_url: str, backend: str
) -> None:
    api.add_user(USER)
    first_db, second_db = Database(db_url), Database(db_url)
    await first_db.upgrade()
    first = DeliveryWorker(bot, first_db, exclusive=True)
    second = DeliveryWorker(bot, second_db, exclusive=True)
    try:
        assert await first.lease.acquire()  # type: ignore[union-attr]
        await queue_alert(first_db)
        if backend == "postgresql":
            # Another process with the same token stays idle while the first one lives.
            assert (await second.run_once()).handled == 0
            assert not api.messages(USER)
            await first.close()
            assert (await second.run_once()).sent == 1
        else:
            # SQLite: one process does everything; the lease is that process's.
            assert await second.lease.acquire()  # type: ignore[union-attr]
            assert (await first.run_once()).sent == 1
        assert len(api.messages(USER)) == 1
    finally:
        await first.close()
        await second.close()
        await first_db.close()
        await second_db.close()


async def test_limit_reminder_and_admin_notices_go_through_the_outbox(
    api: FakeBotApi, bot: Bot, db: Database
) -> None:
    admin = 4999
    api.add_user(USER)
    api.add_user(admin)
    await user_with_skills(db, USER, "logo")
    now = utcnow()
    async with db.transaction() as session:
        session.add(
            Application(
                user_id=USER,
                title="Logo <Budi>",
                status="won",
                deadline_at=now + timedelta(hours=3),
            )
        )
    async with db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        user.workload_limit = 1
    await tell_admins(db, [admin], "Source x disabled <after> 5 failures")
    assert await queue_due_reminders(db, now) == 1
    assert await queue_due_reminders(db, now) == 0  # queued once
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig("LIM", "Logo untuk kafe")])
    await match_new_gigs(db, rows)
    worker = DeliveryWorker(bot, db)
    await worker.run_once()  # the alert is held (limit) and the limit notice queued
    await worker.run_once()
    texts = [m["text"] for m in api.messages(USER)]
    assert len(texts) == 2
    assert any("Deadline in" in t and "Logo <Budi>" in t for t in texts)
    assert any("your limit" in t for t in texts)
    assert api.messages(admin)[0]["text"] == "Source x disabled <after> 5 failures"
    async with db.transaction() as session:
        notices = list(await session.scalars(select(Notice).order_by(Notice.id)))
        held = (await session.scalars(select(Delivery))).one()
    assert [(n.kind, n.status) for n in notices] == [
        ("admin", "sent"),
        ("reminder", "sent"),
        ("limit", "sent"),
    ]
    assert (held.status, held.held_reason) == ("held", "limit")
