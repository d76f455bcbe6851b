"""The outbox worker: claims due alerts, sends them at Telegram's pace, records each result.

Crash safety. A pass claims rows (status "sending", claimed_at) in one short transaction,
then sends, then records each result in its own short transaction. A process killed at
any moment loses nothing: rows it had claimed but not recorded go back to "pending" when
their lease runs out, and are sent again. The only way a user can get an alert twice is a
message that Telegram accepted whose "sent" record was not committed yet: the window
between the HTTP response arriving and one small UPDATE committing.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from html import unescape

from sqlalchemy import func, select, update
from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.digest import plan_holds
from bot.metrics import Metrics
from bot.money import Rates
from bot.pacing import Pacer
from bot.render import alert_card, alert_keyboard
from bot.store.db import Database
from bot.store.models import Delivery, User, utcnow
from bot.store.repos import DeliveryRepo, GigRepo

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=120)
MAX_IN_FLIGHT = 16
_TAG = re.compile(r"<[^>]+>")


@dataclass
class DeliveryStats:
    """What one run over the outbox did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0

    @property
    def handled(self) -> int:
        """Rows this run touched."""
        return self.sent + self.retried + self.failed + self.blocked


@dataclass
class SendJob:
    """One claimed alert, rendered and ready to go."""

    delivery_id: int
    user_id: int
    chat_id: int
    attempts: int
    text: str
    keyboard: InlineKeyboardMarkup


def backoff(attempt: int) -> timedelta:
    """Wait before retry number `attempt`: 5 s, 10 s, 20 s … capped at 10 minutes."""
    return timedelta(seconds=min(600, 5 * 2 ** max(0, attempt - 1)))


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that the type will change to timedelta
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def plain_text(html_text: str) -> str:
    """The card without markup, for when Telegram refuses to parse it."""
    return unescape(_TAG.sub("", html_text))


class DeliveryWorker:
    """Drains the outbox: claims in batches, paces sends, records every outcome."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        *,
        labels: Mapping[str, str] | None = None,
        rates: Rates | None = None,
        batch_size: int = 50,
        max_attempts: int = 5,
        pacer: Pacer | None = None,
        metrics: Metrics | None = None,
    ):
        self.bot = bot
        self.db = db
        self.labels = dict(labels or {})
        self.rates = rates
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.pacer = pacer or Pacer()
        self.metrics = metrics or Metrics()
        self.stopping = False
        self._started = False
        self._lock = asyncio.Lock()
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def run_once(self) -> DeliveryStats:
        """Send every alert that is due now; one run at a time per process."""
        stats = DeliveryStats()
        async with self._lock:
            if not self._started:
                # One delivering process per bot token: whatever is still "sending" was
                # claimed by a process that died, so it goes back at once.
                await self.release_stale_claims(lease=timedelta(0))
                self._started = True
            else:
                await self.release_stale_claims()
            jobs, claimed = await self._claim()
            while True:
                # Claim the next batch while this one is being sent, so the pace never
                # stalls between batches.
                sending = asyncio.create_task(self._deliver(jobs, stats))
                more = claimed >= self.batch_size and not self.stopping
                if more:
                    next_jobs, claimed = await self._claim()
                await sending
                if not more:
                    break
                jobs = next_jobs
            await self._update_depth()
        return stats

    async def release_stale_claims(self, lease: timedelta = LEASE) -> int:
        """Give back rows a crashed sender claimed and never recorded."""
        async with self.db.transaction() as session:
            result = await session.execute(
                update(Delivery)
                .where(Delivery.status == "sending", Delivery.claimed_at < utcnow() - lease)
                .values(status="pending", claimed_at=None)
            )
        released = int(result.rowcount or 0)
        if released:
            log.warning("released %s stale delivery claims", released)
        return released

    async def _claim(self) -> tuple[list[SendJob], int]:
        """Claim due rows, hold what must wait, render what goes now."""
        async with self.db.transaction() as session:
            repo = DeliveryRepo(session)
            batch = await repo.claim_due(self.batch_size)
            ids = {d.user_id for d in batch}
            found = await session.scalars(select(User).where(User.id.in_(ids))) if ids else []
            users: dict[int, User | None] = {u.id: u for u in found}
            also = await GigRepo(session).also_listed({d.gig_id for d in batch})
            holds = await plan_holds(session, batch, users)
            jobs: list[SendJob] = []
            now = utcnow()
            for delivery in batch:
                user = users.get(delivery.user_id)
                if user is None or not user.active:
                    continue
                if await holds.hold(session, delivery):
                    continue  # paused, quiet, digest, limit or part of a burst
                delivery.status, delivery.claimed_at = "sending", now
                jobs.append(self._job(delivery, user, also.get(delivery.gig_id, [])))
            await holds.finish(self.bot, session, users, self.labels)
        return jobs, len(batch)

    def _job(self, delivery: Delivery, user: User, also: list[tuple[str, str]]) -> SendJob:
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
        return SendJob(delivery.id, user.id, user.chat_id, delivery.attempts, text, keyboard)

    async def _deliver(self, jobs: list[SendJob], stats: DeliveryStats) -> None:
        tasks: list[asyncio.Task[None]] = []
        for index, job in enumerate(jobs):
            if self.stopping:
                await self._release([j.delivery_id for j in jobs[index:]])
                break
            await self._in_flight.acquire()
            await self.pacer.wait(job.chat_id)
            tasks.append(asyncio.create_task(self._send(job, stats)))
        await asyncio.gather(*tasks)

    async def _release(self, delivery_ids: list[int]) -> None:
        """Hand claimed rows back without sending (the process is stopping)."""
        async with self.db.transaction() as session:
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(delivery_ids), Delivery.status == "sending")
                .values(status="pending", claimed_at=None)
            )

    async def _send(self, job: SendJob, stats: DeliveryStats) -> None:
        try:
            await self._attempt(job, stats)
        except Exception:  # a bug must not lose the row: it goes back for a retry
            log.exception("delivery %s crashed", job.delivery_id)
            await self._record_retry(job, "internal error", backoff(job.attempts + 1), stats)
        finally:
            self._in_flight.release()

    async def _attempt(self, job: SendJob, stats: DeliveryStats) -> None:
        started = time.perf_counter()
        try:
            message = await self.bot.send_message(
                job.chat_id,
                job.text,
                parse_mode=ParseMode.HTML,
                reply_markup=job.keyboard,
                disable_web_page_preview=True,
            )
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            self.pacer.pause(wait)
            self.metrics.rate_limited.inc()
            # Not the alert's fault: no attempt is counted, it waits exactly what was asked.
            await self._record_retry(job, "rate limited", timedelta(seconds=wait), stats, 0)
            return
        except ChatMigrated as exc:
            await self._migrate_chat(job, exc.new_chat_id)
            await self.pacer.wait(job.chat_id)
            await self._attempt(job, stats)
            return
        except Forbidden as exc:
            await self._record_blocked(job, exc.message)
            stats.blocked += 1
            return
        except BadRequest as exc:
            if "can't parse entities" in exc.message.lower() and job.text != plain_text(job.text):
                job.text = plain_text(job.text)
                await self.pacer.wait(job.chat_id)
                message = await self._plain(job)
            else:
                await self._record_failed(job, f"bad request: {exc.message}")
                self.metrics.send_failures.labels("bad_request").inc()
                stats.failed += 1
                return
        except (NetworkError, TelegramError) as exc:
            self.metrics.send_failures.labels("network").inc()
            if job.attempts + 1 >= self.max_attempts:
                await self._record_failed(job, f"gave up after {job.attempts + 1} tries: {exc}")
                stats.failed += 1
            else:
                await self._record_retry(job, str(exc)[:500], backoff(job.attempts + 1), stats)
            return
        self.metrics.send_latency.observe(time.perf_counter() - started)
        async with self.db.transaction() as session:
            await DeliveryRepo(session).mark_sent(job.delivery_id, message.message_id)
        self.metrics.sent.inc()
        stats.sent += 1

    async def _plain(self, job: SendJob):  # type: ignore[no-untyped-def]
        return await self.bot.send_message(
            job.chat_id, job.text, reply_markup=job.keyboard, disable_web_page_preview=True
        )

    async def _record_retry(
        self,
        job: SendJob,
        error: str,
        wait: timedelta,
        stats: DeliveryStats,
        counted: int = 1,
    ) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(Delivery)
                .where(Delivery.id == job.delivery_id)
                .values(
                    status="pending",
                    claimed_at=None,
                    attempts=Delivery.attempts + counted,
                    last_error=error,
                    next_attempt_at=utcnow() + wait,
                )
            )
        stats.retried += 1

    async def _record_failed(self, job: SendJob, error: str) -> None:
        async with self.db.transaction() as session:
            await DeliveryRepo(session).mark_failed(job.delivery_id, error)

    async def _record_blocked(self, job: SendJob, message: str) -> None:
        """Blocked, kicked or deactivated: this user gets nothing more."""
        async with self.db.transaction() as session:
            repo = DeliveryRepo(session)
            await repo.mark_failed(job.delivery_id, f"forbidden: {message}")
            await session.execute(
                update(User)
                .where(User.id == job.user_id)
                .values(active=False, inactive_since=utcnow())
            )
            await repo.drop_pending_for(job.user_id, "user inactive")
        self.metrics.send_failures.labels("blocked").inc()

    async def _migrate_chat(self, job: SendJob, new_chat_id: int) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(User).where(User.id == job.user_id).values(chat_id=new_chat_id)
            )
        job.chat_id = new_chat_id

    async def _update_depth(self) -> None:
        async with self.db.transaction() as session:
            depth = await session.scalar(
                select(func.count(Delivery.id)).where(Delivery.status.in_(("pending", "held")))
            )
        self.metrics.outbox_depth.set(int(depth or 0))
