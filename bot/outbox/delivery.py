"""The outbox worker: every message to a user goes out here, at Telegram's pace.

Alerts (one card, or several gigs grouped in one message), digests of held alerts, limit
notices, deadline reminders and admin notices are rows in the outbox (`deliveries` and
`notices`); this worker claims the due ones, sends them through one Pacer and records each
result. No Telegram call is made inside a database transaction.

Crash safety. A pass claims rows (status "sending", claimed_at) in one short transaction,
then sends, then records each result in its own short transaction. A process killed at
any moment loses nothing: rows it had claimed but not recorded go back to "pending" when
their lease runs out (at once when the sender restarts), and are sent again. The only way
a user can get a message twice is one that Telegram accepted whose "sent" record was not
committed yet: the window between the HTTP response arriving and one small UPDATE.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.app.metrics import Metrics
from bot.domain.money import Rates
from bot.outbox.digest import RELEASE_INTERVAL_SECONDS, Outgoing, plan_claim, release_holds
from bot.outbox.pacing import Pacer, retry_after_seconds
from bot.store.db import Database
from bot.store.locks import SenderLease
from bot.store.models import Delivery, Notice, User, utcnow
from bot.store.outbox_repo import OutboxRepo
from bot.store.repos import DeliveryRepo
from bot.ui.render import plain_text

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=120)
MAX_IN_FLIGHT = 16
# Rows claimed (and rendered) at a time, at most: a big claim blocks the event loop long
# enough to bunch the sends waiting behind it past Telegram's limit.
CLAIM_CHUNK = 25
# A backlog longer than this (at the pacer's sustained rate) is sent best-scored and freshest
# first instead of oldest first: at Telegram's ceiling, what is sent late is worth less.
BACKLOG_SECONDS = 180.0
BACKLOG_CHECK_SECONDS = 30.0  # counting a big backlog is itself a query worth sparing


@dataclass
class DeliveryStats:
    """What one run over the outbox did (counted in messages)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0

    @property
    def handled(self) -> int:
        """Messages this run touched."""
        return self.sent + self.retried + self.failed + self.blocked


@dataclass
class SendJob:
    """One claimed message, rendered and ready to go: alert rows or one notice."""

    user_id: int | None
    chat_id: int
    attempts: int
    text: str
    keyboard: InlineKeyboardMarkup | None = None
    delivery_ids: list[int] = field(default_factory=list)
    notice_id: int | None = None

    @property
    def name(self) -> str:
        """For logs."""
        return f"notice {self.notice_id}" if self.notice_id else f"alerts {self.delivery_ids}"


def _drain(queue: asyncio.Queue[list[SendJob] | None]) -> list[list[SendJob]]:
    """Whatever batches are waiting in `queue`, taken out."""
    batches = []
    while not queue.empty():
        item = queue.get_nowait()
        if item is not None:
            batches.append(item)
    return batches


def backoff(attempt: int) -> timedelta:
    """Wait before retry number `attempt`: 5 s, 10 s, 20 s … capped at 10 minutes."""
    return timedelta(seconds=min(600, 5 * 2 ** max(0, attempt - 1)))


class DeliveryWorker:
    """Drains the outbox: claims in batches, paces sends, records every outcome.

    One per bot token: on PostgreSQL it holds a lease (an advisory lock) named after the
    token, and a second process with the same token stays idle while the first is alive.
    """

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
        exclusive: bool = False,
        paid_broadcast: bool = False,
        backlog_seconds: float = BACKLOG_SECONDS,
    ):
        self.bot = bot
        self.db = db
        self.labels = dict(labels or {})
        self.rates = rates
        self.batch_size = min(batch_size, CLAIM_CHUNK)
        self.max_attempts = max_attempts
        self.pacer = pacer or Pacer()
        self.metrics = metrics or Metrics()
        self.stopping = False
        self.backlog_seconds = backlog_seconds
        self.best_first = False  # set from the backlog, measured every 30 s
        self._next_backlog_check = 0.0
        # Paid broadcasts: every message carries allow_paid_broadcast (the pacer is set to
        # the paid rate by whoever builds it).
        self.paid: dict[str, Any] = {"allow_paid_broadcast": True} if paid_broadcast else {}
        # The process's sender holds the token's lease; workers built by hand (tests) don't.
        self.lease = SenderLease(db, f"sender:{bot.token.split(':', 1)[0]}") if exclusive else None
        self._started = False
        self._next_release = 0.0
        self._lock = asyncio.Lock()
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        # The send still under way per chat: a chat's next message is booked only once its
        # previous one was answered (the pacer counts the chat's refill from that answer).
        self._chat_send: dict[int, asyncio.Task[None]] = {}

    async def run_once(self) -> DeliveryStats:
        """Send every message that is due now; one run at a time per process."""
        stats = DeliveryStats()
        async with self._lock:
            if self.lease is not None and not await self.lease.acquire():
                return stats  # another process sends for this token
            if not self._started:
                # The only sender of this token: whatever is still "sending" was claimed
                # by a process that died, so it goes back at once.
                await self.release_stale_claims(lease=timedelta(0))
                if self.lease is not None:
                    # A sender that died a moment ago may have filled Telegram's last second.
                    self.pacer.pause(self.pacer.window)
                self._started = True
            else:
                await self.release_stale_claims()
            if time.monotonic() >= self._next_release:
                await release_holds(self.db)
                self._next_release = time.monotonic() + RELEASE_INTERVAL_SECONDS
            if time.monotonic() >= self._next_backlog_check:
                await self._measure_backlog()
                self._next_backlog_check = time.monotonic() + BACKLOG_CHECK_SECONDS
            await self._stream(stats)
            await self._update_depth()
        return stats

    async def close(self) -> None:
        """Give up the sender lease."""
        if self.lease is not None:
            await self.lease.release()

    async def release_stale_claims(self, lease: timedelta = LEASE) -> int:
        """Give back rows a crashed sender claimed and never recorded."""
        released = 0
        async with self.db.transaction() as session:
            for model in (Delivery, Notice):
                result = await session.execute(
                    update(model)
                    .where(model.status == "sending", model.claimed_at < utcnow() - lease)
                    .values(status="pending", claimed_at=None)
                )
                released += int(cast(CursorResult[Any], result).rowcount or 0)
        if released:
            log.warning("released %s stale delivery claims", released)
        return released

    async def _measure_backlog(self) -> None:
        """Decide this run's order: oldest first, or best first behind a long backlog."""
        async with self.db.transaction() as session:
            due = await OutboxRepo(session).due_count()
        rate = self.pacer.sustained_rate
        best_first = due / rate > self.backlog_seconds
        if best_first != self.best_first:
            log.info(
                "outbox backlog of %s alerts (%.0f s): sending %s first",
                due,
                due / rate,
                "best-scored and freshest" if best_first else "oldest",
            )
        self.best_first = best_first

    async def _claim(self) -> tuple[list[SendJob], int]:
        """Claim due notices and alerts; hold what must wait, render what goes now."""
        async with self.db.transaction() as session:
            now = utcnow()
            notices = await OutboxRepo(session).claim_notices(self.batch_size, now)
            jobs = []
            for notice in notices:
                notice.status, notice.claimed_at = "sending", now
                jobs.append(
                    SendJob(
                        notice.user_id,
                        notice.chat_id,
                        notice.attempts,
                        notice.text,
                        notice_id=notice.id,
                    )
                )
            plan = await plan_claim(
                session,
                self.batch_size,
                labels=self.labels,
                rates=self.rates,
                now=now,
                best_first=self.best_first,
            )
            jobs.extend(self._job(out) for out in plan.outgoing)
        return jobs, max(len(notices), plan.claimed)

    @staticmethod
    def _job(out: Outgoing) -> SendJob:
        return SendJob(
            out.user_id,
            out.chat_id,
            out.attempts,
            out.text,
            out.keyboard,
            delivery_ids=out.delivery_ids,
        )

    async def _stream(self, stats: DeliveryStats) -> None:
        """Claim batches in one task and send them in another, so that claiming (and the
        "sent" records of the previous batch) never leaves a gap in the pace: the next
        batch is ready while the current one is still going out."""
        ready: asyncio.Queue[list[SendJob] | None] = asyncio.Queue(maxsize=1)
        halt = asyncio.Event()
        claiming = asyncio.create_task(self._claim_batches(ready, halt))
        sends: set[asyncio.Task[None]] = set()
        try:
            while (jobs := await ready.get()) is not None:
                await self._dispatch(jobs, stats, sends)
        finally:
            # Stopped or failed: batches claimed ahead go back unsent. The claimer stops
            # after the claim it is in, and is never cancelled half-way through handing one
            # over, so no claimed row is left behind.
            halt.set()
            leftover = _drain(ready)
            while not claiming.done():
                await asyncio.wait({claiming}, timeout=0.05)
                leftover += _drain(ready)
            leftover += _drain(ready)
            if leftover:
                await self._release([job for batch in leftover for job in batch])
            if sends:
                await asyncio.gather(*sends)
            claiming.result()  # a failed claim is raised, not swallowed

    async def _claim_batches(
        self, ready: asyncio.Queue[list[SendJob] | None], halt: asyncio.Event
    ) -> None:
        """Claim due rows a batch at a time until a claim comes back short."""
        try:
            while not (self.stopping or halt.is_set()):
                jobs, claimed = await self._claim()
                if jobs:
                    await ready.put(jobs)
                if claimed < self.batch_size:
                    break
        finally:
            # Always tell the sender there is no more, even when claiming failed.
            while True:
                try:
                    ready.put_nowait(None)
                    break
                except asyncio.QueueFull:
                    await asyncio.sleep(0.01)

    async def _dispatch(
        self, jobs: list[SendJob], stats: DeliveryStats, sends: set[asyncio.Task[None]]
    ) -> None:
        """Start each job's send at its booked moment; a stop hands the rest back.

        Chats take turns (round-robin), and a chat that has to wait for Telegram's per-chat
        pace goes back in line while another chat can use the slot: booking it ahead would
        hold every message behind it, so one user's flood would starve the others."""
        queues: dict[int, deque[SendJob]] = {}
        for job in jobs:
            queues.setdefault(job.chat_id, deque()).append(job)
        turns = deque(queues)  # chats in turn order
        while turns:
            if self.stopping:
                await self._release([job for queue in queues.values() for job in queue])
                return
            chat_id = self._next_chat(turns)
            turns.remove(chat_id)
            job = queues[chat_id].popleft()
            if queues[chat_id]:
                turns.append(chat_id)  # its next message waits for its next turn
            else:
                del queues[chat_id]
            earlier = self._chat_send.get(job.chat_id)
            busy = earlier is not None and not earlier.done()
            if earlier is not None and busy:
                await asyncio.wait({earlier})
            await self._in_flight.acquire()
            # Booked now, in order; the task sleeps until its moment and sends right away,
            # so a busy event loop cannot bunch sends that were spaced out.
            moment = self.pacer.reserve(job.chat_id)
            task = asyncio.create_task(self._send(job, stats, moment))
            sends.add(task)
            task.add_done_callback(sends.discard)
            self._chat_send[job.chat_id] = task
            task.add_done_callback(partial(self._forget_send, job.chat_id))
            await self.pacer.sleep_until(moment - self.pacer.interval)

    def _ready_at(self, chat_id: int) -> float:
        """When this chat may have its next message: after the one under way is answered,
        and when its per-chat bucket has room."""
        earlier = self._chat_send.get(chat_id)
        if earlier is not None and not earlier.done():
            return float("inf")
        return self.pacer.chat_ready_at(chat_id)

    def _next_chat(self, turns: deque[int]) -> int:
        """The first chat in turn order that may send now, else the one ready soonest."""
        soon = self.pacer.clock() + self.pacer.interval
        for chat_id in turns:
            if self._ready_at(chat_id) <= soon:
                return chat_id
        return min(turns, key=self._ready_at)

    def _forget_send(self, chat_id: int, task: asyncio.Task[None]) -> None:
        if self._chat_send.get(chat_id) is task:
            del self._chat_send[chat_id]

    async def _release(self, jobs: list[SendJob]) -> None:
        """Hand claimed rows back without sending (the process is stopping)."""
        deliveries = [i for job in jobs for i in job.delivery_ids]
        notices = [job.notice_id for job in jobs if job.notice_id is not None]
        async with self.db.transaction() as session:
            for model, ids in ((Delivery, deliveries), (Notice, notices)):
                if ids:
                    await session.execute(
                        update(model)
                        .where(model.id.in_(ids), model.status == "sending")
                        .values(status="pending", claimed_at=None)
                    )

    async def _send(self, job: SendJob, stats: DeliveryStats, moment: float) -> None:
        try:
            await self.pacer.wait_booked(moment)
            await self._attempt(job, stats)
            self.pacer.sent(job.chat_id)
        except Exception:  # a bug must not lose the row: it goes back for a retry
            log.exception("delivery of %s crashed", job.name)
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
                **self.paid,
            )
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            self.pacer.pause(wait)
            self.metrics.rate_limited.inc()
            # Not the message's fault: no attempt is counted, it waits exactly what was asked.
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
            await OutboxRepo(session).mark_sent(
                job.delivery_ids, message.message_id, notice_id=job.notice_id
            )
        self.metrics.sent.inc()
        stats.sent += 1

    async def _plain(self, job: SendJob) -> Message:
        return await self.bot.send_message(
            job.chat_id,
            job.text,
            parse_mode=None,  # explicit: a bot with HTML as its default would parse it again
            reply_markup=job.keyboard,
            disable_web_page_preview=True,
            **self.paid,
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
            await OutboxRepo(session).mark_retry(
                job.delivery_ids, error, utcnow() + wait, counted, notice_id=job.notice_id
            )
        stats.retried += 1

    async def _record_failed(self, job: SendJob, error: str) -> None:
        async with self.db.transaction() as session:
            await OutboxRepo(session).mark_failed(job.delivery_ids, error, notice_id=job.notice_id)

    async def _record_blocked(self, job: SendJob, message: str) -> None:
        """Blocked, kicked or deactivated: this user gets nothing more."""
        async with self.db.transaction() as session:
            await OutboxRepo(session).mark_failed(
                job.delivery_ids, f"forbidden: {message}", notice_id=job.notice_id
            )
            if job.user_id is not None:
                await session.execute(
                    update(User)
                    .where(User.id == job.user_id)
                    .values(active=False, inactive_since=utcnow())
                )
                await DeliveryRepo(session).drop_pending_for(job.user_id, "user inactive")
        self.metrics.send_failures.labels("blocked").inc()

    async def _migrate_chat(self, job: SendJob, new_chat_id: int) -> None:
        if job.user_id is not None:
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
