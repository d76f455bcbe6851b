"""1,000 gigs from a feed to ten users through real `sambilan run` processes: on PostgreSQL
two workers and one bot process share the work, on SQLite the single process does it all.
Every gig reaches the user whose skill it names, each in exactly one message, and nothing
else is sent."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from collections import Counter
from html import escape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.store.db import Database
from bot.store.models import Delivery, GigRow
from scrapers.sources import SOURCES
from tests.support.factories import user_with_skills
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import TOKEN, FakeSource

pytestmark = pytest.mark.timeout(240)
ROOT = Path(__file__).parents[2]
GIGS = 1000
SKILLS = [
    ("desain logo", "Desain logo"),
    ("artikel", "Tulis artikel SEO"),
    ("terjemahan", "Terjemahan dokumen"),
    ("entri data", "Entri data produk"),
    ("video editing", "Video editing reels"),
    ("transkripsi", "Transkripsi wawancara"),
    ("voice over", "Voice over iklan"),
    ("copywriting", "Copywriting caption"),
    ("virtual assistant", "Virtual assistant harian"),
    ("wordpress", "Perbaikan website WordPress"),
]
NOUNS = ["kopi", "batik", "bakso", "laundry", "kos", "sambal", "kue", "tani", "ojek", "salon"]
GIG_NUMBER = re.compile(r"usaha [a-z]+ (\d+)\b")  # the number at the end of every gig title
ROLES = {"postgresql": ["worker", "worker", "bot"], "sqlite": ["all"]}
SENDS = {"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage"}


def feed(count: int) -> bytes:
    """An RSS 2.0 feed of `count` distinct micro-gigs."""
    items = []
    for i in range(count):
        _skill, phrase = SKILLS[i % len(SKILLS)]
        title = f"{phrase} usaha {NOUNS[(i // 10) % 10]} {i}"
        items.append(
            "<item>"
            f"<title>{escape(title)}</title>"
            f"<link>https://example.org/gig/{i}</link>"
            f'<guid isPermaLink="false">gig-{i}</guid>'
            f"<description>{escape(f'Budget Rp 500.000. Pekerjaan nomor {i}, selesai 3 hari.')}"
            "</description>"
            "<pubDate>Sat, 28 Nov 2026 10:00:00 +0000</pubDate>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Scale test</title><link>https://example.org</link>"
        "<description>gigs</description><language>id</language>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def config(path: Path, api: FakeBotApi, db_url: str, feed_url: str) -> Path:
    """A config.toml for the processes."""
    lines = [
        "[telegram]",
        f'token = "{TOKEN}"',
        f'api_base_url = "{api.base_url}"',
        f'api_file_url = "{api.base_file_url}"',
        "[database]",
        f'url = "{db_url}"',
        "[server]",
        "enabled = false",
        "[delivery]",
        "interval_seconds = 0.5",
        "batch_size = 200",
        "[scraper]",
        "min_host_interval_seconds = 0",
        "retries = 0",
    ]
    for name in SOURCES:
        lines += [f"[sources.{name}]", "enabled = false"]
    lines += ["[sources.scale]", 'kind = "rss"', f'url = "{feed_url}"', "interval_seconds = 1"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_every_alert_reaches_its_user_once_and_nothing_else_is_sent(
    api: FakeBotApi, db_url: str, backend: str, tmp_path: Path
) -> None:
    db = Database(db_url)
    await db.upgrade()
    users = {}
    for index, (skill, _phrase) in enumerate(SKILLS):
        user_id = 7000 + index
        users[user_id] = index
        api.add_user(user_id)
        await user_with_skills(db, user_id, skill)
    roles = ROLES[backend]
    async with FakeSource(feed(GIGS), content_type="application/rss+xml") as source:
        path = config(tmp_path / "config.toml", api, db_url, source.url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAMBILAN_")}
        env["PYTHONPATH"] = str(ROOT)
        logs = [tmp_path / f"{role}-{n}.log" for n, role in enumerate(roles)]
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                *("-m", "bot", "--config", str(path), "run", "--role", role),
                env=env,
                cwd=tmp_path,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log.open("w"),
            )
            for role, log in zip(roles, logs, strict=True)
        ]
        try:
            deadline = time.monotonic() + 180  # a liveness limit, not a speed check
            while time.monotonic() < deadline:
                await asyncio.sleep(1)
                async with db.transaction() as session:
                    stored = await session.scalar(select(func.count(GigRow.id)))
                    states = dict(
                        (
                            await session.execute(
                                select(Delivery.status, func.count(Delivery.id)).group_by(
                                    Delivery.status
                                )
                            )
                        ).all()
                    )
                if stored == GIGS and states and set(states) == {"sent"}:
                    break
            for process, log in zip(processes, logs, strict=True):
                assert process.returncode is None, log.read_text()[-2000:]
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            codes = [await asyncio.wait_for(process.wait(), 30) for process in processes]
    assert codes == [0] * len(roles)  # SIGTERM: clean exits
    assert stored == GIGS
    async with db.transaction() as session:
        rows = (await session.execute(select(Delivery.user_id, GigRow.title).join(GigRow))).all()
    await db.close()
    assert states == {"sent": len(rows)}
    queued = {(uid, number) for uid, title in rows for number in _numbers(title)}
    assert len(queued) == len(rows)  # one gig per outbox row

    # Every message the bot sent, to anyone: each is an alert for its own user's gigs.
    sends = [c for c in api.calls if c.method in SENDS]
    assert all(c.ok for c in sends), [(c.method, c.description) for c in sends if not c.ok]
    assert {c.params["chat_id"] for c in sends} <= set(users)
    received: Counter[tuple[int, int]] = Counter()
    for call in sends:
        numbers = _numbers(str(call.params.get("text") or call.params.get("caption") or ""))
        assert numbers, f"a message that is no alert: {call.params}"
        received.update((call.params["chat_id"], n) for n in numbers)
    assert set(received.values()) == {1}  # no gig twice, to anyone
    assert set(received) == queued  # exactly what the outbox recorded as sent
    # And independently of the bot's own records: each user got every gig of their skill.
    for user_id, index in users.items():
        own = {n for n in range(GIGS) if n % len(SKILLS) == index}
        assert own <= {n for uid, n in received if uid == user_id}, user_id


def _numbers(text: str) -> list[int]:
    """The numbers of the gig titles in a text, in order."""
    return [int(n) for n in GIG_NUMBER.findall(text)]
