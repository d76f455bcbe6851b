"""Benchmark /rates on PostgreSQL: `python bench/rates.py [--gigs 100000] [--database-url URL]`.

Creates a uniquely named database next to the one URL names, migrates it, and seeds N gigs
(COPY) made from the real fixture payloads: each is one of the parsed real listings with its
budget scaled (×0.5–4) and a posting time spread over the last 120 days. The skills each
priced gig counts for are found by the real market matcher (`MarketTagger`, the alerts'
matcher) on the real listing it was made from, and stored as the bot stores them. Then, for
the skill with the most prices (the worst case) and for a median one, it times what /rates
computes: reading the skill's prices of the last 90 days and the figures per budget type and
currency (`MarketRepo.prices` + `market_of`), 20 times each. The database is dropped at the
end.

Goal (issue 14): computing /rates for a skill over 100,000 stored gigs takes < 200 ms
(checked on the slowest of the 20 runs for the busiest skill).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.goals import check, finish  # noqa: E402
from bench.match import fixture_gigs  # noqa: E402
from bot.domain.market_stats import PRICED_TYPES, market_of, midpoint  # noqa: E402
from bot.domain.market_tags import MarketTagger  # noqa: E402
from bot.domain.money import Rates  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.market_repo import MarketRepo  # noqa: E402

NOW = datetime.now(UTC)
RUNS = 20
SCALES = [Decimal(k) for k in ("0.5", "0.75", "1", "1", "1.5", "2", "4")]
GIG_COLUMNS = [
    "id", "source", "external_id", "title", "url", "text", "budget_min", "budget_max",
    "currency", "budget_type", "posted_at", "tags", "extra", "first_seen_at", "updated_at",
    "matched_at",
]  # fmt: skip
PRICE_COLUMNS = ["gig_id", "skill", "budget_type", "currency", "amount", "source", "at"]


def _scaled(value: Decimal | None, k: Decimal) -> Decimal | None:
    return None if value is None else (value * k).quantize(Decimal("0.01"))


async def seed(dsn: str, n_gigs: int) -> tuple[int, dict[str, int]]:
    """COPY n gigs and their market prices; returns (prices stored, prices per skill)."""
    base = fixture_gigs()
    tagger = MarketTagger(Rates())
    skills_of = [tagger.skills_of(g, NOW) for g in base]
    rng = random.Random(14)
    gigs, prices = [], []
    per_skill: dict[str, int] = {}
    for i in range(1, n_gigs + 1):
        g = base[i % len(base)]
        k = rng.choice(SCALES)
        low, high = _scaled(g.budget.min, k), _scaled(g.budget.max, k)
        at = NOW - timedelta(seconds=rng.uniform(0, 120 * 86400))
        gigs.append(
            (
                i, g.source, f"bench-{i}", g.title[:500], g.url[:2000], g.text[:2000], low, high,
                g.budget.currency, g.budget.type.value, at, "[]", "{}", at, at, at,
            )
        )  # fmt: skip
        amount = midpoint(low, high)
        if g.budget.type.value in PRICED_TYPES and g.budget.currency and amount is not None:
            for skill in skills_of[i % len(base)]:
                prices.append(
                    (i, skill, g.budget.type.value, g.budget.currency, amount, g.source, at)
                )
                per_skill[skill] = per_skill.get(skill, 0) + 1
    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table("gigs", records=gigs, columns=GIG_COLUMNS)
        await connection.copy_records_to_table(
            "market_prices", records=prices, columns=PRICE_COLUMNS
        )
        await connection.execute("ANALYZE gigs; ANALYZE market_prices")
    finally:
        await connection.close()
    return len(prices), per_skill


async def time_rates(db: Database, skill: str) -> tuple[list[float], int]:
    """Milliseconds of RUNS computations of /rates for a skill, and the prices read."""
    times, read = [], 0
    for _ in range(RUNS):
        began = time.perf_counter()
        async with db.transaction() as session:
            prices = await MarketRepo(session).prices(skill, NOW)
        market_of(prices, NOW)
        times.append((time.perf_counter() - began) * 1000)
        read = len(prices)
    return times, read


async def run(url: str, n_gigs: int) -> int:
    """Seed, time, print the figures and check the goal."""
    admin_url = make_url(url)
    admin_dsn = admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"sambilan_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    db_url = admin_url.set(drivername="postgresql+asyncpg", database=name)
    try:
        db = Database(db_url.render_as_string(hide_password=False))
        await db.upgrade()
        began = time.perf_counter()
        dsn = db_url.set(drivername="postgresql").render_as_string(hide_password=False)
        stored, per_skill = await seed(dsn, n_gigs)
        print(f"seeded {n_gigs:,} gigs, {stored:,} prices in {time.perf_counter() - began:.1f} s")
        ranked = sorted(per_skill, key=lambda s: -per_skill[s])
        busiest, middle = ranked[0], ranked[len(ranked) // 2]
        async with db.transaction() as session:
            plan = await session.execute(
                text(
                    "EXPLAIN SELECT budget_type, currency, amount, source, at FROM market_prices "
                    "WHERE skill = :skill AND at >= :since"
                ),
                {"skill": busiest, "since": NOW - timedelta(days=90)},
            )
            print("plan:", " / ".join(row[0].strip() for row in plan.all()))
        worst = 0.0
        for label, skill in (("busiest", busiest), ("median", middle)):
            times, read = await time_rates(db, skill)
            p50, slowest = statistics.median(times), max(times)
            print(
                f"/rates {label} skill {skill}: {read:,} prices in 90 days; "
                f"p50 {p50:.1f} ms, slowest {slowest:.1f} ms of {RUNS}"
            )
            if label == "busiest":
                worst = slowest
        await db.close()
        check("/rates over the busiest skill (slowest of 20)", worst, 200, "<", "ms")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return finish()


def main() -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gigs", type=int, default=100_000)
    parser.add_argument(
        "--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    args = parser.parse_args()
    return asyncio.run(run(args.database_url, args.gigs))


if __name__ == "__main__":
    sys.exit(main())
