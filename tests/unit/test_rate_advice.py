"""Advice from the user's own decided bids against the market median: the rules, their
thresholds, currencies and budget types, worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.domain.market_stats import Figures, Group
from bot.domain.money import Rates
from bot.domain.rate_advice import MIN_DECIDED, Advice, Bid, advise, raise_percent, reference

D = Decimal
T0 = datetime(2026, 11, 1, tzinfo=UTC)
# The market: fixed-price IDR gigs, median Rp1.000.000, middle half Rp800.000–Rp1.500.000.
IDR = Group("fixed", "IDR", 30, Figures(40, D(1_000_000), D(800_000), D(1_500_000)), 40, None, ())
USD_FIXED = Group("fixed", "USD", 30, Figures(6, D(100), D(60), D(150)), 6, None, ())
HOURLY = Group("hourly", "IDR", 30, Figures(9, D(50_000), D(40_000), D(80_000)), 9, None, ())
RATES = Rates({"IDR": D(1), "USD": D(16_000)})


def bid(won: bool, amount: int | None, day: int, currency: str = "IDR", kind: str = "fixed") -> Bid:
    """A bid decided `day` days after T0 (a higher day is more recent)."""
    value = D(amount) if amount is not None else None
    return Bid(won, T0 + timedelta(days=day), value, currency, kind)


def test_recent_wins_below_the_median_suggest_a_raise_capped_at_twenty_percent() -> None:
    bids = [
        bid(True, 700_000, 5),
        bid(False, 1_200_000, 4),
        bid(True, 800_000, 3),
        bid(True, 900_000, 2),
        bid(False, 2_000_000, 1),
    ]
    advice = advise(bids, [IDR], RATES)
    assert (advice.decided, advice.won, advice.win_rate) == (5, 3, D(60))
    # Average of the wins: (700 + 800 + 900) / 3 = 800 thousand, 20% below the median.
    assert advice.average == D("800000.00") and advice.versus == D(-20)
    assert (advice.recent, advice.recent_won_below) == (5, 3)
    # The gap from 800k up to 1M is 25%: rounded down to 25, capped at 20.
    assert advice.raise_by == 20
    # Two bids above the median, both lost: fewer than three, so nothing said about them.
    assert (advice.above, advice.above_won) == (2, 0) and not advice.none_above


def test_a_small_gap_gives_a_small_raise_and_none_above_can_hold_too() -> None:
    bids = [
        bid(True, 880_000, 9),
        bid(True, 900_000, 8),
        bid(True, 920_000, 7),
        bid(False, 1_100_000, 6),
        bid(False, 1_300_000, 5),
        bid(False, 1_600_000, 4),
    ]
    advice = advise(bids, [IDR], RATES)
    # Wins average 900k: the gap to 1M is 11.1% → 10%.
    assert advice.raise_by == 10
    assert (advice.above, advice.above_won, advice.rest, advice.rest_won) == (3, 0, 3, 3)
    assert advice.none_above


def test_older_wins_do_not_count_for_the_raise() -> None:
    old_wins = [bid(True, 500_000, d) for d in (1, 2, 3)]
    recent_losses = [bid(False, 900_000, d) for d in (10, 11, 12, 13, 14)]
    advice = advise(old_wins + recent_losses, [IDR], RATES)
    assert advice.enough and advice.recent_won_below == 0 and advice.raise_by is None


def test_no_advice_below_the_threshold_of_decided_bids() -> None:
    bids = [bid(True, 500_000, d) for d in range(MIN_DECIDED - 1)]
    advice = advise(bids, [IDR], RATES)
    assert advice.compared == MIN_DECIDED - 1 and not advice.enough
    assert advice.raise_by is None and not advice.none_above
    assert advice.average == D("500000.00") and advice.versus == D(-50)


def test_amounts_are_converted_and_the_market_currency_follows_the_bids() -> None:
    # Mostly USD bids and a USD market: compared in USD.
    usd = [bid(True, 50, d, "USD") for d in range(3)] + [bid(False, 200, 5, "USD")]
    assert reference(usd, [IDR, USD_FIXED]) is USD_FIXED
    # Without a USD market the IDR one is used, the amounts converted at the rates.
    advice = advise([bid(True, 50, 1, "USD")], [IDR], RATES)
    assert advice.reference is IDR and advice.average == D("800000.00")
    # Without rates a foreign amount cannot be placed, but still counts in the win rate.
    unplaced = advise([bid(True, 50, 1, "USD")], [IDR], None)
    assert (unplaced.compared, unplaced.decided, unplaced.won) == (0, 1, 1)


def test_hourly_and_unknown_amounts_count_only_in_the_win_rate() -> None:
    bids = [bid(True, 60_000, 1, kind="hourly"), bid(False, None, 2), bid(True, 700_000, 3)]
    advice = advise(bids, [HOURLY, IDR], RATES)
    assert advice.reference is IDR  # hourly gigs are never the reference
    assert (advice.decided, advice.won, advice.compared) == (3, 2, 1)
    assert advise(bids, [HOURLY], RATES) == Advice(3, 2)  # no fixed-price market


def test_raise_percent_steps() -> None:
    assert raise_percent(D(960_000), D(1_000_000)) is None  # 4.2%: less than one step
    assert raise_percent(D(950_000), D(1_000_000)) == 5  # 5.26%
    assert raise_percent(D(1_000_000), D(1_000_000)) is None
    assert raise_percent(D(100_000), D(1_000_000)) == 20
