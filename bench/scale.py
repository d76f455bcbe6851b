"""Benchmark a cold start at scale on PostgreSQL:
`python bench/scale.py --users N --gigs M --database-url URL`.

Creates a uniquely named database next to the one URL names, seeds N users with 3 skills
each and a realistic spread of filters (by COPY, in a child process so its memory does not
count), then, as a starting bot would: loads and indexes every user from cold
(`Matcher.sync`), matches M new gigs made from the real fixture payloads (parsed by the
real parsers, stored as new gigs) and queues their alerts. A ticker coroutine measures the
event loop's lag throughout. The database is dropped at the end.

Goals at N = 1,000,000, M = 1,000 (README, Performance): load + build <= 60 s, match <= 5 s,
queueing at >= 1,000,000 rows per 60 s, resident memory <= 2 GB, loop lag <= 100 ms, no
errors. Every gig is matched (match_s covers all M, the alerts made and grouped per gig, score
and reasons: their outbox rows are made as they are queued);
alerts are queued, run by run as the bot does, until `--queue-rows` (default 1,000,000) rows
are in the outbox: at a million users 1,000 real gigs make some 20 million alerts. Prints
one last line: `users=N gigs=M load_s=.. build_s=.. match_s=.. queue_s=.. alerts=..
rss_mb=.. max_loop_lag_ms=.. errors=0` (alerts: rows queued; build_s: the time the index
took after the last row was read, as building overlaps reading).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import resource
import sys
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.goals import check, fail, finish  # noqa: E402
from bench.match import NOW as MATCH_NOW  # noqa: E402
from bench.match import fixture_gigs, make_gigs, make_users, skill_pool  # noqa: E402
from bot.app.allocator import keep_freed_memory  # noqa: E402
from bot.domain.money import Rates  # noqa: E402
from bot.ingest.matcher import Matcher  # noqa: E402
from bot.matching.profile import Skill  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.repos import GigRepo  # noqa: E402

GOAL_START_S, GOAL_MATCH_S, GOAL_QUEUE_PER_MILLION_S = 60.0, 5.0, 60.0
GOAL_RSS_MB, GOAL_LAG_MS = 2048.0, 100.0
SEED_CHUNK = 50_000
TICK_S = 0.01
USER_COLUMNS = (
    "id",
    "chat_id",
    "first_name",
    "language",
    "timezone",
    "currency",
    "active",
    "created_at",
    "updated_at",
    "threshold",
    "min_budget",
    "strict_budget",
    "budget_types",
    "exclude_words",
    "languages",
    "sources",
    "max_bids",
    "max_age_hours",
)


def three_skills(skills: tuple[Skill, ...], pool: list[str], rng: random.Random) -> list[Skill]:
    """Three skills of distinct keys (two phrases of one skill count once, as stored)."""
    mine = {s.key: s for s in skills}
    while len(mine) < 3:
        extra = Skill.of(rng.choice(pool))
        mine.setdefault(extra.key, extra)
    return list(mine.values())[:3]


def _json(values: object) -> str | None:
    return json.dumps(sorted(values)) if values else None  # type: ignore[call-overload]


async def _seed(dsn: str, n_users: int) -> None:
    """N users with 3 skills each (ids from 1), by COPY in chunks."""
    rng = random.Random(7)
    pool = skill_pool()
    # Users signed up and last changed their settings well before the bot starts.
    now = datetime.now(UTC) - timedelta(days=1)
    connection = await asyncpg.connect(dsn)
    try:
        for start in range(0, n_users, SEED_CHUNK):
            profiles = make_users(min(SEED_CHUNK, n_users - start), rng)
            users, skills = [], []
            for p in profiles:
                uid = start + p.user_id + 1
                f = p.filters
                age = None if f.max_age_hours is None else int(f.max_age_hours)
                users.append(
                    (
                        *(uid, uid, "u", "id", "Asia/Jakarta", f.currency or "IDR", True, now, now),
                        *(p.threshold, f.min_budget, f.strict_budget, _json(f.budget_types)),
                        *(_json(f.exclude), _json(f.languages), _json(f.sources), f.max_bids, age),
                    )
                )
                skills += [(uid, s.name, s.key, now) for s in three_skills(p.skills, pool, rng)]
            await connection.copy_records_to_table("users", records=users, columns=USER_COLUMNS)
            await connection.copy_records_to_table(
                "skills", records=skills, columns=("user_id", "name", "key", "created_at")
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def _seed_process(dsn: str, n_users: int) -> None:
    asyncio.run(_seed(dsn, n_users))


class Ticker:
    """The largest delay of a 10 ms sleep on the event loop while it runs, per phase."""

    def __init__(self) -> None:
        self.max_lag_s = 0.0
        self.phase = "start"
        self.by_phase: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(TICK_S)
            lag = loop.time() - before - TICK_S
            self.max_lag_s = max(self.max_lag_s, lag)
            self.by_phase[self.phase] = max(self.by_phase.get(self.phase, 0.0), lag)

    def start(self) -> None:
        """Start ticking."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop ticking."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def rss_mb() -> float:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(url: str, n_users: int, n_gigs: int, queue_rows: int) -> int:
    """Seed, cold-start, match and queue; print the figures and check the goals."""
    admin_url = make_url(url)
    admin_dsn = admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"sambilan_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    db_url = admin_url.set(drivername="postgresql+asyncpg", database=name)
    errors = 0
    figures: dict[str, float] = {}
    try:
        db = Database(db_url.render_as_string(hide_password=False))
        await db.upgrade()
        t = time.perf_counter()
        seed = multiprocessing.get_context("spawn").Process(
            target=_seed_process,
            args=(db_url.set(drivername="postgresql").render_as_string(hide_password=False),),
            kwargs={"n_users": n_users},
        )
        seed.start()
        await asyncio.to_thread(seed.join)
        if seed.exitcode != 0:
            raise RuntimeError(f"seeding failed (exit code {seed.exitcode})")
        print(f"seeded {n_users:,} users with 3 skills each in {time.perf_counter() - t:.1f} s")
        rng = random.Random(11)
        gigs = make_gigs(n_gigs, fixture_gigs(), rng)
        # Fresh gigs: their posting times move from the fixtures' day to the present.
        shift = datetime.now(UTC) - MATCH_NOW
        gigs = [replace(g, posted_at=g.posted_at and g.posted_at + shift) for g in gigs]
        async with db.transaction() as session:
            rows = await GigRepo(session).upsert(gigs)

        ticker = Ticker()
        ticker.start()
        try:
            ticker.phase = "cold start"
            matcher = Matcher(db, Rates())
            await matcher.sync()
            assert matcher.cold_start_s is not None
            figures["load_s"], figures["build_s"] = matcher.cold_start_s
            print(f"indexed {len(matcher.index):,} users")
            matched = queued = 0
            figures["match_s"] = figures["queue_s"] = 0.0
            rest = list(rows)
            while rest:
                ticker.phase = "match"
                t = time.perf_counter()
                # As Matcher.queue_alerts does: the index is synced before the first run.
                groups, used = await matcher.alerts_for(rest, sync=len(rest) == len(rows))
                figures["match_s"] += time.perf_counter() - t
                # Counting reads every group's bitset: off the loop, as the bot never counts.
                count = await asyncio.to_thread(sum, map(len, groups))
                matched += count
                if queued < queue_rows:
                    ticker.phase = "queue"
                    t = time.perf_counter()
                    added = await matcher.store_alerts(rest[:used], groups)
                    figures["queue_s"] += time.perf_counter() - t
                    queued += added
                    if added != count:
                        errors += 1
                        print(f"error: {count:,} alerts matched but {added:,} queued")
                rest = rest[used:]
            figures["alerts"] = queued
            print(f"{matched:,} alerts matched; the first {queued:,} queued")
        finally:
            await ticker.stop()
        figures["lag_ms"] = ticker.max_lag_s * 1e3
        lags = ", ".join(f"{k} {v * 1e3:.0f} ms" for k, v in ticker.by_phase.items())
        print(f"largest loop lag by phase: {lags}")
        figures["rss_mb"] = rss_mb()
        await db.close()
    except Exception as exc:  # the figures line must still be printed, with the error
        errors += 1
        print(f"error: {exc!r}")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return _report(n_users, n_gigs, figures, errors)


def _report(n_users: int, n_gigs: int, f: dict[str, float], errors: int) -> int:
    """Check the goals, then print the figures as the last line; the exit code."""
    measured = {"load_s", "build_s", "match_s", "queue_s", "alerts", "rss_mb", "lag_ms"} <= set(f)
    if measured:
        check("load + build", f["load_s"] + f["build_s"], GOAL_START_S, "<=", "s")
        check(f"match {n_gigs:,} gigs", f["match_s"], GOAL_MATCH_S, "<=", "s")
        per_million = f["queue_s"] * 1e6 / max(1.0, f["alerts"])
        check("queueing per 1,000,000 rows", per_million, GOAL_QUEUE_PER_MILLION_S, "<=", "s")
        check("resident memory", f["rss_mb"], GOAL_RSS_MB, "<=", "MB")
        check("event-loop lag", f["lag_ms"], GOAL_LAG_MS, "<=", "ms")
    else:
        fail("scale run", "did not complete")
    check("errors", errors, 0, "==")
    code = finish()
    g = {k: f.get(k, float("nan")) for k in ("load_s", "build_s", "match_s", "queue_s")}
    print(
        f"users={n_users} gigs={n_gigs} load_s={g['load_s']:.1f} build_s={g['build_s']:.1f} "
        f"match_s={g['match_s']:.2f} queue_s={g['queue_s']:.1f} alerts={int(f.get('alerts', 0))} "
        f"rss_mb={f.get('rss_mb', float('nan')):.0f} "
        f"max_loop_lag_ms={f.get('lag_ms', float('nan')):.0f} errors={errors}"
    )
    return code


def main() -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--gigs", type=int, default=1000)
    parser.add_argument(
        "--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument(
        "--queue-rows",
        type=int,
        default=1_000_000,
        help="queue the alerts of the first gigs until this many rows are queued",
    )
    args = parser.parse_args()
    print(
        f"freed memory kept by the C allocator (as `sambilan run` sets it): {keep_freed_memory()}"
    )
    return asyncio.run(run(args.database_url, args.users, args.gigs, args.queue_rows))


if __name__ == "__main__":
    sys.exit(main())
