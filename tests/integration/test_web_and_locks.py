"""The health/metrics/webhook server, and what keeps two runs of one source apart: a
PostgreSQL advisory lock between worker processes, the runtime's lock within a process, and
on SQLite (no advisory locks) the rule that only one process runs."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal

import aiohttp
import pytest
from aiohttp import web
from telegram.ext import ApplicationBuilder

from bot.app.config import Settings
from bot.app.metrics import Metrics
from bot.app.runtime import Runtime
from bot.app.web import SECRET_HEADER, WebServer
from bot.ingest.pipeline import scrape_source
from bot.store.db import Database
from bot.store.locks import advisory_lock
from scrapers.sources import SOURCES
from tests.support.db import temporary_database
from tests.support.running_bot import TOKEN, FakeSource

SECRET = "s3cret-token_value"
ROOT = Path(__file__).parents[2]
LISTING = ROOT / "tests" / "fixtures" / "projects_co_id_listing.html"
SOURCE = "projects_co_id"


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


# --- locks: PostgreSQL advisory locks between processes; on SQLite, one process ---


@pytest.fixture
async def pg_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty PostgreSQL database (no SQLite variant: advisory locks are PostgreSQL's)."""
    async with temporary_database("postgresql", tmp_path) as url:
        yield url


class HeldSource(FakeSource):
    """A gig site that holds every listing request until the test releases it."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body)
        self.release = asyncio.Event()
        self.arrived = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self._arrival = asyncio.Condition()

    async def _serve(self, request: web.Request) -> web.Response:
        if request.path == "/robots.txt":
            return await super()._serve(request)
        async with self._arrival:
            self.arrived += 1
            self._arrival.notify_all()
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self.release.wait()
            return await super()._serve(request)
        finally:
            self.in_flight -= 1

    async def wait_arrivals(self, count: int) -> None:
        """Wait until `count` listing requests have arrived."""
        async with asyncio.timeout(30), self._arrival:
            await self._arrival.wait_for(lambda: self.arrived >= count)


class WatchedLock(asyncio.Lock):
    """The runtime's per-source lock, telling the test when a second run waits on it."""

    def __init__(self) -> None:
        super().__init__()
        self.contended = asyncio.Event()

    async def acquire(self) -> Literal[True]:
        """Acquire; first note when the lock is already held (someone will wait)."""
        if self.locked():
            self.contended.set()
        return await super().acquire()


@asynccontextmanager
async def worker_runtime(db_url: str, source_url: str) -> AsyncIterator[Runtime]:
    """A runtime as one worker process has it, with projects.co.id at `source_url`."""
    sources: dict[str, dict[str, object]] = {name: {"enabled": False} for name in SOURCES}
    sources[SOURCE] = {"enabled": True, "url": source_url}
    settings = Settings(
        database={"url": db_url},
        sources=sources,
        scraper={"min_host_interval_seconds": 0, "retries": 0},
    )
    runtime = await Runtime.open(settings)
    try:
        yield runtime
    finally:
        await runtime.close()


async def test_advisory_lock_is_exclusive_across_connections(pg_url: str) -> None:
    holder, other = Database(pg_url), Database(pg_url)
    try:
        async with advisory_lock(holder, "source:x") as first:
            assert first is True
            async with advisory_lock(other, "source:x") as second:
                assert second is False  # refused while the first holds it
            async with advisory_lock(other, "source:y") as unrelated:
                assert unrelated is True
        async with advisory_lock(other, "source:x") as after:
            assert after is True  # released on leaving
        with pytest.raises(RuntimeError, match="scrape failed"):
            async with advisory_lock(holder, "source:x") as failing:
                assert failing is True
                raise RuntimeError("scrape failed")
        async with advisory_lock(other, "source:x") as after_failure:
            assert after_failure is True  # a holder that fails lets go too
    finally:
        await holder.close()
        await other.close()


async def test_a_second_worker_skips_a_source_another_is_scraping(pg_url: str) -> None:
    async with (
        HeldSource(LISTING.read_bytes()) as source,
        worker_runtime(pg_url, source.url) as first,
        worker_runtime(pg_url, source.url) as second,
    ):
        running = asyncio.create_task(scrape_source(first, SOURCE))
        await source.wait_arrivals(1)  # the first worker holds the lock and is fetching
        skipped = await scrape_source(second, SOURCE)
        assert [t.skipped for t in skipped.targets] == ["another worker is scraping it"]
        assert source.arrived == 1  # the second worker did not fetch
        source.release.set()
        done = await running
        assert done.ok and (done.items, done.new) == (12, 12)
        later = await scrape_source(second, SOURCE)  # the lock is free again
        assert later.ok and later.targets[0].skipped is None and (later.items, later.new) == (12, 0)
    assert source.arrived == 2 and source.most_in_flight == 1


async def test_one_process_runs_one_source_at_a_time(db_url: str) -> None:
    async with (
        HeldSource(LISTING.read_bytes()) as source,
        worker_runtime(db_url, source.url) as runtime,
    ):
        lock = runtime.source_locks[SOURCE] = WatchedLock()
        first = asyncio.create_task(scrape_source(runtime, SOURCE))
        await source.wait_arrivals(1)
        second = asyncio.create_task(scrape_source(runtime, SOURCE))
        async with asyncio.timeout(30):
            await lock.contended.wait()
        assert source.arrived == 1 and not second.done()  # waiting, not fetching
        source.release.set()
        reports = await asyncio.gather(first, second)
    assert [(r.ok, r.items, r.new) for r in reports] == [(True, 12, 12), (True, 12, 0)]
    assert source.arrived == 2 and source.most_in_flight == 1


async def test_on_sqlite_the_advisory_lock_excludes_nobody(tmp_path: Path) -> None:
    """SQLite has no advisory locks: what keeps runs apart there is the runtime's lock
    (above) and the command refusing a second process (below)."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'one.db'}")
    try:
        async with advisory_lock(db, "source:x") as first, advisory_lock(db, "source:x") as second:
            assert (first, second) == (True, True)
    finally:
        await db.close()


@pytest.mark.parametrize("role", ["worker", "bot"])
def test_on_sqlite_the_command_refuses_a_second_process(tmp_path: Path, role: str) -> None:
    database = tmp_path / "one.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMBILAN_")}
    env |= {
        "SAMBILAN_DATABASE__URL": f"sqlite+aiosqlite:///{database}",
        "SAMBILAN_TELEGRAM__TOKEN": TOKEN,
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--role", role],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "with SQLite run the single process (--role all)" in result.stderr
    assert not database.exists()  # refused before touching the database
