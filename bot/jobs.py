"""Scheduled work as plain PTB job callbacks: scrape each source, then deliver."""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.delivery import DeliveryWorker
from bot.pipeline import scrape_source
from bot.runtime import runtime_of

log = logging.getLogger(__name__)
DELIVERY_KEY = "delivery"


def delivery_worker(bot_data: dict) -> DeliveryWorker:
    """The process's single delivery worker."""
    return bot_data[DELIVERY_KEY]


async def scrape_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Scrape one source (its name is the job's data) and deliver what it produced."""
    assert context.job is not None
    report = await scrape_source(runtime_of(context.bot_data), str(context.job.data))
    if report.alerts:
        await delivery_worker(context.bot_data).run_once()


async def deliver_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drain the outbox (alerts waiting for a retry, or queued by another process)."""
    stats = await delivery_worker(context.bot_data).run_once()
    if stats.handled:
        log.info("delivery: %s", stats)


def schedule_jobs(application: Application, settings: Settings) -> None:
    """Every enabled source on its own interval, never overlapping itself; delivery often."""
    queue = application.job_queue
    assert queue is not None, "install python-telegram-bot[job-queue]"
    single = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    for offset, (name, source) in enumerate(sorted(settings.enabled_sources().items())):
        queue.run_repeating(
            scrape_job,
            interval=source.interval_seconds,
            first=1 + offset,
            name=f"scrape:{name}",
            data=name,
            job_kwargs=single,
        )
    queue.run_repeating(
        deliver_job,
        interval=settings.delivery.interval_seconds,
        first=settings.delivery.interval_seconds,
        name="deliver",
        job_kwargs=single,
    )
