"""A per-user flood limit on commands: a token bucket per user, kept in memory."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class FloodGuard:
    """Allow `burst` commands at once and `rate` per second after that, per user."""

    def __init__(
        self, *, rate: float = 1.0, burst: int = 8, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def allow(self, user_id: int) -> bool:
        """True when this user may be answered now."""
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True
        return False

    def should_warn(self, user_id: int) -> bool:
        """True once per flood, so a flooding user gets one 'slow down' and then silence."""
        bucket = self._buckets.get(user_id)
        if bucket is None or bucket.warned:
            return False
        bucket.warned = True
        return True

    def forget_idle(self, older_than: float = 3600) -> None:
        """Drop buckets of users who have been quiet a long time (bounded memory)."""
        cutoff = self.clock() - older_than
        for user_id in [u for u, b in self._buckets.items() if b.updated < cutoff]:
            del self._buckets[user_id]
