"""The outbox worker: sends due alerts, retries what failed, stops at users who left."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.digest import plan_holds
from bot.money import Rates
from bot.render import alert_card, alert_keyboard
from bot.store.db import Database
from bot.store.models import Delivery, User, utcnow
from bot.store.repos import DeliveryRepo, GigRepo

log = logging.getLogger(__name__)


@dataclass
class DeliveryStats:
    """What one pass over the outbox did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0

    @property
    def handled(self) -> int:
        """Rows this pass touched."""
        return self.sent + self.retried + self.failed + self.blocked


def backoff(attempt: int) -> timedelta:
    """Wait before retry number `attempt`: 5 s, 10 s, 20 s … capped at 10 minutes."""
    return timedelta(seconds=min(600, 5 * 2 ** max(0, attempt - 1)))


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that the type will change to timedelta
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class DeliveryWorker:
    """Drains the outbox through a PTB Bot (whose rate limiter paces the sends)."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        *,
        labels: Mapping[str, str] | None = None,
        rates: Rates | None = None,
        batch_size: int = 50,
        max_attempts: int = 5,
    ):
        self.bot = bot
        self.db = db
        self.labels = dict(labels or {})
        self.rates = rates
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self._lock = asyncio.Lock()

    async def run_once(self) -> DeliveryStats:
        """Send every alert that is due now; one pass at a time per process."""
        stats = DeliveryStats()
        async with self._lock:
            while True:
                handled = await self._pass(stats)
                if handled < self.batch_size:
                    return stats

    async def _pass(self, stats: DeliveryStats) -> int:
        async with self.db.transaction() as session:
            repo = DeliveryRepo(session)
            batch = await repo.claim_due(self.batch_size)
            users = {d.user_id: await session.get(User, d.user_id) for d in batch}
            also = await GigRepo(session).also_listed({d.gig_id for d in batch})
            holds = await plan_holds(session, batch, users)
            for delivery in batch:
                user = users[delivery.user_id]
                if user is None or not user.active:
                    continue
                if await holds.hold(session, delivery):
                    continue  # paused, quiet, digest, limit or part of a burst
                await self._send(repo, delivery, user, also.get(delivery.gig_id, []), stats)
            await holds.finish(self.bot, session, users, self.labels)
        return len(batch)

    async def _send(
        self,
        repo: DeliveryRepo,
        delivery: Delivery,
        user: User,
        also: list[tuple[str, str]],
        stats: DeliveryStats,
    ) -> None:
        text = alert_card(
            delivery.gig,
            delivery.reasons,
            user.language,
            labels=self.labels,
            also=also,
            rates=self.rates,
            currency=user.currency,
            timezone=user.timezone,
        )
        keyboard = alert_keyboard(delivery.gig, user.language)
        try:
            message = await self.bot.send_message(
                user.chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                disable_web_page_preview=True,
            )
        except Forbidden as exc:
            # Blocked, kicked or deactivated: stop sending to this user at all.
            user.active = False
            user.inactive_since = utcnow()
            await repo.mark_failed(delivery.id, f"forbidden: {exc.message}")
            await repo.drop_pending_for(user.id, "user inactive")
            stats.blocked += 1
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            await repo.mark_retry(
                delivery.id, "rate limited", utcnow() + timedelta(seconds=seconds)
            )
            stats.retried += 1
        except BadRequest as exc:
            await repo.mark_failed(delivery.id, f"bad request: {exc.message}")
            stats.failed += 1
        except (NetworkError, TelegramError) as exc:
            if delivery.attempts + 1 >= self.max_attempts:
                await repo.mark_failed(delivery.id, f"gave up: {exc}")
                stats.failed += 1
            else:
                when = utcnow() + backoff(delivery.attempts + 1)
                await repo.mark_retry(delivery.id, str(exc)[:500], when)
                stats.retried += 1
        else:
            await repo.mark_sent(delivery.id, message.message_id)
            stats.sent += 1
