"""Scheduled work as plain PTB job callbacks: scrape each source, then deliver."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.delivery import DeliveryWorker
from bot.digest import DIGEST_INTERVAL_SECONDS, digest_job
from bot.housekeeping import schedule_housekeeping
from bot.pipeline import scrape_source
from bot.reminders import INTERVAL_SECONDS as REMINDER_INTERVAL_SECONDS
from bot.reminders import reminders_job
from bot.runtime import Runtime, runtime_of

log = logging.getLogger(__name__)
DELIVERY_KEY = "delivery"


def delivery_worker(bot_data: dict) -> DeliveryWorker:
    """The process's single delivery worker."""
    return bot_data[DELIVERY_KEY]


async def tell_admins(bot: Bot, admin_ids: list[int], text: str) -> None:
    """Send an operational notice to every admin; an unreachable admin is only logged."""
    for admin_id in admin_ids:
        try:
            await bot.send_message(admin_id, text)
        except TelegramError as exc:
            log.warning("could not notify admin %s: %s", admin_id, exc)


async def scrape_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Scrape one source (its name is the job's data) and deliver what it produced."""
    assert context.job is not None
    runtime = runtime_of(context.bot_data)
    report = await scrape_source(runtime, str(context.job.data))
    for event in report.events:
        log.warning("source event: %s", event)
        await tell_admins(context.bot, runtime.settings.telegram.admin_ids, event)
    if report.alerts:
        await delivery_worker(context.bot_data).run_once()


async def deliver_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drain the outbox (alerts waiting for a retry, or queued by another process)."""
    stats = await delivery_worker(context.bot_data).run_once()
    if stats.handled:
        log.info("delivery: %s", stats)


def schedule_jobs(application: Application, runtime: Runtime, role: str = "all") -> None:
    """Workers scrape every enabled source on its own interval (never overlapping itself);
    the bot role drains the outbox often; role "all" does both."""
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
    if role == "worker":
        return
    queue.run_repeating(
        digest_job,
        interval=DIGEST_INTERVAL_SECONDS,
        first=DIGEST_INTERVAL_SECONDS,
        name="digest",
        job_kwargs=single,
    )
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
