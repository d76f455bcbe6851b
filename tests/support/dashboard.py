"""The dashboard Mini App under test: the real bot in memory with its web server, and
initData signed the way Telegram signs it (computed here, not with the code under test)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.app.metrics import Metrics
from bot.app.runtime import runtime_of
from bot.app.web import WebServer
from bot.webapp.server import Dashboard
from tests.support.memory_bot import TOKEN, MemoryBot, memory_bot, memory_settings

PUBLIC_URL = "https://sambilan.example.com"


def init_data(
    user_id: int,
    *,
    token: str = TOKEN,
    language: str = "en",
    auth_date: int | None = None,
    first_name: str = "Ana",
) -> str:
    """initData for a user as Telegram would hand it to the Mini App, signed with `token`."""
    user = {"id": user_id, "first_name": first_name, "language_code": language}
    fields = {
        "query_id": f"AAH{user_id}",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def auth(data: str) -> dict[str, str]:
    """The header every dashboard API request carries."""
    return {"Authorization": f"tma {data}"}


@dataclass
class DashboardBot:
    """The in-memory bot and its web server with the dashboard."""

    bot: MemoryBot
    server: WebServer

    @property
    def base(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.server.bound_port}"


@asynccontextmanager
async def dashboard_bot(
    db_url: str, *, max_age_seconds: int = 86_400, **extra: Any
) -> AsyncIterator[DashboardBot]:
    """The real application in memory with server.public_url set, and its web server."""
    server_settings = {
        "public_url": PUBLIC_URL,
        "port": 0,
        "init_data_max_age_seconds": max_age_seconds,
    }
    settings = memory_settings(db_url, server=server_settings, **extra)
    async with memory_bot(settings) as bot:
        runtime = runtime_of(bot.app.bot_data)
        dashboard = Dashboard(
            runtime,
            bot.app.bot,
            token=TOKEN,
            max_age_seconds=settings.server.init_data_max_age_seconds,
        )
        server = WebServer(runtime.db, Metrics(), host="127.0.0.1", port=0, dashboard=dashboard)
        await server.start()
        try:
            yield DashboardBot(bot, server)
        finally:
            await server.stop()
        assert bot.errors == []
