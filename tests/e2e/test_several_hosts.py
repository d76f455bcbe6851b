"""Workers on separate machines need nothing but the database URL: on PostgreSQL a worker
killed (SIGKILL) in the middle of a scrape loses its advisory lock with its connection, a
worker started late takes the source over, and every gig's alerts are queued and sent
exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.store.db import Database
from bot.store.models import Delivery, GigRow
from tests.e2e.test_scale_out import SENDS, SKILLS, _numbers, config, feed
from tests.support.db import temporary_database
from tests.support.factories import user_with_skills
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import FakeSource

pytestmark = pytest.mark.timeout(240)
ROOT = Path(__file__).parents[2]
GIGS = 200
LIVENESS_S = 120  # a liveness limit, not a speed check
LOCKED_OUT_S = 3  # scrape attempts the late worker makes while the lock is held


class StallingSource(FakeSource):
    """A gig site whose first fetch never answers: its worker is stuck mid-scrape."""

    def __init__(self, body: bytes, content_type: str) -> None:
        super().__init__(body, content_type)
        self.release = asyncio.Event()

    async def _serve(self, request: web.Request) -> web.Response:
        first = request.path != "/robots.txt" and self.requests == 0
        response = await super()._serve(request)
        if first:
            await self.release.wait()
        return response


async def _wait_for_text(log: Path, text: str, timeout: float) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while text not in (content := await asyncio.to_thread(log.read_text, errors="replace")):
        assert time.monotonic() < deadline, f"{text!r} not in {log.name}: {content[-2000:]}"
        await asyncio.sleep(0.2)


async def test_a_late_worker_takes_over_from_a_killed_one(api: FakeBotApi, tmp_path: Path) -> None:
    async with temporary_database("postgresql", tmp_path) as db_url:
        await _run(api, db_url, tmp_path)


async def _run(api: FakeBotApi, db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    await db.upgrade()
    users = {}
    for index, (skill, _phrase) in enumerate(SKILLS):
        user_id = 7000 + index
        users[user_id] = index
        api.add_user(user_id)
        await user_with_skills(db, user_id, skill)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMBILAN_")}
    env["PYTHONPATH"] = str(ROOT)
    async with StallingSource(feed(GIGS), "application/rss+xml") as source:
        # Each "host" gets its own working directory; all they share is the database URL.
        started: dict[str, tuple[asyncio.subprocess.Process, Path]] = {}

        async def start(name: str, role: str) -> None:
            home = tmp_path / name
            home.mkdir()
            path = config(home / "config.toml", api, db_url, source.url)
            # The stalled fetch must outlast the test: the worker dies in it, not after it.
            text = path.read_text().replace(
                "[scraper]\n", "[scraper]\ntotal_timeout_seconds = 600\n"
            )
            path.write_text(text)
            log = home / "stderr.log"
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                *("-m", "bot", "--config", str(path), "run", "--role", role),
                env=env,
                cwd=home,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log.open("w"),
            )
            started[name] = (process, log)

        try:
            await start("bot", "bot")
            await start("doomed", "worker")
            await source.wait_requests(1, timeout=60)  # the doomed worker is mid-scrape
            await start("late", "worker")
            late_log = started["late"][1]
            # The late worker runs (its first scrape is due a second after it starts) but
            # does not fetch: the stalled worker holds the source's lock.
            await _wait_for_text(late_log, "sambilan running", 60)
            await asyncio.sleep(LOCKED_OUT_S)
            assert source.requests == 1
            started["doomed"][0].send_signal(signal.SIGKILL)
            assert await asyncio.wait_for(started["doomed"][0].wait(), 30) == -signal.SIGKILL
            # Its connection died with it, and the lock with the connection.
            await source.wait_requests(2, timeout=60)
            deadline = time.monotonic() + LIVENESS_S
            stored, states = 0, {}
            while time.monotonic() < deadline:
                await asyncio.sleep(1)
                async with db.transaction() as session:
                    stored = await session.scalar(select(func.count(GigRow.id))) or 0
                    states = dict(
                        (
                            await session.execute(
                                select(Delivery.status, func.count(Delivery.id)).group_by(
                                    Delivery.status
                                )
                            )
                        ).all()
                    )
                if stored == GIGS and set(states) == {"sent"}:
                    break
        finally:
            source.release.set()
            for name, (process, _log) in started.items():
                if name != "doomed":
                    process.send_signal(signal.SIGTERM)
            codes = {
                name: await asyncio.wait_for(process.wait(), 30)
                for name, (process, _log) in started.items()
            }
    logs = {name: log.read_text(errors="replace")[-2000:] for name, (_p, log) in started.items()}
    assert codes == {"bot": 0, "doomed": -signal.SIGKILL, "late": 0}, logs
    assert stored == GIGS
    async with db.transaction() as session:
        rows = (await session.execute(select(Delivery.user_id, GigRow.title).join(GigRow))).all()
    await db.close()
    assert states == {"sent": len(rows)}
    queued = Counter((uid, n) for uid, title in rows for n in _numbers(title))
    assert set(queued.values()) == {1}  # every gig's alert queued once per user
    expected = {(uid, n) for uid, index in users.items() for n in range(GIGS) if n % 10 == index}
    assert set(queued) == expected
    sends = [c for c in api.calls if c.method in SENDS]
    received = Counter(
        (c.params["chat_id"], n)
        for c in sends
        for n in _numbers(str(c.params.get("text") or c.params.get("caption") or ""))
    )
    assert set(received.values()) == {1}  # and sent once
    assert set(received) == expected
