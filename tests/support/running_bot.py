"""Run the real Sambilan application against a fake Bot API and fake sources."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web
from telegram.ext import Application

from bot.app.application import build_application, close_resources, open_resources
from bot.app.config import Settings
from scrapers.sources import SOURCES
from tests.support.fake_bot_api import FakeBotApi

TOKEN = "123456789:TEST-sambilan-token-0123456789"


class FakeSource:
    """A local HTTP server standing in for a gig site; the test decides what it serves."""

    def __init__(self, body: bytes = b"", content_type: str = "text/html") -> None:
        self.body = body
        self.content_type = content_type
        self.status = 200
        self.etag: str | None = None
        self.requests = 0
        self.paths: list[str] = []
        self._served = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _serve(self, request: web.Request) -> web.Response:
        if request.path == "/robots.txt":
            return web.Response(status=404)
        async with self._served:
            self.requests += 1
            self.paths.append(request.path_qs)
            self._served.notify_all()
        if self.etag and request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304, headers={"ETag": self.etag})
        headers = {"ETag": self.etag} if self.etag else None
        return web.Response(
            status=self.status,
            body=self.body,
            content_type=self.content_type,
            charset="utf-8",
            headers=headers,
        )

    async def wait_requests(self, count: int, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until the source has been fetched at least `count` times in all."""
        async with asyncio.timeout(timeout), self._served:
            await self._served.wait_for(lambda: self.requests >= count)

    async def __aenter__(self) -> FakeSource:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._serve)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/listing"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


def settings_for_fakes(
    api: FakeBotApi,
    db_url: str,
    sources: dict[str, str],
    *,
    scraper: dict[str, Any] | None = None,
    admin_ids: list[int] | None = None,
    **extra: Any,
) -> Settings:
    """Settings pointing at the fakes: only the given sources enabled, polled every second."""
    configured = {
        name: {"enabled": name in sources, "url": sources.get(name, ""), "interval_seconds": 1}
        for name in SOURCES
    }
    return Settings(
        telegram={
            "token": TOKEN,
            "api_base_url": api.base_url,
            "api_file_url": api.base_file_url,
            "admin_ids": admin_ids or [],
        },
        database={"url": db_url},
        sources=configured,
        delivery={"interval_seconds": 0.5},
        # Tests type faster than people: keep the flood limit out of their way by default.
        bot={"command_burst": 1000, **extra.pop("bot", {})},
        scraper={"min_host_interval_seconds": 0, "retries": 0, **(scraper or {})},
        **extra,
    )


@asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[Application]:
    """The whole bot, long polling and scheduled, as `sambilan run` starts it."""
    application = build_application(settings)
    await application.initialize()
    try:
        await open_resources(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1))
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
    finally:
        await close_resources(application)
        await application.shutdown()
