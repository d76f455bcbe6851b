"""Sending at Telegram's pace: evenly spaced overall, about one a second per chat.

One Pacer per process is shared by the outbox worker and by the Application's own Bot
(through `PacedLimiter`), so replies to users and alerts never add up past Telegram's
limits, and a 429 on either pauses both.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

# Methods that put a new message in a chat: these count against Telegram's limits.
SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendAnimation",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendSticker",
        "sendLocation",
        "sendContact",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    }
)


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that the type will change to timedelta
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


@dataclass
class _Chat:
    tokens: float
    updated: float


class Pacer:
    """Hands out send times: `rate` per second overall, evenly spaced, and any `window_limit`
    consecutive sends spanning at least `window` seconds, so no second holds more than 30
    (Telegram's limit; the 50 ms margin absorbs network jitter), which caps the sustained
    rate at about 28.6 a second. The cap is kept on booked moments and again on the moments
    sends are really let go. Per chat a bucket of `chat_burst` refilled at `chat_rate` per
    second (0.8: a fifth under Telegram's one a second, so that one message arriving late
    and the next arriving early still keep to it). A 429 pauses everything for its
    Retry-After."""

    def __init__(
        self,
        *,
        rate: float = 29.0,
        chat_rate: float = 0.8,
        chat_burst: int = 3,
        window_limit: int = 30,
        window: float = 1.05,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.clock = clock
        self.sleep = sleep
        self.window_limit = window_limit
        self.window = window
        self._next = 0.0
        self._paused_until = 0.0
        self._chats: dict[int, _Chat] = {}
        # The last `window_limit` booked moments: a hard cap per sliding window on top of
        # the even spacing, so timing jitter can never squeeze a 31st send into a second.
        self._recent: deque[float] = deque()
        # The moments sends were really let go: a stalled event loop wakes several sleepers
        # at once, and this cap keeps such a bunch from adding up past the limit.
        self._released: deque[float] = deque()

    @property
    def sustained_rate(self) -> float:
        """Sends a second this pacer keeps up at most over time."""
        return self.window_limit / self.window

    @classmethod
    def paid(cls, per_second: int, **kwargs: Any) -> Pacer:
        """A pacer for paid broadcasts: up to `per_second` messages in any 1.05 s (Telegram
        allows 1,000 a second with allow_paid_broadcast), per chat as always."""
        return cls(rate=per_second * 0.97, window_limit=per_second, **kwargs)

    def reserve(self, chat_id: int) -> float:
        """Book the earliest allowed moment for one message to `chat_id`."""
        now = self.clock()
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(float(self.chat_burst), now)
        chat.tokens = min(self.chat_burst, chat.tokens + (now - chat.updated) * self.chat_rate)
        chat.updated = now
        chat_ready = now if chat.tokens >= 1 else now + (1 - chat.tokens) / self.chat_rate
        at = max(now, chat_ready, self._next, self._paused_until)
        if len(self._recent) >= self.window_limit:
            at = max(at, self._recent[0] + self.window)
        self._recent.append(at)
        while len(self._recent) > self.window_limit:
            self._recent.popleft()
        self._next = at + self.interval
        # The token is spent at `at`: account for the refill until then.
        chat.tokens = chat.tokens + (at - now) * self.chat_rate - 1
        chat.updated = at
        return at

    def chat_ready_at(self, chat_id: int) -> float:
        """The earliest moment this chat's bucket has room for another message."""
        now = self.clock()
        chat = self._chats.get(chat_id)
        if chat is None:
            return now
        # `updated` may be a booked moment still ahead: the refill counts from there.
        tokens = min(self.chat_burst, chat.tokens + (now - chat.updated) * self.chat_rate)
        return now if tokens >= 1 else now + (1 - tokens) / self.chat_rate

    def sent(self, chat_id: int) -> None:
        """A message to `chat_id` was answered: count the chat's refill from now, not from
        its booked moment, so a send that went out late (a busy event loop, a slow
        connection) cannot arrive close behind the next one and break the per-chat limit."""
        chat = self._chats.get(chat_id)
        now = self.clock()
        if chat is not None and now > chat.updated:
            chat.updated = now

    async def wait(self, chat_id: int) -> None:
        """Sleep until this chat's next message may go."""
        await self.wait_booked(self.reserve(chat_id))

    async def sleep_until(self, moment: float) -> None:
        """Sleep until `moment` on the pacer's clock."""
        delay = moment - self.clock()
        if delay > 0:
            await self.sleep(delay)

    async def wait_booked(self, at: float) -> None:
        """Sleep until a moment `reserve` gave, and while the last `window` seconds already
        let `window_limit` sends go (a stalled event loop wakes many sleepers at once)."""
        while True:
            delay = at - self.clock()
            if delay > 0:
                await self.sleep(delay)
            now = self.clock()
            # (The small tolerance keeps float rounding from leaving a due send waiting.)
            while self._released and self._released[0] <= now - self.window + 1e-6:
                self._released.popleft()
            if len(self._released) < self.window_limit:
                break
            at = self._released[0] + self.window
        self._released.append(self.clock())

    async def wait_unpaused(self) -> None:
        """Sleep while a 429 pause lasts."""
        delay = self._paused_until - self.clock()
        if delay > 0:
            await self.sleep(delay)

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out for `seconds`."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)
        self._next = max(self._next, self._paused_until)

    def forget_idle(self, older_than: float = 600) -> None:
        """Drop per-chat state of chats not used for a while (bounded memory)."""
        cutoff = self.clock() - older_than
        for chat_id in [c for c, s in self._chats.items() if s.updated < cutoff]:
            del self._chats[chat_id]


class PacedLimiter(BaseRateLimiter[None]):
    """The Application Bot's rate limiter: new messages wait for their turn in the shared
    Pacer; a 429 on any call pauses the Pacer (so the outbox too) and is retried after it."""

    def __init__(self, pacer: Pacer, max_retries: int = 2) -> None:
        self.pacer = pacer
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for the chat's turn (new messages) or for a 429 pause to end, then call."""
        chat = data.get("chat_id")
        key = chat if isinstance(chat, int) else hash(str(chat))
        paced = endpoint in SENDING_METHODS and chat is not None
        for attempt in range(self.max_retries + 1):
            if paced:
                await self.pacer.wait(key)
            else:
                await self.pacer.wait_unpaused()
            try:
                result = await callback(*args, **kwargs)
                if paced:
                    self.pacer.sent(key)
                return result
            except RetryAfter as exc:
                self.pacer.pause(retry_after_seconds(exc))
                if attempt >= self.max_retries:
                    raise
        raise AssertionError("unreachable")


# What the default (free) Pacer sustains: 30 sends in any 1.05 s.
SUSTAINED_RATE = Pacer().sustained_rate


def pacer_for(paid_broadcast: bool, paid_rate: int) -> Pacer:
    """The pacer the delivery settings ask for: free (30 a second) or paid broadcasts."""
    return Pacer.paid(paid_rate) if paid_broadcast else Pacer()
