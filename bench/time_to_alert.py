"""Time-to-alert benchmark: `python bench/time_to_alert.py [--gigs 10] [--interval 60]`.

A local RSS feed (aiohttp, 127.0.0.1) is configured as a generic source
(`[sources.bench] kind = "rss"`, polled every `--interval` seconds) of a real bot process
(`sambilan run --role all`) talking to the limit-enforcing fake Bot API. One user is
subscribed to "logo". At random moments a new item "Logo design for …" appears in the feed;
the time from that moment to the moment the fake Bot API receives the sendMessage that
carries it is measured, one gig at a time, and p50/p95 are printed. With the default 60 s
interval the expected p50 is about half the interval: the wait for the next poll dominates.
Goals: every gig alerted, p95 at most the interval + 10 s; exits 1 naming a missed goal.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.delivery import (  # noqa: E402
    BUSINESSES,
    CITIES,
    TOKEN,
    BotProcess,
    FakeFeed,
    FeedItem,
    Goals,
    create_database,
    feed_source,
    figure,
    header,
    seed_users,
    write_config,
)
from tests.support.fake_bot_api import FakeBotApi  # noqa: E402

# Fetch, parse, match, queue and send must take at most this on top of waiting for the poll.
PROCESSING_GOAL = 10


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


async def run(args: argparse.Namespace) -> int:
    """Publish gigs at random moments and time each one until its alert arrives."""
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="sambilan-tta-") as tmp:
        workdir = Path(tmp)
        bench_db = await create_database(args.db, workdir)
        feed = FakeFeed()
        await feed.start()
        try:
            async with FakeBotApi(token=TOKEN, any_chat=True) as api:
                header(
                    "Time to alert (bench/time_to_alert.py)",
                    f"{bench_db.kind} database, bot process `sambilan run --role all`, RSS "
                    f"source polled every {args.interval} s, fake feed and fake Bot API on "
                    "127.0.0.1",
                )
                print(f"workload: {args.gigs} gigs, one at a time, at random moments", flush=True)
                await seed_users(bench_db.url, 1)
                config = write_config(
                    workdir / "config.toml",
                    api.base_url,
                    bench_db.url,
                    sources=feed_source(feed, args.interval),
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
                            await api.wait_for(
                                "sendMessage",
                                predicate=lambda p, tag=item.guid: tag in str(p.get("text")),
                                timeout=args.interval * 3 + 60,
                            )
                        except AssertionError:
                            missed += 1
                            print(f"  gig {number + 1}: no alert within the time limit")
                            continue
                        arrived = next(
                            c.time
                            for c in api.sent_messages()
                            if item.guid in str(c.params.get("text"))
                        )
                        latencies.append(arrived - appeared)
                        print(f"  gig {number + 1}: {latencies[-1]:.1f} s", flush=True)
                except TimeoutError:
                    print("the bot never fetched the feed:\n" + bot.tail())
                finally:
                    code, exit_seconds = await bot.terminate()
                goals = Goals()
                limit = args.interval + PROCESSING_GOAL
                print()
                print("| figure | value | goal |")
                print("|---|---|---|")
                figure("gigs published", args.gigs)
                goals.check("alerts received", len(latencies), str(args.gigs), not missed)
                if latencies:
                    p95 = percentile(latencies, 0.95)
                    figure("p50 time to alert (s)", f"{percentile(latencies, 0.5):.1f}")
                    goals.check("p95 time to alert (s)", f"{p95:.1f}", f"≤ {limit:g}", p95 <= limit)
                    figure("min / mean / max (s)", _spread(latencies))
                figure("source polls", feed.requests)
                goals.check("exit on SIGTERM", f"code {code}", "0", code == 0)
                figure("time to exit (s)", f"{exit_seconds:.1f}")
                if missed or code != 0:
                    print("bot log tail:\n" + bot.tail())
        finally:
            await feed.stop()
            await bench_db.drop()
    return goals.exit_code()


def _spread(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.fmean(values):.1f} / {max(values):.1f}"


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gigs", type=int, default=10, help="how many gigs to time (~20 ideal)")
    parser.add_argument("--interval", type=int, default=60, help="source interval in seconds")
    parser.add_argument("--seed", type=int, default=None, help="random seed for the moments")
    parser.add_argument("--db", choices=["auto", "postgresql", "sqlite"], default="auto")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
