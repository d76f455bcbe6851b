"""Burst delivery benchmark: `python bench/delivery.py --burst [--users 2000] [--gigs 4] [--kill]`.

N users subscribed to "logo"; a local fake RSS source publishes K matching gigs at once
(K >= 4, so every user's alerts are grouped). The real bot process (`sambilan run`)
scrapes the feed, matches, queues and sends through the fake Bot API, which enforces
Telegram's limits (tests/support/fake_bot_api.py, run as its own process). Every gig
title carries a marker, so each (user, gig) alert is counted inside grouped messages too.
With `--kill` the process is SIGKILLed half-way through and started again.

Prints gigs delivered, messages, sustained msg/s, busiest second, 429s, duplicates and
missing alerts; exits 1 naming each goal that was missed. This module also holds the
harness the other delivery benchmarks use.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bench.goals import finish, record  # noqa: E402
from bot.matching.text import skill_key  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Delivery, Skill, User  # noqa: E402
from scrapers.sources import SOURCES  # noqa: E402

TOKEN = "123456789:TEST-bench-token-0123456789"
PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "database": "test"}
GOAL_RATE = 28.0
GOAL_PEAK = 30
FIRST_USER_ID = 700_000_000
MARKER = re.compile(r"\[bench-(\d{6})\]")
FINAL = frozenset({"sent", "failed", "skipped"})
BUSINESSES = [
    "bakery", "coffee shop", "barbershop", "batik boutique", "yoga studio", "bicycle repair",
    "florist", "laundry", "noodle stall", "pet grooming", "tailor", "bookshop", "dental clinic",
    "surf school", "rice farm", "photo studio", "car wash", "juice bar", "guesthouse",
    "printing house",
]  # fmt: skip
CITIES = [
    "Bandung", "Surabaya", "Medan", "Makassar", "Yogyakarta", "Denpasar", "Semarang", "Malang",
    "Padang", "Pontianak", "Manado", "Kupang",
]  # fmt: skip


# ---------------------------------------------------------------------- output


def header(what: str, where: str) -> None:
    """The short header every benchmark prints first."""
    print(f"## {what}")
    print(f"where:   {where}")
    print(
        f"machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"date:    {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def figure(name: str, value: Any, goal: str = "", ok: bool | None = None) -> None:
    """One `name | value | goal` line, easy to paste into a Markdown table."""
    mark = "" if ok is None else (" ✅" if ok else " ❌")
    print(f"| {name} | {value} | {goal}{mark} |")


# ---------------------------------------------------------------------- database


@dataclass
class BenchDatabase:
    """A database created for one benchmark run and removed afterwards."""

    url: str
    kind: str
    name: str
    path: Path | None = None

    async def drop(self) -> None:
        """Remove the database (PostgreSQL) or its files (SQLite)."""
        if self.kind == "postgresql":
            import asyncpg

            connection = await asyncpg.connect(**PG_ADMIN, timeout=5)
            try:
                await connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            finally:
                await connection.close()
        elif self.path is not None:
            _remove_sqlite_files(self.path)


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def create_database(choice: str, workdir: Path) -> BenchDatabase:
    """A fresh, migrated database: PostgreSQL if reachable (or asked for), else SQLite."""
    name = f"sambilan_bench_{os.getpid()}_{secrets.token_hex(3)}"
    if choice in ("auto", "postgresql"):
        try:
            import asyncpg

            connection = await asyncpg.connect(**PG_ADMIN, timeout=3)
            try:
                await connection.execute(f'CREATE DATABASE "{name}"')
            finally:
                await connection.close()
            server = f"{PG_ADMIN['user']}@{PG_ADMIN['host']}:{PG_ADMIN['port']}"
            url = f"postgresql+asyncpg://{server}/{name}"
            bench_db = BenchDatabase(url, "postgresql", name)
        except Exception as exc:  # unreachable, refused, no driver: fall back
            if choice == "postgresql":
                raise
            print(f"(PostgreSQL not reachable: {type(exc).__name__}; using SQLite)")
            bench_db = _sqlite(workdir, name)
    else:
        bench_db = _sqlite(workdir, name)
    db = Database(bench_db.url)
    try:
        await db.upgrade()
    finally:
        await db.close()
    return bench_db


def _sqlite(workdir: Path, name: str) -> BenchDatabase:
    path = workdir / f"{name}.db"
    return BenchDatabase(f"sqlite+aiosqlite:///{path}", "sqlite", name, path)


def new_user(user_id: int, language: str = "en") -> dict[str, Any]:
    """A user whose preferences let alerts go out at once: no quiet hours, digest or limit."""
    return {
        "id": user_id,
        "chat_id": user_id,
        "first_name": "Bench",
        "language": language,
        "timezone": "Asia/Jakarta",
        "currency": "IDR",
        "active": True,
        "paused": False,
    }


async def seed_users(url: str, count: int, skill: str = "logo") -> list[int]:
    """`count` users (every second one Indonesian) subscribed to `skill`."""
    ids = [FIRST_USER_ID + i for i in range(count)]
    db = Database(url)
    try:
        async with db.transaction() as session:
            rows = [new_user(u, "id" if n % 2 else "en") for n, u in enumerate(ids)]
            for start in range(0, len(rows), 500):
                await session.execute(insert(User), rows[start : start + 500])
            skills = [{"user_id": u, "name": skill, "key": skill_key(skill)} for u in ids]
            for start in range(0, len(skills), 500):
                await session.execute(insert(Skill), skills[start : start + 500])
    finally:
        await db.close()
    return ids


# ---------------------------------------------------------------------- the fake source


@dataclass
class FeedItem:
    """One RSS item."""

    guid: str
    title: str
    text: str
    published: datetime


@dataclass
class FakeFeed:
    """An RSS feed on 127.0.0.1 whose items a benchmark adds while the bot polls it."""

    items: list[FeedItem] = field(default_factory=list)
    requests: int = 0
    url: str = ""
    fetched: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None

    def add(self, *items: FeedItem) -> float:
        """Publish items at once; returns the moment (time.time()) they became visible."""
        self.items.extend(items)
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
            "<description>Gigs for the benchmarks</description>"
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


def logo_gig(number: int, rng: random.Random) -> FeedItem:
    """A gig matching "logo", worded differently each time (never a duplicate of another);
    its title starts with the marker `[bench-NNNNNN]`."""
    tag = f"{number:06d}"
    business = BUSINESSES[number % len(BUSINESSES)]
    city = rng.choice(CITIES)
    nonce = secrets.token_hex(3)
    return FeedItem(
        guid=f"bench-{tag}-{nonce}",
        title=f"[bench-{tag}] Logo design for a {business} in {city} ({nonce})",
        text=f"We need a logo for our {business} in {city}: {number % 5 + 2} concepts, "
        f"vector files, reference {nonce}.",
        published=datetime.now(UTC),
    )


def feed_source(feed: FakeFeed, interval: float) -> dict[str, dict[str, Any]]:
    """The `[sources.bench]` entry that points the bot at the fake feed."""
    return {
        "bench": {
            "kind": "rss",
            "label": "Bench feed",
            "url": feed.url,
            "interval_seconds": interval,
        }
    }


async def outbox_counts(db: Database) -> Counter[str]:
    """Outbox rows per status."""
    async with db.transaction() as session:
        rows = await session.execute(
            select(Delivery.status, func.count(Delivery.id)).group_by(Delivery.status)
        )
        return Counter({status: int(n) for status, n in rows.all()})


async def undelivered_rows(db: Database) -> list[tuple[int, int, str]]:
    """(user id, gig id, status) of every outbox row that is not "sent"."""
    async with db.transaction() as session:
        rows = await session.execute(
            select(Delivery.user_id, Delivery.gig_id, Delivery.status).where(
                Delivery.status != "sent"
            )
        )
        return [(u, g, s) for u, g, s in rows.all()]


# ---------------------------------------------------------------------- the bot process


def sambilan_command() -> list[str]:
    """The installed `sambilan` script next to this interpreter (the project's .venv)."""
    script = Path(sys.executable).parent / "sambilan"
    if script.exists():
        return [str(script)]
    venv = ROOT / ".venv" / "bin" / "sambilan"
    if venv.exists():
        return [str(venv)]
    return [sys.executable, "-m", "bot"]


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))


def write_config(
    path: Path,
    api_base_url: str,
    db_url: str,
    *,
    sources: dict[str, dict[str, Any]] | None = None,
    delivery_interval: float = 1.0,
    batch_size: int = 100,
) -> Path:
    """A config.toml for the bot under test: every built-in source off, no HTTP server."""
    lines = [
        "[telegram]",
        f"token = {_toml(TOKEN)}",
        f"api_base_url = {_toml(api_base_url)}",
        "",
        "[database]",
        f"url = {_toml(db_url)}",
        "",
        "[delivery]",
        f"interval_seconds = {_toml(delivery_interval)}",
        f"batch_size = {_toml(batch_size)}",
        "",
        "[server]",
        "enabled = false",
        "",
        "[scraper]",
        "min_host_interval_seconds = 0",
        "retries = 0",
    ]
    for name in SOURCES:
        lines += ["", f"[sources.{name}]", "enabled = false"]
    for name, values in (sources or {}).items():
        lines += ["", f"[sources.{name}]"] + [f"{k} = {_toml(v)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class BotProcess:
    """`sambilan --config … run --role …` as a child process, its log in a file."""

    config: Path
    role: str
    log: Path
    process: asyncio.subprocess.Process | None = None
    started_at: float = 0.0
    runs: int = field(default=0)

    async def start(self) -> None:
        """Start the process (its output goes to the log file)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAMBILAN_")}
        # The bot runs the code of the tree this benchmark lives in.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.runs += 1
        with self.log.open("ab") as out:
            out.write(f"\n--- start {self.runs} ---\n".encode())
            out.flush()
            self.process = await asyncio.create_subprocess_exec(
                *sambilan_command(),
                "--config",
                str(self.config),
                "run",
                "--role",
                self.role,
                stdout=out,
                stderr=out,
                cwd=str(self.config.parent),
                env=env,
            )
        self.started_at = time.time()

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process is not None and self.process.returncode is None

    async def terminate(self, timeout: float = 60) -> tuple[int | None, float]:  # noqa: ASYNC109
        """SIGTERM; returns (exit code or None if it had to be killed, seconds to exit)."""
        assert self.process is not None
        started = time.monotonic()
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(timeout):
                code = await self.process.wait()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            return None, time.monotonic() - started
        return code, time.monotonic() - started

    async def kill(self) -> None:
        """SIGKILL, as a crash would."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()

    def tail(self, lines: int = 15) -> str:
        """The end of the process's log."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def bot_role(bench_db: BenchDatabase) -> str:
    """`bot` on PostgreSQL; SQLite only allows the single process (`all`, sources off)."""
    return "bot" if bench_db.kind == "postgresql" else "all"


# ---------------------------------------------------------------------- analysis


@dataclass
class Received:
    """What the fake Bot API accepted, by alert."""

    messages: int
    grouped: int
    per_alert: Counter[tuple[int, int]]
    times: list[float]

    @property
    def alerts(self) -> int:
        """Distinct alerts received."""
        return len(self.per_alert)

    def duplicates(self) -> int:
        """Extra copies: alerts the fake received more than once."""
        return sum(n - 1 for n in self.per_alert.values() if n > 1)


def received(messages: Iterable[list[Any]]) -> Received:
    """Count accepted messages, grouped ones and alerts (markers) per chat, from the
    fake's record: [chat id, text, arrival time, error code or None] per sendMessage."""
    got = Received(0, 0, Counter(), [])
    for chat_id, text, moment, error in messages:
        markers = MARKER.findall(text)
        if error is not None or not markers:
            continue
        got.messages += 1
        got.grouped += len(markers) > 1
        got.times.append(moment)
        for marker in markers:
            got.per_alert[(int(chat_id), int(marker))] += 1
    return got


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class FakeApiProcess:
    """The fake Bot API (tests/support/fake_bot_api.py) in its own process, so that the
    benchmark's own work never delays its clock; what it received is read on stop."""

    workdir: Path
    port: int = field(default_factory=free_port)
    process: asyncio.subprocess.Process | None = None

    @property
    def base_url(self) -> str:
        """The value for `[telegram] api_base_url`."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        """Start it and wait until it answers."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.fake_bot_api",
            "--port",
            str(self.port),
            "--token",
            TOKEN,
            "--stats-file",
            str(self.workdir / "fake-api.json"),
            cwd=str(ROOT),
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
        )
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.post(f"{self.base_url}{TOKEN}/getMe") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    await asyncio.sleep(0.05)
        raise RuntimeError("the fake Bot API did not start")

    async def stop(self) -> dict[str, Any]:
        """SIGTERM; returns what it received."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        await self.process.wait()
        path = self.workdir / "fake-api.json"
        return dict(json.loads(path.read_text(encoding="utf-8")))


def steady_rate(times: list[float]) -> float:
    """Messages per second between the 10th and the 90th percentile message."""
    ordered = sorted(times)
    if len(ordered) < 20:
        span = ordered[-1] - ordered[0] if len(ordered) > 1 else 0.0
        return (len(ordered) - 1) / span if span > 0 else 0.0
    low, high = len(ordered) // 10, len(ordered) * 9 // 10
    span = ordered[high] - ordered[low]
    return (high - low) / span if span > 0 else 0.0


def peak_window(times: list[float], window: float = 1.0) -> int:
    """Most messages in any sliding window of `window` seconds."""
    ordered = sorted(times)
    best = start = 0
    for end, moment in enumerate(ordered):
        while ordered[start] <= moment - window:
            start += 1
        best = max(best, end - start + 1)
    return best


class Goals:
    """Goals checked one by one; the missed ones are named at the end."""

    def __init__(self) -> None:
        self.missed: list[str] = []

    def check(self, name: str, value: Any, goal: str, ok: bool) -> None:
        """Print the figure with its goal and remember a miss."""
        figure(name, value, goal, ok)
        record(name, ok, f"{value} (goal {goal})")
        if not ok:
            self.missed.append(f"{name}: {value} (goal {goal})")

    def exit_code(self) -> int:
        """0 when every goal was met; else 1, after saying which were missed."""
        if self.missed:
            print("\nGOALS MISSED:\n  " + "\n  ".join(self.missed))
        return finish()


# ---------------------------------------------------------------------- the burst


@dataclass
class Burst:
    """What one burst run observed."""

    wanted: set[tuple[int, int]]
    got: Received
    messages: int
    all_times: list[float]
    missing_rows: list[tuple[int, int, str]]
    drained: bool
    exit_code: int | None
    exit_seconds: float
    killed_after: int | None = None
    claims_at_kill: int = 0
    drained_after_restart: float | None = None
    rate_limited: int = 0
    rate_limited_by: dict[str, int] = field(default_factory=dict)


async def run_burst(
    *,
    users: int,
    gigs: int,
    db_choice: str,
    kill_at: float | None,
    timeout: float,  # noqa: ASYNC109
    title: str,
    seed: int | None = None,
) -> Burst:
    """Publish `gigs` gigs at once to `users` subscribers through the real bot process."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="sambilan-burst-") as tmp:
        workdir = Path(tmp)
        bench_db = await create_database(db_choice, workdir)
        feed = FakeFeed()
        await feed.start()
        try:
            api = FakeApiProcess(workdir)
            await api.start()
            try:
                role = "all"
                header(
                    title,
                    f"{bench_db.kind} database, one process `sambilan run --role {role}` "
                    "(scrape → match → outbox → send), fake RSS source and fake Bot API "
                    "with Telegram's limits on 127.0.0.1",
                )
                print(
                    f"workload: {users} users subscribed to “logo”; {gigs} matching gigs "
                    "published at once"
                    + (
                        f"; SIGKILL after {kill_at:.0%} of the alerts, then restart"
                        if kill_at
                        else ""
                    ),
                    flush=True,
                )
                user_ids = await seed_users(bench_db.url, users)
                config = write_config(
                    workdir / "config.toml",
                    api.base_url,
                    bench_db.url,
                    sources=feed_source(feed, 2),
                )
                bot = BotProcess(config, role, workdir / "bot.log")
                db = Database(bench_db.url)
                try:
                    return await _burst(api, feed, bot, db, user_ids, gigs, rng, kill_at, timeout)
                finally:
                    await db.close()
                    if bot.alive():
                        await bot.kill()
            finally:
                if api.process is not None and api.process.returncode is None:
                    await api.stop()
        finally:
            await feed.stop()
            await bench_db.drop()


async def _burst(
    api: FakeApiProcess,
    feed: FakeFeed,
    bot: BotProcess,
    db: Database,
    user_ids: list[int],
    gigs: int,
    rng: random.Random,
    kill_at: float | None,
    timeout: float,  # noqa: ASYNC109
) -> Burst:
    await bot.start()
    async with asyncio.timeout(120):
        await feed.fetched.wait()
    await asyncio.sleep(1)  # the first (empty) scrape is over
    feed.add(*(logo_gig(k, rng) for k in range(gigs)))
    wanted = {(u, k) for u in user_ids for k in range(gigs)}
    started = time.monotonic()
    killed_after: int | None = None
    claims_at_kill = 0
    killed_at = 0.0
    drained = False
    last_print = 0.0
    while time.monotonic() - started < timeout:
        await asyncio.sleep(0.5)
        counts = await outbox_counts(db)  # progress from the outbox: the fake is elsewhere
        if kill_at is not None and killed_after is None and counts["sent"] >= kill_at * len(wanted):
            await bot.kill()
            killed_at = time.monotonic()
            counts = await outbox_counts(db)
            killed_after, claims_at_kill = counts["sent"], counts["sending"]
            print(f"  SIGKILL after {killed_after} alerts; outbox {dict(counts)}", flush=True)
            await bot.start()
            continue
        now = time.monotonic()
        if now - last_print >= 10:
            last_print = now
            print(f"  … {now - started:5.0f} s: outbox {dict(counts)}", flush=True)
        waiting = sum(n for status, n in counts.items() if status not in FINAL)
        if sum(counts.values()) >= len(wanted) and not waiting:
            drained = True
            break
        if not bot.alive():
            print("  the bot process exited early:\n" + bot.tail())
            break
    drained_after = time.monotonic() - killed_at if killed_after is not None and drained else None
    await asyncio.sleep(2)  # anything still in flight
    code, exit_seconds = await bot.terminate()
    if code != 0 or not drained:
        print("bot log tail:\n" + bot.tail(30))
    stats = await api.stop()
    accepted = [m for m in stats["messages"] if m[3] is None]
    return Burst(
        wanted=wanted,
        got=received(accepted),
        messages=len(accepted),
        all_times=[m[2] for m in accepted],
        missing_rows=await undelivered_rows(db),
        drained=drained,
        exit_code=code,
        exit_seconds=exit_seconds,
        killed_after=killed_after,
        claims_at_kill=claims_at_kill,
        drained_after_restart=drained_after,
        rate_limited=int(stats["rate_limited"]),
        rate_limited_by=dict(stats["rate_limited_by"]),
    )


def report(result: Burst, *, killed: bool) -> int:
    """Print the figures next to their goals; the exit code says whether all were met."""
    got = result.got
    missing = len(result.wanted - set(got.per_alert))
    rate = steady_rate(got.times)
    peak = peak_window(result.all_times)
    goals = Goals()
    print()
    print("| figure | value | goal |")
    print("|---|---|---|")
    figure("alerts expected (user, gig)", len(result.wanted))
    goals.check("gigs delivered (user, gig)", got.alerts, f"{len(result.wanted)}", missing == 0)
    figure("messages sent", result.messages)
    figure("  of which carry 2+ gigs", got.grouped)
    if killed:
        figure("alerts received before the SIGKILL", result.killed_after)
        figure("'sending' claims left by the killed process", result.claims_at_kill)
        after = result.drained_after_restart
        figure("drained after the restart (s)", f"{after:.0f}" if after is not None else "NO")
        figure("sustained rate, 10th-90th percentile (msg/s)", f"{rate:.1f}")
    else:
        goals.check(
            "sustained rate, 10th-90th percentile (msg/s)",
            f"{rate:.1f}",
            f"≥ {GOAL_RATE:g}",
            rate >= GOAL_RATE,
        )
    goals.check("busiest second (messages)", peak, f"≤ {GOAL_PEAK}", peak <= GOAL_PEAK)
    goals.check("429 answers", result.rate_limited, "0", result.rate_limited == 0)
    if result.rate_limited_by:
        figure("  429s by limit hit", result.rate_limited_by)
    duplicates = got.duplicates()
    if killed:
        figure("duplicates (extra copies received)", duplicates, "as few as possible")
    else:
        goals.check("duplicates", duplicates, "0", duplicates == 0)
    goals.check("missing (never received)", missing, "0", missing == 0)
    goals.check("outbox rows not sent", len(result.missing_rows), "0", not result.missing_rows)
    if result.missing_rows:
        figure("  not sent by status", dict(Counter(s for *_, s in result.missing_rows)))
    goals.check(
        "exit on SIGTERM",
        "killed after 60 s" if result.exit_code is None else f"code {result.exit_code}",
        "0",
        result.exit_code == 0,
    )
    figure("time to exit (s)", f"{result.exit_seconds:.1f}")
    return goals.exit_code()


async def run(args: argparse.Namespace) -> int:
    """The burst, then its figures."""
    if args.gigs < 4:
        print("--gigs must be at least 4, so that alerts are grouped")
        return 2
    result = await run_burst(
        users=args.users,
        gigs=args.gigs,
        db_choice=args.db,
        kill_at=0.5 if args.kill else None,
        timeout=args.timeout,
        title="Burst delivery benchmark (bench/delivery.py --burst)",
        seed=args.seed,
    )
    return report(result, killed=args.kill)


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--burst", action="store_true", help="the burst workload (the default)")
    parser.add_argument("--users", type=int, default=2_000, help="N users")
    parser.add_argument("--gigs", type=int, default=4, help="K gigs published at once (≥ 4)")
    parser.add_argument("--kill", action="store_true", help="SIGKILL half-way, then restart")
    parser.add_argument("--timeout", type=float, default=600, help="seconds at most")
    parser.add_argument("--db", choices=["auto", "postgresql", "sqlite"], default="auto")
    parser.add_argument("--seed", type=int, default=None, help="random seed for the gigs")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
