"""Deadline reminders for won gigs: 24 hours and 2 hours before, each queued once.

Wiring: `application.job_queue.run_repeating(reminders_job, interval=INTERVAL_SECONDS,
first=INTERVAL_SECONDS, name="reminders")`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.app.runtime import runtime_of
from bot.handlers.common import Context
from bot.store.db import Database
from bot.store.models import utcnow
from bot.store.outbox_repo import OutboxRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.render import reminder_text

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 60
# (key stored in applications.reminders_sent, how long before the deadline), widest first.
WINDOWS = (("24h", timedelta(hours=24)), ("2h", timedelta(hours=2)))


def due_reminder(deadline: datetime, sent: Sequence[str] | None, now: datetime) -> list[str] | None:
    """The reminder keys to mark when a reminder is due now, or None.

    Only the tightest window is sent: a gig won 90 minutes before its deadline gets the
    2-hour reminder alone (and the 24-hour one is marked so it never comes late).
    Deadlines already past get nothing.
    """
    if deadline <= now:
        return None
    done = set(sent or [])
    inside = [key for key, before in WINDOWS if deadline - now <= before]
    if not inside or inside[-1] in done:
        return None
    return inside


async def queue_due_reminders(db: Database, now: datetime) -> int:
    """Put every reminder that is due in the outbox (marked in the same transaction, so
    each is queued exactly once); the outbox worker sends them. Returns how many."""
    queued = 0
    async with db.transaction() as session:
        repo = TrackingRepo(session)
        outbox = OutboxRepo(session)
        for app, user in await repo.deadlines_within(now, WINDOWS[0][1]):
            assert app.deadline_at is not None
            keys = due_reminder(app.deadline_at, app.reminders_sent, now)
            if not keys:
                continue
            text = reminder_text(app, user.language, user.timezone, now)
            key = f"reminder:{app.id}:{keys[-1]}"
            if await outbox.queue_notice(user.chat_id, text, "reminder", user_id=user.id, key=key):
                queued += 1
            await repo.mark_reminded(app.id, keys)
    return queued


async def reminders_job(context: Context) -> None:
    """PTB job callback: queue due deadline reminders (run every INTERVAL_SECONDS)."""
    runtime = runtime_of(context.bot_data)
    if await queue_due_reminders(runtime.db, utcnow()):
        worker = context.bot_data.get("delivery")
        if worker is not None:
            await worker.run_once()
