"""Time-to-alert benchmark: `python bench/time_to_alert.py [--gigs 10] [--interval 60]`.

A local RSS feed (aiohttp, 127.0.0.1) is configured as a generic source
(`[sources.bench] kind = "rss"`, polled every `--interval` seconds) of a real bot process
(`sambilan run --role all`) talking to the limit-enforcing fake Bot API. One user is
subscribed to "logo". At random moments a new item "Logo design for …" appears in the feed;
the time from that moment to the moment the fake Bot API receives the sendMessage that
carries it is measured, one gig at a time, and p50/p95 are printed. With the default 60 s
interval the expected p50 is about half the interval: the wait for the next poll dominates.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from bench.delivery import (  # noqa: E402
    FIRST_USER_ID,
    BotProcess,
    create_database,
    figure,
    header,
    new_user,
    write_config,
)
from bench.fake_telegram import FakeTelegram  # noqa: E402
from bot.matching.text import skill_key  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Skill  # noqa: E402

BUSINESSES = [
    "bakery",
    "coffee shop",
    "barbershop",
    "batik boutique",
    "yoga studio",
    "bicycle repair",
    "florist",
    "laundry",
    "noodle stall",
    "pet grooming",
    "tailor",
    "bookshop",
    "dental clinic",
    "surf school",
    "rice farm",
    "photo studio",
    "car wash",
    "juice bar",
    "guesthouse",
    "printing house",
]
CITIES = [
    "Bandung",
    "Surabaya",
    "Medan",
    "Makassar",
    "Yogyakarta",
    "Denpasar",
    "Semarang",
    "Malang",
    "Padang",
    "Pontianak",
    "Manado",
    "Kupang",
]


@dataclass
class FeedItem:
    """One RSS item."""

    guid: str
    title: str
    text: str
    published: datetime


@dataclass
class FakeFeed:
    """An RSS feed on 127.0.0.1 whose items the benchmark adds while the bot polls it."""

    items: list[FeedItem] = field(default_factory=list)
    requests: int = 0
    url: str = ""
    fetched: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None

    def add(self, item: FeedItem) -> float:
        """Publish an item; returns the moment (time.time()) it became visible."""
        self.items.append(item)
        return time.time()

    def body(self) -> bytes:
        """The feed, newest item first."""
        entries = "".join(
            "<item>"
            f"<title>{escape(i.title)}</title>"
            f"<link>https://example.com/gigs/{i.guid}</link>"
            f'<guid isPermaLink="false">{i.guid}</guid>'
            f"<pubDate>{format_datetime(i.published)}</pubDate>"
            f"<description>{escape(i.text)}</description>"
            "</item>"
            for i in reversed(self.items)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            "<title>Bench gigs</title><link>https://example.com/</link>"
            "<description>Gigs for the time-to-alert benchmark</description>"
            f"<language>en</language>{entries}</channel></rss>"
        ).encode()

    async def _serve(self, request: web.Request) -> web.Response:
        if request.path == "/robots.txt":
            return web.Response(status=404)
        self.requests += 1
        self.fetched.set()
        etag = f'"v{len(self.items)}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=self.body(),
            content_type="application/rss+xml",
            charset="utf-8",
            headers={"ETag": etag},
        )

    async def start(self) -> None:
        """Serve on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/feed.rss"

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()


def new_item(number: int, rng: random.Random) -> FeedItem:
    """A gig that matches "logo", worded differently each time (so it is not a duplicate)."""
    tag = f"tta{number:03d}{secrets.token_hex(2)}"
    business = BUSINESSES[number % len(BUSINESSES)]
    city = rng.choice(CITIES)
    return FeedItem(
        guid=tag,
        title=f"Logo design for a {business} in {city} ({tag})",
        text=f"We need a logo for our {business} in {city}: three concepts, vector files. "
        f"Reference {tag}.",
        published=datetime.now(UTC),
    )


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def seed_user(url: str) -> None:
    """One user subscribed to "logo", alerts allowed at once."""
    db = Database(url)
    try:
        async with db.transaction() as session:
            session.add(new_user(FIRST_USER_ID))
            await session.flush()
            session.add(Skill(user_id=FIRST_USER_ID, name="logo", key=skill_key("logo")))
    finally:
        await db.close()


async def run(args: argparse.Namespace) -> int:
    """Publish gigs at random moments and time each one until its alert arrives."""
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="sambilan-tta-") as tmp:
        workdir = Path(tmp)
        bench_db = await create_database(args.db, workdir)
        feed = FakeFeed()
        await feed.start()
        try:
            async with FakeTelegram(latency=args.latency_ms / 1000) as api:
                header(
                    "Time to alert (bench/time_to_alert.py)",
                    f"{bench_db.kind} database, bot process `sambilan run --role all`, RSS "
                    f"source polled every {args.interval} s, fake feed and fake Bot API on "
                    "127.0.0.1",
                )
                print(f"workload: {args.gigs} gigs, one at a time, at random moments", flush=True)
                await seed_user(bench_db.url)
                sources = {
                    "bench": {
                        "kind": "rss",
                        "label": "Bench feed",
                        "url": feed.url,
                        "interval_seconds": args.interval,
                    }
                }
                config = write_config(
                    workdir / "config.toml", api.base_url, bench_db.url, sources=sources
                )
                bot = BotProcess(config, "all", workdir / "bot.log")
                latencies: list[float] = []
                missed = 0
                await bot.start()
                try:
                    async with asyncio.timeout(60):
                        await feed.fetched.wait()
                    for number in range(args.gigs):
                        await asyncio.sleep(rng.uniform(0, args.interval))
                        item = new_item(number, rng)
                        appeared = feed.add(item)
                        try:
                            message = await api.wait_for_text(item.guid, args.interval * 3 + 60)
                        except TimeoutError:
                            missed += 1
                            print(f"  gig {number + 1}: no alert within the time limit")
                            continue
                        latencies.append(message.time - appeared)
                        print(f"  gig {number + 1}: {latencies[-1]:.1f} s", flush=True)
                except TimeoutError:
                    print("the bot never fetched the feed:\n" + bot.tail())
                finally:
                    code, exit_seconds = await bot.terminate()
                print()
                print("| figure | value | goal |")
                print("|---|---|---|")
                figure("gigs published", args.gigs)
                figure("alerts received", len(latencies), str(args.gigs), not missed)
                if latencies:
                    figure("p50 time to alert (s)", f"{percentile(latencies, 0.5):.1f}")
                    figure("p95 time to alert (s)", f"{percentile(latencies, 0.95):.1f}")
                    figure("min / mean / max (s)", _spread(latencies))
                figure("source polls", feed.requests)
                figure("exit on SIGTERM", f"code {code}", "0", code == 0)
                figure("time to exit (s)", f"{exit_seconds:.1f}")
                if missed or code != 0:
                    print("bot log tail:\n" + bot.tail())
        finally:
            await feed.stop()
            await bench_db.drop()
    return 0


def _spread(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.fmean(values):.1f} / {max(values):.1f}"


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gigs", type=int, default=10, help="how many gigs to time (~20 ideal)")
    parser.add_argument("--interval", type=int, default=60, help="source interval in seconds")
    parser.add_argument("--seed", type=int, default=None, help="random seed for the moments")
    parser.add_argument("--db", choices=["auto", "postgresql", "sqlite"], default="auto")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="fake Bot API latency")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
