"""Advice from a user's own decided bids for one skill against the market: win rate, average
agreed amount against the median, and two plain rules whose thresholds are stated here and
in the message. Pure code.

A decided bid is an application that was won (won, delivered or paid) or lost; withdrawn
and open ones are not counted. A win counts at its agreed amount, a loss at the gig's posted
budget (its middle): Sambilan never learns what a lost bid asked. Only fixed-price bids are
compared with the market (an agreed amount is a whole job's price, not an hourly rate).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from bot.domain.market_stats import Group
from bot.domain.money import Rates

MIN_DECIDED = 5  # decided bids compared with the median before any advice
RECENT = 5  # the most recent of them the raise rule reads
RAISE_WINS = 3  # wins below the median among those needed to suggest raising
MIN_ABOVE = 3  # bids above the median before "you won none of them" is said
RAISE_STEP = 5  # a suggested raise is the gap to the median rounded down to this (percent)
MAX_RAISE = 20  # and never more than this (percent)
COMPARED_TYPE = "fixed"
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Bid:
    """One decided application: won or lost, when it was decided, and its amount (agreed
    when won, the gig's posted budget when lost; None when unknown) with currency and type."""

    won: bool
    at: datetime
    amount: Decimal | None
    currency: str | None
    budget_type: str = COMPARED_TYPE


@dataclass(frozen=True, slots=True)
class Advice:
    """What the user's own records say for one skill."""

    decided: int  # won + lost, every budget type
    won: int
    reference: Group | None = None  # the market compared with (fixed price, one currency)
    average: Decimal | None = None  # mean agreed amount of the compared wins
    wins_compared: int = 0
    versus: Decimal | None = None  # average against the median, in percent (+ above)
    compared: int = 0  # decided bids placed against the median
    recent: int = 0  # how many of the most recent compared bids the raise rule read
    recent_won_below: int = 0
    raise_by: int | None = None  # percent; None when the raise rule does not hold
    above: int = 0  # compared bids above the median
    above_won: int = 0
    rest: int = 0  # compared bids at or below the median
    rest_won: int = 0

    @property
    def win_rate(self) -> Decimal | None:
        """Won ÷ decided in percent, rounded; None without a decided bid."""
        if not self.decided:
            return None
        return (Decimal(self.won) * 100 / self.decided).quantize(Decimal(1), ROUND_HALF_UP)

    @property
    def enough(self) -> bool:
        """True when enough bids were compared with the market for any advice."""
        return self.reference is not None and self.compared >= MIN_DECIDED

    @property
    def none_above(self) -> bool:
        """The "won none above the median" rule: enough bids above it, not one won."""
        return self.enough and self.above >= MIN_ABOVE and self.above_won == 0


def reference(bids: Sequence[Bid], market: Sequence[Group]) -> Group | None:
    """The market group bids are compared with: fixed price with figures, in the currency
    most of the user's fixed-price bids were in when the market has it, else the biggest."""
    fixed = [g for g in market if g.budget_type == COMPARED_TYPE and g.now is not None]
    if not fixed:
        return None
    used = Counter(
        b.currency.upper()
        for b in bids
        if b.budget_type == COMPARED_TYPE and b.currency and b.amount is not None
    )
    for currency, _count in sorted(used.items(), key=lambda kv: (-kv[1], kv[0])):
        for group in fixed:
            if group.currency == currency:
                return group
    return fixed[0]


def raise_percent(average: Decimal, median: Decimal) -> int | None:
    """The gap from `average` up to `median` in percent, rounded down to RAISE_STEP and at
    most MAX_RAISE; None when it is smaller than one step."""
    if average <= 0 or average >= median:
        return None
    gap = (median - average) / average * 100
    steps = int((gap / RAISE_STEP).to_integral_value(ROUND_FLOOR))
    return min(steps * RAISE_STEP, MAX_RAISE) or None


def advise(bids: Sequence[Bid], market: Sequence[Group], rates: Rates | None) -> Advice:
    """Win rate, average agreed amount against the median, and the two rules' outcomes."""
    decided, won = len(bids), sum(b.won for b in bids)
    ref = reference(bids, market)
    if ref is None or ref.now is None:
        return Advice(decided, won)
    median = ref.now.median
    placed: list[tuple[Bid, Decimal]] = []
    for bid in bids:
        if bid.budget_type != COMPARED_TYPE or bid.amount is None or not bid.currency:
            continue
        amount = bid.amount
        if rates is not None:
            converted = rates.convert(amount, bid.currency, ref.currency)
        else:
            converted = amount if bid.currency.upper() == ref.currency else None
        if converted is not None:
            placed.append((bid, converted))
    placed.sort(key=lambda pair: pair[0].at, reverse=True)
    wins = [amount for bid, amount in placed if bid.won]
    average = (sum(wins, Decimal(0)) / len(wins)).quantize(CENT) if wins else None
    versus = None
    if average is not None and median:
        versus = ((average - median) / median * 100).quantize(Decimal(1), ROUND_HALF_UP)
    recent = placed[:RECENT]
    recent_wins_below = [amount for bid, amount in recent if bid.won and amount < median]
    raise_by = None
    if len(placed) >= MIN_DECIDED and len(recent_wins_below) >= RAISE_WINS:
        mean_below = sum(recent_wins_below, Decimal(0)) / len(recent_wins_below)
        raise_by = raise_percent(mean_below, median)
    above = [bid for bid, amount in placed if amount > median]
    rest = [bid for bid, amount in placed if amount <= median]
    return Advice(
        decided,
        won,
        reference=ref,
        average=average,
        wins_compared=len(wins),
        versus=versus,
        compared=len(placed),
        recent=len(recent),
        recent_won_below=len(recent_wins_below),
        raise_by=raise_by,
        above=len(above),
        above_won=sum(b.won for b in above),
        rest=len(rest),
        rest_won=sum(b.won for b in rest),
    )
