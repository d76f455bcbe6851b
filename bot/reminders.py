"""Deadline reminders for won gigs: 24 hours and 2 hours before, each sent once.

Wiring: `application.job_queue.run_repeating(reminders_job, interval=INTERVAL_SECONDS,
first=INTERVAL_SECONDS, name="reminders")`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.handlers.common import Context
from bot.render import reminder_text
from bot.runtime import runtime_of
from bot.store.db import Database
from bot.store.models import utcnow
from bot.store.tracking_repo import TrackingRepo

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


async def send_due_reminders(bot: Bot, db: Database, now: datetime) -> int:
    """Send every reminder that is due; returns how many were sent."""
    async with db.transaction() as session:
        rows = await TrackingRepo(session).deadlines_within(now, WINDOWS[0][1])
        due = []
        for app, user in rows:
            assert app.deadline_at is not None
            keys = due_reminder(app.deadline_at, app.reminders_sent, now)
            if keys:
                text = reminder_text(app, user.language, user.timezone, now)
                due.append((app.id, user.chat_id, text, keys))
    sent = 0
    for app_id, chat_id, text, keys in due:
        try:
            await bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, disable_web_page_preview=True
            )
            sent += 1
        except (Forbidden, BadRequest) as exc:
            # Retrying cannot help; mark it so the user is not tried every minute.
            log.info("reminder for application %s not sent: %s", app_id, exc.message)
        except TelegramError as exc:
            log.warning("reminder for application %s failed, will retry: %s", app_id, exc)
            continue
        async with db.transaction() as session:
            await TrackingRepo(session).mark_reminded(app_id, keys)
    return sent


async def reminders_job(context: Context) -> None:
    """PTB job callback: send due deadline reminders (run every INTERVAL_SECONDS)."""
    runtime = runtime_of(context.bot_data)
    await send_due_reminders(context.bot, runtime.db, utcnow())
