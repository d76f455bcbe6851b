"""A small bar chart of money received per month, rendered to PNG bytes in memory."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Sequence
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_compact_decimal
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.ui.i18n import format_money

BAR = "#2e7d5b"
GRID = "#d9d9d9"
TEXT = "#333333"
WIDTH_IN, HEIGHT_IN, DPI = 6.4, 3.6, 100  # 640×360 px: readable on a phone, a few KB
# Charts render in worker threads; matplotlib's font caches are not documented thread-safe.
_RENDER_LOCK = threading.Lock()


def has_money(series: Sequence[tuple[dt.date, Decimal]]) -> bool:
    """True when any month in the series has money in it."""
    return any(amount > 0 for _month, amount in series)


def monthly_chart_png(
    series: Sequence[tuple[dt.date, Decimal]], currency: str, title: str, locale: str
) -> bytes:
    """PNG bytes of a bar per month (labels in `locale`), each bar labelled with its amount."""
    with _RENDER_LOCK:
        return _render(series, currency, title, locale)


def _render(
    series: Sequence[tuple[dt.date, Decimal]], currency: str, title: str, locale: str
) -> bytes:
    # Figure + Agg canvas directly: no pyplot, so no global backend or figure registry.
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [format_date(month, "LLL yy", locale=locale) for month, _amount in series]
    values = [float(amount) for _month, amount in series]
    bars = axes.bar(range(len(values)), values, color=BAR, width=0.6, zorder=2)
    axes.set_xticks(range(len(values)), labels, color=TEXT)
    axes.set_title(title, color=TEXT, fontsize=12, loc="left")
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda y, _pos: format_compact_decimal(y, locale=locale, fraction_digits=1))
    )
    axes.tick_params(axis="y", colors=TEXT, labelsize=9)
    axes.grid(axis="y", color=GRID, zorder=0)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    top = max(values, default=0) or 1.0
    axes.set_ylim(0, top * 1.18)  # room for the labels above the tallest bar
    for bar, (_month, amount) in zip(bars, series, strict=True):
        if amount > 0:
            # Whole rupiah on a bar; cents only where the currency uses them.
            shown = amount.quantize(Decimal(1)) if currency.upper() == "IDR" else amount
            axes.annotate(
                format_money(shown, currency, locale[:2]),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                color=TEXT,
            )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
