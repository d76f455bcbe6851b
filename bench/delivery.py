"""Benchmark delivery: `python bench/delivery.py [--alerts 10000] [--users 2000]`.

Seeds a fresh database (PostgreSQL on 127.0.0.1:5432 when reachable, else SQLite) with
users, gigs and "pending" outbox rows through the ORM and repositories, runs the real bot
process (`sambilan run --role bot`) against a fake Bot API that enforces Telegram's limits
(bench/fake_telegram.py), and prints the sustained send rate, 429s, duplicates and losses,
then stops the bot with SIGTERM and reports how it exited.

Three or more alerts due for one user within a minute go out as one digest message, so by
default each user's alerts are spread over time: round k of alerts (one per user) becomes
due at start + k * spacing (61 s when users get 3 or more alerts, else 0 = all at once).
Every gig title carries a marker, so alerts are counted inside digests too.

This module also holds the harness the other delivery benchmarks use.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import secrets
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, update  # noqa: E402

from bench.fake_telegram import FakeTelegram, SentMessage  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Delivery, User  # noqa: E402
from bot.store.repos import DeliveryRepo, GigRepo, NewAlert  # noqa: E402
from scrapers.model import Budget, BudgetType, Gig  # noqa: E402
from scrapers.sources import SOURCES  # noqa: E402

TOKEN = "123456789:TEST-bench-token-0123456789"
PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "database": "test"}
GOAL_RATE = 28.0
FIRST_USER_ID = 700_000_000
MARKER = re.compile(r"\[bench-(\d{6})\]")
FINAL = frozenset({"sent", "failed", "skipped"})
REASONS = [{"code": "skill", "skill": "logo", "term": "logo", "field": "title"}]


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


def bench_gig(number: int, title: str | None = None) -> Gig:
    """A gig whose title carries the marker `[bench-NNNNNN]`."""
    return Gig(
        source="bench",
        external_id=f"bench-{number}",
        title=title or f"[bench-{number:06d}] Logo design for a small bakery",
        url=f"https://example.com/gigs/{number}",
        text="A simple logo for a bakery: two concepts and one round of changes.",
        budget=Budget(min=None, max=None, currency="IDR", type=BudgetType.FIXED),
        posted_at=datetime.now(UTC) - timedelta(minutes=5),
        language="en",
    )


def new_user(user_id: int) -> User:
    """A user whose preferences let alerts go out at once: no quiet hours, digest or limit."""
    return User(
        id=user_id,
        chat_id=user_id,
        first_name="Bench",
        language="en",
        timezone="Asia/Jakarta",
        currency="IDR",
        active=True,
        paused=False,
        quiet_hours=None,
        digest_time=None,
        workload_limit=None,
    )


@dataclass
class Seeded:
    """What was put in the outbox: (chat id, gig marker) per alert."""

    alerts: set[tuple[int, int]]
    users: int
    rounds: int
    spacing: float


async def seed_outbox(url: str, alerts: int, users: int, spacing: float) -> Seeded:
    """Users, gigs and pending deliveries; round k (one alert per user) due at now + k*spacing."""
    per_user = [alerts // users + (1 if i < alerts % users else 0) for i in range(users)]
    rounds = max(per_user)
    db = Database(url)
    wanted: set[tuple[int, int]] = set()
    try:
        async with db.transaction() as session:
            session.add_all(new_user(FIRST_USER_ID + i) for i in range(users))
            await session.flush()
            gigs = await GigRepo(session).upsert([bench_gig(k) for k in range(rounds)])
            marker_of = {g.id: int(g.external_id.removeprefix("bench-")) for g in gigs}
            gig_ids = sorted(marker_of, key=marker_of.__getitem__)
            repo = DeliveryRepo(session)
            base = datetime.now(UTC)
            for k in range(rounds):
                batch = [
                    NewAlert(FIRST_USER_ID + i, gig_ids[k], 80, REASONS)
                    for i in range(users)
                    if per_user[i] > k
                ]
                await repo.enqueue(batch)
                await session.execute(
                    update(Delivery)
                    .where(Delivery.gig_id == gig_ids[k])
                    .values(next_attempt_at=base + timedelta(seconds=k * spacing))
                )
                wanted |= {(a.user_id, marker_of[a.gig_id]) for a in batch}
    finally:
        await db.close()
    return Seeded(wanted, users, rounds, spacing)


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
    digests: int
    per_alert: Counter[tuple[int, int]]

    @property
    def alerts(self) -> int:
        """Distinct alerts received."""
        return len(self.per_alert)

    def duplicates(self, wanted: Iterable[tuple[int, int]] | None = None) -> int:
        """Extra copies: alerts the fake received more than once."""
        keys = set(wanted) if wanted is not None else set(self.per_alert)
        return sum(n - 1 for key, n in self.per_alert.items() if key in keys and n > 1)


def received(messages: Iterable[SentMessage]) -> Received:
    """Count accepted messages, digests and alerts (markers) per chat."""
    per_alert: Counter[tuple[int, int]] = Counter()
    count = digests = 0
    for message in messages:
        if message.status != 200:
            continue
        markers = MARKER.findall(message.text)
        if not markers:
            continue
        count += 1
        digests += len(markers) > 1
        for marker in markers:
            per_alert[(message.chat_id, int(marker))] += 1
    return Received(count, digests, per_alert)


def steady_rate(times: list[float]) -> float:
    """Messages per second between the 10th and the 90th percentile message."""
    if len(times) < 20:
        return (
            (len(times) - 1) / (times[-1] - times[0])
            if len(times) > 1 and times[-1] > times[0]
            else 0.0
        )
    ordered = sorted(times)
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


async def wait_drained(
    db: Database,
    api: FakeTelegram,
    total: int,
    timeout: float,  # noqa: ASYNC109
    *,
    bot: BotProcess | None = None,
    stop_when: Any = None,
) -> bool:
    """Wait until no outbox row is waiting (or `stop_when(api)` is true); print progress."""
    started = time.monotonic()
    last_print = 0.0
    while time.monotonic() - started < timeout:
        await asyncio.sleep(1.0)
        if stop_when is not None and stop_when(api):
            return True
        counts = await outbox_counts(db)
        waiting = sum(n for status, n in counts.items() if status not in FINAL)
        now = time.monotonic()
        if now - last_print >= 10:
            last_print = now
            accepted = api.accepted()
            print(
                f"  … {now - started:5.0f} s: {len(accepted)} messages accepted, "
                f"{api.too_many()} answered 429, outbox {dict(counts)}",
                flush=True,
            )
        if stop_when is None and waiting == 0 and sum(counts.values()) >= total:
            return True
        if bot is not None and not bot.alive():
            print("  the bot process exited early:\n" + bot.tail())
            return False
    return False


# ---------------------------------------------------------------------- the benchmark


async def run(args: argparse.Namespace) -> int:
    """Seed, deliver, measure, stop; print the figures."""
    users = min(args.users, args.alerts)
    per_user_max = -(-args.alerts // users)
    spacing = args.spacing if args.spacing is not None else (61.0 if per_user_max >= 3 else 0.0)
    with tempfile.TemporaryDirectory(prefix="sambilan-bench-") as tmp:
        workdir = Path(tmp)
        bench_db = await create_database(args.db, workdir)
        try:
            async with FakeTelegram(latency=args.latency_ms / 1000) as api:
                header(
                    "Delivery benchmark (bench/delivery.py)",
                    f"{bench_db.kind} database, bot process `sambilan run --role "
                    f"{bot_role(bench_db)}`, fake Bot API on 127.0.0.1 "
                    f"(latency {args.latency_ms:g} ms)",
                )
                print(
                    f"workload: {args.alerts} alerts to {users} users; {per_user_max} rounds "
                    f"due {spacing:g} s apart"
                    + (
                        f" (the schedule alone allows at most {users / spacing:.1f} msg/s)"
                        if spacing
                        else " (all due at once)"
                    ),
                    flush=True,
                )
                seeded = await seed_outbox(bench_db.url, args.alerts, users, spacing)
                config = write_config(workdir / "config.toml", api.base_url, bench_db.url)
                bot = BotProcess(config, bot_role(bench_db), workdir / "bot.log")
                db = Database(bench_db.url)
                try:
                    await bot.start()
                    budget = spacing * per_user_max + args.alerts / 10 + 120
                    drained = await wait_drained(db, api, len(seeded.alerts), budget, bot=bot)
                    await asyncio.sleep(2)  # anything still in flight
                    code, exit_seconds = await bot.terminate()
                    missing_rows = await undelivered_rows(db)
                finally:
                    await db.close()
                report(api, seeded, drained, missing_rows, code, exit_seconds)
                if args.stats_file:
                    save_stats(api, args.stats_file)
                if code != 0:
                    print("bot log tail:\n" + bot.tail())
        finally:
            await bench_db.drop()
    return 0


def save_stats(api: FakeTelegram, path: Path) -> None:
    """Everything the fake received, for a closer look."""
    path.write_text(json.dumps(api.stats()), encoding="utf-8")
    print(f"(fake Bot API stats written to {path})")


def report(
    api: FakeTelegram,
    seeded: Seeded,
    drained: bool,
    missing_rows: list[tuple[int, int, str]],
    code: int | None,
    exit_seconds: float,
) -> None:
    """Print the figures next to the goals."""
    got = received(api.accepted())
    times = [m.time for m in api.accepted() if MARKER.search(m.text)]
    rate = steady_rate(times)
    never = seeded.alerts - set(got.per_alert)
    duplicates = got.duplicates(seeded.alerts)
    span = (max(times) - min(times)) if len(times) > 1 else 0.0
    print()
    print("| figure | value | goal |")
    print("|---|---|---|")
    figure("alerts queued", len(seeded.alerts))
    figure("messages sent (accepted by the fake)", got.messages)
    figure("  of which digests (3+ alerts of one user at once)", got.digests)
    figure(
        "alerts delivered", got.alerts, f"{len(seeded.alerts)}", got.alerts == len(seeded.alerts)
    )
    figure(
        "sustained rate, 10th-90th percentile (msg/s)",
        f"{rate:.1f}",
        f"≥ {GOAL_RATE:g}",
        rate >= GOAL_RATE,
    )
    figure(
        "overall rate, first to last message (msg/s)",
        f"{(len(times) - 1) / span:.1f}" if span else "-",
    )
    figure("busiest 1 s window (messages)", peak_window(times), "≤ 30")
    figure("429 answers received", api.too_many(), "0", api.too_many() == 0)
    if api.refusals:
        figure("  429s by limit hit", ", ".join(f"{k}: {v}" for k, v in api.refusals.items()))
    figure("duplicates (an alert received twice)", duplicates, "0", duplicates == 0)
    figure("lost: outbox rows not sent", len(missing_rows), "0", not missing_rows)
    figure("lost: alerts never received", len(never), "0", not never)
    figure("outbox drained", "yes" if drained else "NO (timed out)")
    figure(
        "exit on SIGTERM", "killed after 60 s" if code is None else f"code {code}", "0", code == 0
    )
    figure("time to exit (s)", f"{exit_seconds:.1f}")
    if missing_rows:
        print(f"not sent: {Counter(status for *_, status in missing_rows)}")


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument(
        "--spacing",
        type=float,
        default=None,
        help="seconds between rounds of alerts (default: 61 if a user gets 3+ alerts, else 0)",
    )
    parser.add_argument("--db", choices=["auto", "postgresql", "sqlite"], default="auto")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="fake Bot API latency")
    parser.add_argument("--stats-file", type=Path, help="write what the fake received (JSON)")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
