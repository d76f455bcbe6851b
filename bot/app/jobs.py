"""Scheduled work as plain PTB job callbacks: scrape each source; deliver (bot roles)."""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from telegram.ext import ContextTypes

from bot.app.housekeeping import schedule_housekeeping
from bot.app.runtime import Runtime, runtime_of
from bot.handlers.common import App
from bot.ingest.market_backfill import FIRST_SECONDS as MARKET_FIRST_SECONDS
from bot.ingest.market_backfill import backfill_job
from bot.ingest.pipeline import scrape_source
from bot.outbox.delivery import DeliveryWorker
from bot.outbox.reminders import INTERVAL_SECONDS as REMINDER_INTERVAL_SECONDS
from bot.outbox.reminders import reminders_job
from bot.store.db import Database
from bot.store.outbox_repo import OutboxRepo

log = logging.getLogger(__name__)
DELIVERY_KEY = "delivery"


def delivery_worker(bot_data: dict[str, Any]) -> DeliveryWorker | None:
    """The process's single delivery worker; None in a `worker` process, which never sends."""
    return bot_data.get(DELIVERY_KEY)


async def tell_admins(db: Database, admin_ids: list[int], text: str) -> None:
    """Queue an operational notice to every admin; the sender sends it like any message."""
    if not admin_ids:
        return
    async with db.transaction() as session:
        repo = OutboxRepo(session)
        for admin_id in admin_ids:
            await repo.queue_notice(admin_id, escape(text), "admin")


async def scrape_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Scrape one source (its name is the job's data); a sending process then delivers."""
    assert context.job is not None
    runtime = runtime_of(context.bot_data)
    report = await scrape_source(runtime, str(context.job.data))
    for event in report.events:
        log.warning("source event: %s", event)
        await tell_admins(runtime.db, runtime.settings.telegram.admin_ids, event)
    worker = delivery_worker(context.bot_data)
    if worker is not None and (report.alerts or report.events):
        await worker.run_once()


async def deliver_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drain the outbox (alerts waiting for a retry, or queued by another process)."""
    worker = delivery_worker(context.bot_data)
    if worker is None:
        return
    stats = await worker.run_once()
    if stats.handled:
        log.info("delivery: %s", stats)


def schedule_jobs(application: App, runtime: Runtime, role: str = "all") -> None:
    """Workers scrape every enabled source on its own interval (never overlapping itself);
    the bot role queues reminders and drains the outbox (which also releases held alerts
    whose time has come); role "all" does both."""
    queue = application.job_queue
    assert queue is not None, "install python-telegram-bot[job-queue]"
    settings = runtime.settings
    single = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    scrapes = runtime.plans.items() if role in ("all", "worker") else []
    for offset, (name, plan) in enumerate(sorted(scrapes)):
        queue.run_repeating(
            scrape_job,
            interval=plan.interval_seconds,
            first=1 + offset,
            name=f"scrape:{name}",
            data=name,
            job_kwargs=single,
        )
    if role in ("all", "worker"):
        queue.run_once(backfill_job, when=MARKET_FIRST_SECONDS, name="market-backfill")
    if role == "worker":
        return
    schedule_housekeeping(queue)
    queue.run_repeating(
        reminders_job,
        interval=REMINDER_INTERVAL_SECONDS,
        first=REMINDER_INTERVAL_SECONDS,
        name="reminders",
        job_kwargs=single,
    )
    queue.run_repeating(
        deliver_job,
        interval=settings.delivery.interval_seconds,
        first=settings.delivery.interval_seconds,
        name="deliver",
        job_kwargs=single,
    )
