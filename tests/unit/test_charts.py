"""The six-month chart: a real, small PNG with its bars drawn, rendered without touching pyplot.

Render time is a benchmark (bench/charts.py), not a test."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from bot.ui.charts import has_money, monthly_chart_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SERIES = [
    (dt.date(2026, 6, 1), Decimal(0)),
    (dt.date(2026, 7, 1), Decimal("450000")),
    (dt.date(2026, 8, 1), Decimal("1200000")),
    (dt.date(2026, 9, 1), Decimal("332000.50")),
    (dt.date(2026, 10, 1), Decimal(0)),
    (dt.date(2026, 11, 1), Decimal("2150000")),
]


def png_size(data: bytes) -> tuple[int, int]:
    # IHDR is the first chunk: width and height as big-endian 32-bit numbers.
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_chart_is_a_small_png(tmp_path: Path) -> None:
    data = monthly_chart_png(SERIES, "IDR", "Diterima per bulan (IDR)", "id_ID")
    assert data.startswith(PNG_SIGNATURE)
    assert png_size(data) == (640, 360)
    assert 5_000 < len(data) < 80_000
    # Kept for a person to look at: the file tool shows it as a picture.
    (tmp_path / "chart.png").write_bytes(data)


def test_chart_bars_are_drawn() -> None:
    from matplotlib.image import imread

    empty = [(month, Decimal(0)) for month, _ in SERIES[:-1]] + [(SERIES[-1][0], Decimal(20))]
    pixels = imread(io.BytesIO(monthly_chart_png(empty, "USD", "Received", "en_US")))
    # The bar colour #2e7d5b appears only where a bar is drawn: near the right edge.
    bar = (abs(pixels[:, :, 0] - 0x2E / 255) < 0.02) & (abs(pixels[:, :, 1] - 0x7D / 255) < 0.02)
    columns = bar.any(axis=0).nonzero()[0]
    assert len(columns) > 20
    assert columns.min() > pixels.shape[1] * 0.75


def test_rendering_leaves_pyplot_and_the_backend_alone() -> None:
    # A fresh interpreter, so nothing else in the test session has imported pyplot.
    code = (
        "import sys, datetime as dt, decimal, matplotlib\n"
        "backend = matplotlib.rcParams._get_backend_or_none()\n"
        "from bot.ui.charts import monthly_chart_png\n"
        "series = [(dt.date(2026, 11, 1), decimal.Decimal(5))]\n"
        "png = monthly_chart_png(series, 'USD', 't', 'en_US')\n"
        "assert png.startswith(b'\\x89PNG')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert matplotlib.rcParams._get_backend_or_none() == backend\n"
    )
    root = Path(__file__).parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("series", "expected"),
    [(SERIES, True), ([(m, Decimal(0)) for m, _ in SERIES], False), ([], False)],
)
def test_has_money(series: list[tuple[dt.date, Decimal]], expected: bool) -> None:
    assert has_money(series) is expected
