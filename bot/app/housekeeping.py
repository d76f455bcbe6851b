"""Housekeeping: old outbox rows and old unreferenced gigs are purged on a schedule, in
small batches so no statement holds locks on a big table for long."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, exists, select
from telegram.ext import ContextTypes, JobQueue

from bot.app.runtime import runtime_of
from bot.store.db import Database
from bot.store.models import Application, Delivery, Feedback, GigRow, utcnow

log = logging.getLogger(__name__)
OUTBOX_KEEP = timedelta(days=30)
GIGS_KEEP = timedelta(days=90)
PURGE_BATCH = 5_000
INTERVAL_SECONDS = 6 * 3600
FINISHED = ("sent", "failed")


@dataclass(frozen=True)
class Purged:
    """Rows removed by one housekeeping run."""

    deliveries: int
    gigs: int


async def _delete_in_batches(db: Database, model: Any, *conditions: Any, batch: int) -> int:
    """Delete the rows of `model` meeting `conditions`, `batch` rows per transaction."""
    removed = 0
    while True:
        chosen = select(model.id).where(*conditions).limit(batch).scalar_subquery()
        async with db.transaction() as session:
            result = await session.execute(delete(model).where(model.id.in_(chosen)))
        removed += int(cast(CursorResult[Any], result).rowcount or 0)
        if (cast(CursorResult[Any], result).rowcount or 0) < batch:
            return removed


async def purge_old_rows(
    db: Database, now: datetime | None = None, batch: int = PURGE_BATCH
) -> Purged:
    """Remove sent and failed alerts older than OUTBOX_KEEP, and gigs first seen more than
    GIGS_KEEP ago that no application or feedback refers to (feedback still weighs the
    user's matching; their alerts go with them)."""
    now = now or utcnow()
    deliveries = await _delete_in_batches(
        db,
        Delivery,
        Delivery.status.in_(FINISHED),
        Delivery.created_at < now - OUTBOX_KEEP,
        batch=batch,
    )
    gigs = await _delete_in_batches(
        db,
        GigRow,
        GigRow.first_seen_at < now - GIGS_KEEP,
        ~exists().where(Application.gig_id == GigRow.id),
        ~exists().where(Feedback.gig_id == GigRow.id),
        batch=batch,
    )
    if deliveries or gigs:
        log.info("housekeeping removed %d outbox rows and %d gigs", deliveries, gigs)
    return Purged(deliveries, gigs)


async def housekeeping_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """PTB job callback: purge old rows (every INTERVAL_SECONDS)."""
    await purge_old_rows(runtime_of(context.bot_data).db)


def schedule_housekeeping(queue: JobQueue[Any]) -> None:
    """Run housekeeping on a schedule (any number of processes may: deletes repeat safely)."""
    queue.run_repeating(
        housekeeping_job,
        interval=INTERVAL_SECONDS,
        first=60,
        name="housekeeping",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
