"""The resources one running Sambilan process shares: settings, database, HTTP fetcher."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.store.db import Database
from scrapers.http import Fetcher

RUNTIME_KEY = "runtime"


@dataclass
class Runtime:
    """Opened in post_init, closed in post_shutdown; handlers reach it through bot_data."""

    settings: Settings
    db: Database
    fetcher: Fetcher | None = None
    source_locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    @classmethod
    async def open(cls, settings: Settings, *, with_fetcher: bool = True) -> Runtime:
        """Connect to the database, apply migrations and open the HTTP session."""
        runtime = cls(settings=settings, db=Database(settings.database.url))
        runtime._stack.push_async_callback(runtime.db.close)
        await runtime.db.upgrade()
        if with_fetcher:
            runtime.fetcher = await runtime._stack.enter_async_context(
                Fetcher(
                    user_agent=settings.scraper.user_agent,
                    total_timeout=settings.scraper.total_timeout_seconds,
                    connect_timeout=settings.scraper.connect_timeout_seconds,
                    max_bytes=settings.scraper.max_response_bytes,
                )
            )
        return runtime

    def lock_for(self, source: str) -> asyncio.Lock:
        """The lock that keeps two runs of one source from overlapping."""
        return self.source_locks.setdefault(source, asyncio.Lock())

    async def close(self) -> None:
        """Release everything opened in `open`."""
        await self._stack.aclose()


def runtime_of(bot_data: dict[str, Any]) -> Runtime:
    """The Runtime stored in an Application's bot_data."""
    return bot_data[RUNTIME_KEY]
