"""Sending at Telegram's pace: evenly spaced overall, about one a second per chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass
class _Chat:
    tokens: float
    updated: float


class Pacer:
    """Hands out send times: at most `rate` per second overall with no bursts (so any
    one-second window holds at most `rate` sends), and per chat a bucket of `chat_burst`
    refilled at `chat_rate` per second. A 429 pauses everything for its Retry-After."""

    def __init__(
        self,
        *,
        rate: float = 29.0,
        chat_rate: float = 1.0,
        chat_burst: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._paused_until = 0.0
        self._chats: dict[int, _Chat] = {}

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
        self._next = at + self.interval
        # The token is spent at `at`: account for the refill until then.
        chat.tokens = chat.tokens + (at - now) * self.chat_rate - 1
        chat.updated = at
        return at

    async def wait(self, chat_id: int) -> None:
        """Sleep until this chat's next message may go."""
        delay = self.reserve(chat_id) - self.clock()
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
