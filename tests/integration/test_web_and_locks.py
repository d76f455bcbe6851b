"""The health/metrics/webhook server and cross-process locks on a real database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram.ext import ApplicationBuilder

from bot.metrics import Metrics
from bot.store.db import Database
from bot.store.locks import advisory_lock
from bot.web import SECRET_HEADER, WebServer
from tests.support.running_bot import TOKEN

SECRET = "s3cret-token_value"


@pytest.fixture
async def server(db: Database) -> AsyncIterator[tuple[WebServer, object]]:
    application = ApplicationBuilder().token(TOKEN).build()
    metrics = Metrics()
    metrics.sent.inc(3)
    web = WebServer(
        db,
        metrics,
        host="127.0.0.1",
        port=0,
        application=application,
        webhook_path="/telegram/hook",
        secret_token=SECRET,
    )
    await web.start()
    try:
        yield web, application
    finally:
        await web.stop()


async def test_health_ready_and_metrics(server: tuple[WebServer, object]) -> None:
    web, _app = server
    base = f"http://127.0.0.1:{web.bound_port}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/healthz") as response:
            assert response.status == 200
        async with http.get(f"{base}/readyz") as response:
            assert response.status == 200 and await response.text() == "ready"
        async with http.get(f"{base}/metrics") as response:
            body = await response.text()
    assert "sambilan_alerts_sent_total 3.0" in body


async def test_webhook_checks_the_secret_token(server: tuple[WebServer, object]) -> None:
    web, application = server
    url = f"http://127.0.0.1:{web.bound_port}/telegram/hook"
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "Ana"},
            "text": "/start",
        },
    }
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=update) as response:
            assert response.status == 403
        async with http.post(url, json=update, headers={SECRET_HEADER: "wrong"}) as response:
            assert response.status == 403
        async with http.post(url, data=b"{not json", headers={SECRET_HEADER: SECRET}) as response:
            assert response.status == 400
        async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as response:
            assert response.status == 200
    queued = application.update_queue.get_nowait()
    assert queued.update_id == 1 and queued.message.text == "/start"
    assert application.update_queue.empty()
    assert json.dumps(update)  # the payload itself was valid JSON


async def test_readyz_fails_when_the_database_is_gone(db: Database) -> None:
    web = WebServer(db, Metrics(), host="127.0.0.1", port=0)
    await web.start()
    await db.close()
    db.engine = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none").engine
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{web.bound_port}/readyz") as response,
        ):
            assert response.status == 503
            assert "database unavailable" in await response.text()
    finally:
        await web.stop()


async def test_advisory_lock_is_exclusive_across_connections(db: Database) -> None:
    if db.dialect != "postgresql":
        async with advisory_lock(db, "source:x") as held:
            assert held  # one process does all the work on SQLite
        return
    other = Database(db.url)
    try:
        async with advisory_lock(db, "source:x") as first:
            assert first
            async with advisory_lock(other, "source:x") as second:
                assert not second
            async with advisory_lock(other, "source:y") as unrelated:
                assert unrelated
        await asyncio.sleep(0)
        async with advisory_lock(other, "source:x") as after:
            assert after
    finally:
        await other.close()
