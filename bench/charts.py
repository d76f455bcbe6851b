"""Benchmark the six-month earnings chart: `python bench/charts.py [renders]` (default 20).

Renders the PNG that /earnings sends, once cold (first use: fonts and caches) and then
`renders` times warm, and prints the times. Exits non-zero when the warm median misses its
goal: a chart renders in <= 0.3 s on one core, so /earnings answers promptly.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.goals import check, finish  # noqa: E402
from bot.ui.charts import monthly_chart_png  # noqa: E402

GOAL_MEDIAN_S = 0.3
SERIES = [
    (dt.date(2026, 6, 1), Decimal(0)),
    (dt.date(2026, 7, 1), Decimal("450000")),
    (dt.date(2026, 8, 1), Decimal("1200000")),
    (dt.date(2026, 9, 1), Decimal("332000.50")),
    (dt.date(2026, 10, 1), Decimal(0)),
    (dt.date(2026, 11, 1), Decimal("2150000")),
]


def timed_render(title: str, locale: str) -> tuple[float, int]:
    """Seconds one render took, and the PNG's size in bytes."""
    started = time.perf_counter()
    png = monthly_chart_png(SERIES, "IDR", title, locale)
    return time.perf_counter() - started, len(png)


def main() -> int:
    """Print cold and warm render times; check the warm median against the goal."""
    renders = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    cold, size = timed_render("Diterima per bulan (IDR)", "id_ID")
    warm = [timed_render("Received per month (IDR)", "en_US")[0] for _ in range(renders)]
    median = statistics.median(warm)
    print(f"640x360 PNG, {size:,} bytes; cold first render {cold:.3f} s")
    print(
        f"{renders} warm renders: median {median:.3f} s, min {min(warm):.3f} s, "
        f"max {max(warm):.3f} s"
    )
    check("warm chart render (median)", median, GOAL_MEDIAN_S, "<=", "s")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
