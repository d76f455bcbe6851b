"""Market rates from stated budgets: median and middle half per budget type and currency, the
period before, the widest period with enough data, and where one budget sits. Pure code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

PERIOD_DAYS = 30
MAX_DAYS = 90
WIDER_DAYS = (60, 90)  # periods tried, widest last, when 30 days are not enough
ENOUGH = 5  # gigs a figure needs
PRICED_TYPES = ("fixed", "hourly")
CENT = Decimal("0.01")
BELOW, AROUND, ABOVE = "below", "around", "above"


@dataclass(frozen=True, slots=True)
class Price:
    """One gig's stated budget for a skill: the midpoint of its range, in its currency."""

    budget_type: str
    currency: str
    amount: Decimal
    source: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Figures:
    """How many prices, their median and their middle half (25th–75th percentile)."""

    count: int
    median: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True)
class Group:
    """The market of one budget type in one currency over a period, and the period before."""

    budget_type: str
    currency: str
    days: int
    now: Figures | None  # None: fewer than ENOUGH prices in the period
    count: int
    before: Figures | None
    sources: tuple[tuple[str, int], ...]  # (source, gigs), most first


def midpoint(low: Decimal | None, high: Decimal | None) -> Decimal | None:
    """A budget as one amount: a range counts as its midpoint, a one-sided one as its end."""
    if low is None and high is None:
        return None
    if low is None or high is None:
        return low if low is not None else high
    return (low + high) / 2


def percentile(ordered: Sequence[Decimal], share: Decimal) -> Decimal:
    """The `share` (0..1) percentile of sorted values, interpolating linearly between the two
    nearest ranks (the usual "inclusive" method: rank = share × (n − 1))."""
    if not ordered:
        raise ValueError("no values")
    rank = share * (len(ordered) - 1)
    below = int(rank)
    above = min(below + 1, len(ordered) - 1)
    fraction = rank - below
    return ordered[below] + (ordered[above] - ordered[below]) * fraction


def figures(amounts: Iterable[Decimal]) -> Figures | None:
    """Median and middle half of the amounts, rounded to cents; None below ENOUGH."""
    ordered = sorted(amounts)
    if len(ordered) < ENOUGH:
        return None

    def at(share: str) -> Decimal:
        return percentile(ordered, Decimal(share)).quantize(CENT)

    return Figures(len(ordered), at("0.5"), at("0.25"), at("0.75"))


def _within(prices: Iterable[Price], start: datetime, end: datetime) -> list[Price]:
    return [p for p in prices if start <= p.at < end]


def groups(prices: Sequence[Price], now: datetime, days: int = PERIOD_DAYS) -> list[Group]:
    """One Group per (budget type, currency) with a price in the `days` before `now`, with
    the `days` before that for comparison (30-day periods only: prices are kept for the
    comparison up to 60 days back); most gigs first."""
    span = timedelta(days=days)
    current = _within(prices, now - span, now + timedelta(seconds=1))
    earlier = _within(prices, now - 2 * span, now - span)
    keys = sorted(
        {(p.budget_type, p.currency) for p in current if p.budget_type in PRICED_TYPES},
        key=lambda k: (-sum(1 for p in current if (p.budget_type, p.currency) == k), k),
    )
    out = []
    for budget_type, currency in keys:
        mine = [p for p in current if (p.budget_type, p.currency) == (budget_type, currency)]
        before = [
            p.amount for p in earlier if (p.budget_type, p.currency) == (budget_type, currency)
        ]
        counts: dict[str, int] = {}
        for p in mine:
            counts[p.source] = counts.get(p.source, 0) + 1
        sources = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(
            Group(
                budget_type,
                currency,
                days,
                figures(p.amount for p in mine),
                len(mine),
                figures(before) if days == PERIOD_DAYS else None,
                sources,
            )
        )
    return out


def widest_enough(prices: Sequence[Price], now: datetime) -> list[Group]:
    """When no group has enough prices in 30 days: the groups of the widest period up to 90
    days in which one has (empty when even 90 days are not enough)."""
    for days in reversed(WIDER_DAYS):
        found = [g for g in groups(prices, now, days) if g.now is not None]
        if found:
            return found
    return []


def change(group: Group) -> Decimal | None:
    """The median's change against the period before, in percent (None without both)."""
    if group.now is None or group.before is None or not group.before.median:
        return None
    return ((group.now.median - group.before.median) / group.before.median * 100).quantize(
        Decimal("1")
    )


def place(amount: Decimal, market: Figures) -> str:
    """Where a budget sits against the middle half: BELOW, AROUND or ABOVE."""
    if amount < market.low:
        return BELOW
    if amount > market.high:
        return ABOVE
    return AROUND


def market_of(prices: Sequence[Price], now: datetime) -> tuple[list[Group], list[Group]]:
    """/rates' two answers: the last 30 days' groups, and, when none of them has enough,
    the groups of the widest period up to 90 days that has."""
    current = groups(prices, now)
    if any(g.now is not None for g in current):
        return current, []
    return current, widest_enough(prices, now)
