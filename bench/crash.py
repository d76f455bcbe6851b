"""Crash benchmark: `python bench/crash.py [--alerts 2000] [--users 1000] [--at 0.3]`.

Queues alerts, starts the real bot process against the limit-enforcing fake Bot API,
SIGKILLs it once about 30% of the alerts have been received, starts it again and waits
until the outbox is drained. Prints how many alerts were lost (must be 0) and how many the
fake received twice, with the one way a duplicate can happen.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.delivery import (  # noqa: E402
    BotProcess,
    bot_role,
    create_database,
    figure,
    header,
    outbox_counts,
    received,
    seed_outbox,
    undelivered_rows,
    wait_drained,
    write_config,
)
from bench.fake_telegram import FakeTelegram  # noqa: E402
from bot.store.db import Database  # noqa: E402

EXPLANATION = """\
How a duplicate can happen: only when a send completed at Telegram (the message reached
the user) but its result was not yet recorded when the process died: Telegram's answer was
still on its way back, or had arrived but the UPDATE ... status='sent' had not committed.
After the restart that row looks unsent (its claim lease runs out and it goes back to
pending) and it is sent again. Nothing can close that window: Telegram's sendMessage has no
idempotency key. Rows that were claimed but never sent are simply sent after the restart,
so no alert is lost. More duplicates than sends that can be in flight at once mean results
are recorded later than that (for instance a whole batch committed in one transaction)."""


async def run(args: argparse.Namespace) -> int:
    """Seed, deliver, kill, restart, drain; print lost and duplicated alerts."""
    users = min(args.users, args.alerts)
    spacing = 0.0 if -(-args.alerts // users) <= 2 else 61.0
    with tempfile.TemporaryDirectory(prefix="sambilan-crash-") as tmp:
        workdir = Path(tmp)
        bench_db = await create_database(args.db, workdir)
        try:
            async with FakeTelegram(latency=args.latency_ms / 1000) as api:
                role = bot_role(bench_db)
                header(
                    "Crash benchmark (bench/crash.py)",
                    f"{bench_db.kind} database, bot process `sambilan run --role {role}` "
                    f"SIGKILLed after ~{args.at:.0%} sent, then restarted; fake Bot API on "
                    f"127.0.0.1 (latency {args.latency_ms:g} ms)",
                )
                print(f"workload: {args.alerts} alerts to {users} users", flush=True)
                seeded = await seed_outbox(bench_db.url, args.alerts, users, spacing)
                config = write_config(workdir / "config.toml", api.base_url, bench_db.url)
                bot = BotProcess(config, role, workdir / "bot.log")
                db = Database(bench_db.url)
                target = int(len(seeded.alerts) * args.at)
                try:
                    await bot.start()
                    reached = await wait_drained(
                        db,
                        api,
                        len(seeded.alerts),
                        args.timeout,
                        bot=bot,
                        stop_when=lambda fake: received(fake.accepted()).alerts >= target,
                    )
                    await bot.kill()
                    killed_at = time.time()
                    at_kill = received(api.accepted()).alerts
                    counts_at_kill = await outbox_counts(db)
                    print(
                        f"SIGKILL after {at_kill} alerts received; outbox then: "
                        f"{dict(counts_at_kill)}",
                        flush=True,
                    )
                    await bot.start()
                    drained = await wait_drained(db, api, len(seeded.alerts), args.timeout, bot=bot)
                    drained_after = time.time() - killed_at
                    await asyncio.sleep(2)
                    code, exit_seconds = await bot.terminate()
                    missing_rows = await undelivered_rows(db)
                finally:
                    await db.close()
                got = received(api.accepted())
                never = seeded.alerts - set(got.per_alert)
                duplicates = got.duplicates(seeded.alerts)
                twice = sum(1 for key, n in got.per_alert.items() if n > 1)
                print()
                print("| figure | value | goal |")
                print("|---|---|---|")
                figure("alerts queued", len(seeded.alerts))
                figure("alerts received before the SIGKILL", at_kill if reached else "-")
                figure("'sending' claims left by the killed process", counts_at_kill["sending"])
                figure("lost: outbox rows not sent", len(missing_rows), "0", not missing_rows)
                figure("lost: alerts never received", len(never), "0", not never)
                figure("duplicates (extra copies received)", duplicates, "as few as possible")
                figure("  alerts received more than once", twice)
                figure("429 answers received", api.too_many(), "0", api.too_many() == 0)
                if api.refusals:
                    limits = ", ".join(f"{k}: {v}" for k, v in api.refusals.items())
                    figure("  429s by limit hit", limits)
                figure("drained after restart", f"{drained_after:.0f} s" if drained else "NO")
                figure("exit on SIGTERM at the end", f"code {code}", "0", code == 0)
                figure("time to exit (s)", f"{exit_seconds:.1f}")
                print()
                print(EXPLANATION)
                if code != 0 or not drained:
                    print("bot log tail:\n" + bot.tail())
        finally:
            await bench_db.drop()
    return 0


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--alerts", type=int, default=2_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--at", type=float, default=0.3, help="kill after this share received")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per phase at most")
    parser.add_argument("--db", choices=["auto", "postgresql", "sqlite"], default="auto")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="fake Bot API latency")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
