"""The process's small HTTP server: /healthz, /readyz, /metrics, the Telegram webhook and
the dashboard Mini App (bot.webapp)."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text
from telegram import Update

from bot.app.metrics import Metrics
from bot.handlers.common import App
from bot.store.db import Database
from bot.webapp.server import Dashboard

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000


class WebServer:
    """Health, readiness and metrics for every role; the webhook endpoint and the dashboard
    for the roles that answer users."""

    def __init__(
        self,
        db: Database,
        metrics: Metrics,
        *,
        host: str,
        port: int,
        application: App | None = None,
        webhook_path: str | None = None,
        secret_token: str | None = None,
        ready: Callable[[], Awaitable[bool]] | None = None,
        dashboard: Dashboard | None = None,
    ) -> None:
        self.db = db
        self.metrics = metrics
        self.host = host
        self.port = port
        self.application = application
        self.webhook_path = webhook_path
        self.secret_token = secret_token
        self.ready = ready
        self.dashboard = dashboard
        self._runner: web.AppRunner | None = None
        self.bound_port: int | None = None

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics)
        if self.webhook_path and self.application is not None:
            app.router.add_post(self.webhook_path, self._webhook)
        if self.dashboard is not None:
            self.dashboard.add_routes(app)
        return app

    async def start(self) -> None:
        """Listen on host:port (port 0 picks a free one; see `bound_port`)."""
        self._runner = web.AppRunner(self._app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.bound_port = self._runner.addresses[0][1]
        log.info("http server on %s:%s", self.host, self.bound_port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def _readyz(self, _request: web.Request) -> web.Response:
        try:
            async with self.db.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # any database failure means "not ready"
            return web.Response(status=503, text=f"database unavailable: {type(exc).__name__}")
        if self.ready is not None and not await self.ready():
            return web.Response(status=503, text="starting")
        return web.Response(text="ready")

    async def _metrics(self, _request: web.Request) -> web.Response:
        body, content_type = self.metrics.render()
        return web.Response(body=body, headers={"Content-Type": content_type})

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret_token or not hmac.compare_digest(given, self.secret_token):
            return web.Response(status=403, text="forbidden")
        assert self.application is not None
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="bad update")
        await self.application.update_queue.put(update)
        return web.Response(text="ok")
