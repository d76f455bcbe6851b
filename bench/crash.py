"""Crash benchmark: `python bench/crash.py [--users 1000] [--gigs 4] [--at 0.3]`.

The burst of bench/delivery.py (N users, K gigs published at once, so every user's alerts
are grouped; scrape → match → outbox → send through the real bot process and the fake Bot
API with Telegram's limits), with the process SIGKILLed once about 30% of the alerts were
received, then started again. Prints how many alerts were lost (goal: 0) and how many the
fake received twice, with the one way a duplicate can happen; exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.delivery import report, run_burst  # noqa: E402

EXPLANATION = """\
How a duplicate can happen: only when a send completed at Telegram (the message reached
the user) but its result was not yet recorded when the process died: Telegram's answer was
still on its way back, or had arrived but the UPDATE ... status='sent' had not committed.
After the restart that message looks unsent and is sent again (a grouped message repeats
all of its gigs). Nothing can close that window: Telegram's sendMessage has no idempotency
key. Rows that were claimed but never sent are simply sent after the restart, so no alert
is lost. At most the sends in flight at the moment of the kill (16) can repeat."""


async def run(args: argparse.Namespace) -> int:
    """Burst, kill, restart, drain; print lost and duplicated alerts."""
    if args.gigs < 4:
        print("--gigs must be at least 4, so that alerts are grouped")
        return 2
    result = await run_burst(
        users=args.users,
        gigs=args.gigs,
        db_choice=args.db,
        kill_at=args.at,
        timeout=args.timeout,
        title="Crash benchmark (bench/crash.py)",
    )
    code = report(result, killed=True)
    print()
    print(EXPLANATION)
    return code


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--gigs", type=int, default=4)
    parser.add_argument("--at", type=float, default=0.3, help="kill after this share received")
    parser.add_argument("--timeout", type=float, default=600, help="seconds at most")
    parser.add_argument("--db", choices=["auto", "postgresql", "sqlite"], default="auto")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
