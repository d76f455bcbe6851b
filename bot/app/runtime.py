"""The resources one running Sambilan process shares: settings, database, HTTP fetcher."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from bot.app.config import Settings
from bot.app.metrics import Metrics
from bot.domain.money import Rates
from bot.ingest.matcher import Matcher
from bot.store.db import Database
from scrapers.http import Fetcher
from scrapers.plan import SourcePlan, plan_sources, source_labels

RUNTIME_KEY = "runtime"
T = TypeVar("T", bound=AbstractAsyncContextManager[Any])


@dataclass
class Runtime:
    """Opened in post_init, closed in post_shutdown; handlers reach it through bot_data."""

    settings: Settings
    db: Database
    plans: dict[str, SourcePlan] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    fetcher: Fetcher | None = None
    metrics: Metrics = field(default_factory=Metrics)
    matcher: Matcher = field(init=False)
    source_locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    @classmethod
    async def open(cls, settings: Settings, *, with_fetcher: bool = True) -> Runtime:
        """Connect to the database, apply migrations and open the HTTP session."""
        runtime = cls(
            settings=settings,
            db=Database(settings.database.url),
            plans=plan_sources(settings.enabled_sources()),
            labels=source_labels(settings.sources),
        )
        runtime._stack.push_async_callback(runtime.db.close)
        await runtime.db.upgrade()
        runtime.matcher = Matcher(runtime.db, runtime.rates)
        if with_fetcher:
            scraper = settings.scraper
            runtime.fetcher = await runtime._stack.enter_async_context(
                Fetcher(
                    user_agent=scraper.user_agent,
                    total_timeout=scraper.total_timeout_seconds,
                    connect_timeout=scraper.connect_timeout_seconds,
                    max_bytes=scraper.max_response_bytes,
                    min_host_interval=scraper.min_host_interval_seconds,
                    retries=scraper.retries,
                    respect_robots=scraper.respect_robots,
                )
            )
        return runtime

    async def enter(self, resource: T) -> T:
        """Open an async context manager for the runtime's lifetime (closed in `close`)."""
        return await self._stack.enter_async_context(resource)

    @property
    def rates(self) -> Rates:
        """Configured exchange rates and their date."""
        configured = self.settings.rates
        return Rates(configured.idr_per_unit, configured.date)

    def lock_for(self, source: str) -> asyncio.Lock:
        """The lock that keeps two runs of one source from overlapping."""
        return self.source_locks.setdefault(source, asyncio.Lock())

    async def auth_headers(self, plan: SourcePlan) -> dict[str, str] | None:
        """Bearer headers for sources with OAuth credentials (token cached until expiry)."""
        if plan.oauth is None or self.fetcher is None:
            return None
        cached = self._tokens.get(plan.name)
        if cached is None or cached[1] <= time.monotonic():
            result = await self.fetcher.post_form(
                plan.oauth.token_url,
                {"grant_type": "client_credentials"},
                auth=(plan.oauth.client_id, plan.oauth.client_secret),
            )
            token = _access_token(result.body if result.ok else None)
            if token is None:
                return None  # the fetch then fails visibly and is recorded on the source
            self._tokens[plan.name] = (token[0], time.monotonic() + max(60.0, token[1] - 60))
            cached = self._tokens[plan.name]
        return {"Authorization": f"bearer {cached[0]}"}

    async def close(self) -> None:
        """Release everything opened in `open`."""
        await self._stack.aclose()


def _access_token(body: bytes | None) -> tuple[str, float] | None:
    """(token, lifetime seconds) from an OAuth token response."""
    if not body:
        return None
    try:
        data: Any = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
        return None
    return data["access_token"], float(data.get("expires_in") or 3600)


def runtime_of(bot_data: dict[str, Any]) -> Runtime:
    """The Runtime stored in an Application's bot_data."""
    return cast(Runtime, bot_data[RUNTIME_KEY])
