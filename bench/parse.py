"""Benchmark each source parser on its fixture: `python bench/parse.py [seconds]`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scrapers.sources import SOURCES  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_FOR = {
    "projects_co_id": "projects_co_id_listing.html",
    "remoteok": "remoteok_api.json",
}


def bench(name: str, seconds: float) -> tuple[int, int, float]:
    """Run one source's parser for about `seconds`; return (runs, items, elapsed)."""
    spec = SOURCES[name]
    payload = (FIXTURES / FIXTURE_FOR[name]).read_bytes()
    spec.parse(payload)  # warm-up (imports, regex compilation)
    runs = items = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        items += len(spec.parse(payload))
        runs += 1
    return runs, items, time.perf_counter() - started


def main() -> None:
    """Print items per second for every source that has a fixture."""
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    print(f"{'source':<16}{'runs':>8}{'items':>10}{'items/s':>12}{'ms/parse':>11}")
    for name in SOURCES:
        if name not in FIXTURE_FOR:
            print(f"{name:<16}  (no fixture)")
            continue
        runs, items, elapsed = bench(name, seconds)
        print(
            f"{name:<16}{runs:>8}{items:>10}{items / elapsed:>12.0f}{1000 * elapsed / runs:>11.2f}"
        )


if __name__ == "__main__":
    main()
