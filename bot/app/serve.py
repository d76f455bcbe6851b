"""Run a Sambilan process: role all, bot (updates + delivery) or worker (scrape + match).

One place starts and stops everything in order, so SIGTERM lets in-flight sends finish:
stop taking updates, let running jobs (a delivery pass included) complete, then close.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress
from typing import Literal

from telegram import Update

from bot.app.application import build_application, close_resources, open_resources
from bot.app.config import Settings
from bot.app.jobs import DELIVERY_KEY
from bot.app.runtime import runtime_of
from bot.app.web import WebServer
from bot.handlers.common import App
from bot.webapp.server import Dashboard

log = logging.getLogger(__name__)
Role = Literal["all", "bot", "worker"]
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
WEBHOOK_PATH = "/telegram/webhook"


async def start_role(application: App, role: Role) -> WebServer | None:
    """Open resources, start jobs and updates for `role`, and the HTTP server if enabled."""
    settings: Settings = application.bot_data["settings"]
    application.bot_data["role"] = role
    await application.initialize()
    await open_resources(application)
    await application.start()
    webhook = bool(settings.telegram.webhook_url) and role != "worker"
    if role != "worker":
        if webhook:
            await application.bot.set_webhook(
                settings.telegram.webhook_url,
                secret_token=settings.telegram.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    if not settings.server.enabled and not webhook:
        return None
    runtime = runtime_of(application.bot_data)
    dashboard = None
    if role != "worker":
        dashboard = Dashboard(
            runtime,
            application.bot,
            token=settings.require_token(),
            max_age_seconds=settings.server.init_data_max_age_seconds,
        )
    server = WebServer(
        runtime.db,
        runtime.metrics,
        host=settings.server.host,
        port=settings.server.port,
        application=application if webhook else None,
        webhook_path=WEBHOOK_PATH if webhook else None,
        secret_token=settings.telegram.webhook_secret or None,
        dashboard=dashboard,
    )
    await server.start()
    return server


async def stop_role(application: App, server: WebServer | None) -> None:
    """Stop in order: no new updates, finish running jobs, close resources."""
    worker = application.bot_data.get(DELIVERY_KEY)
    if worker is not None:
        worker.stopping = True  # finish the sends in flight, claim nothing new
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if server is not None:
        await server.stop()
    if application.running:
        await application.stop()  # waits for running jobs: in-flight sends complete
    await close_resources(application)
    await application.shutdown()


async def serve(settings: Settings, role: Role, stop: asyncio.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or until `stop` is set)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    application = build_application(settings)
    server = await start_role(application, role)
    log.info("sambilan running", extra={"role": role})
    try:
        await stop.wait()
    finally:
        log.info("stopping", extra={"role": role})
        await stop_role(application, server)
