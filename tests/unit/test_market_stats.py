"""Market rates equal a hand computation over real projects.co.id listings, tagged by the
same matcher as alerts; percentiles, periods and placing a budget."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.domain.market_stats import (
    ABOVE,
    AROUND,
    BELOW,
    Figures,
    Price,
    change,
    figures,
    groups,
    market_of,
    midpoint,
    percentile,
    place,
)
from bot.domain.market_tags import MarketTagger, market_skill
from bot.domain.money import Rates
from tests.support.market import AFTER_ALL, SPLIT_ANDROID, micro_gigs

D = Decimal


@pytest.fixture(scope="module")
def tagged() -> dict[str, list[Price]]:
    tagger = MarketTagger(Rates())
    found: dict[str, list[Price]] = {}
    for gig in micro_gigs():
        amount = midpoint(gig.budget.min, gig.budget.max)
        assert gig.posted_at is not None
        for skill in tagger.skills_of(gig, AFTER_ALL):
            assert amount is not None and gig.budget.currency
            price = Price("fixed", gig.budget.currency, amount, gig.source, gig.posted_at)
            found.setdefault(skill, []).append(price)
    return found


def test_web_development_rates_equal_the_hand_computation(tagged: dict[str, list[Price]]) -> None:
    # The seven web-development listings and their budgets (midpoints):
    #   Situs Playgroup Wordpress   750.000–1.500.000 -> 1.125.000
    #   website mantau traffic    1.000.000–1.500.000 -> 1.250.000
    #   Web Aplikasi Send WA      1.500.000–3.000.000 -> 2.250.000
    #   fitur website company       750.000–1.700.000 -> 1.225.000
    #   Website CMS wordpress     1.500.000–3.000.000 -> 2.250.000
    #   website REKBER            1.500.000–3.000.000 -> 2.250.000
    #   website pake php          1.000.000–1.500.000 -> 1.250.000
    # sorted: 1.125 1.225 1.25 1.25 2.25 2.25 2.25 (millions); n = 7
    # median: rank 0.5 × 6 = 3 -> 1.250.000
    # 25th: rank 1.5 -> (1.225.000 + 1.250.000) / 2 = 1.237.500; 75th: rank 4.5 -> 2.250.000
    prices = tagged["web_development"]
    assert sorted(p.amount for p in prices) == [
        D(1125000),
        D(1225000),
        D(1250000),
        D(1250000),
        D(2250000),
        D(2250000),
        D(2250000),
    ]
    [group] = groups(prices, AFTER_ALL)
    assert (group.budget_type, group.currency, group.count) == ("fixed", "IDR", 7)
    assert group.now == Figures(7, D("1250000.00"), D("1237500.00"), D("2250000.00"))
    assert group.before is None  # nothing posted in the 30 days before
    assert group.sources == (("projects_co_id", 7),)


def test_android_rates_and_the_period_before(tagged: dict[str, list[Price]]) -> None:
    # Nine Android listings, midpoints sorted (rupiah):
    #   425.000 800.000 875.000 1.750.000 2.750.000 11.500.000 20.000.000 25.000.000 25.000.000
    # median rank 4 -> 2.750.000; 25th rank 2 -> 875.000; 75th rank 6 -> 20.000.000
    prices = tagged["android"]
    [group] = groups(prices, AFTER_ALL)
    assert group.now == Figures(9, D("2750000.00"), D("875000.00"), D("20000000.00"))
    # From 19 May 2022 the last 30 days hold the four gigs of 19–23 April (1.750.000, 800.000,
    # 425.000, 875.000): not enough; the 30 days before hold the other five:
    #   2.750.000 11.500.000 20.000.000 25.000.000 25.000.000 -> median 20.000.000,
    #   25th 11.500.000, 75th 25.000.000.
    current, wider = market_of(prices, SPLIT_ANDROID)
    assert [(g.count, g.now) for g in current] == [(4, None)]
    assert current[0].before == Figures(5, D("20000000.00"), D("11500000.00"), D("25000000.00"))
    # Not enough in 30 days: the widest period up to 90 days with enough is shown (all nine).
    assert [(g.days, g.now) for g in wider] == [(90, group.now)]


def test_fewer_than_five_is_not_enough() -> None:
    assert figures([D(1), D(2), D(3), D(4)]) is None
    assert figures([D(1), D(2), D(3), D(4), D(5)]) == Figures(5, D(3), D(2), D(4))


def test_percentile_interpolates_between_ranks() -> None:
    values = [D(10), D(20), D(30), D(40)]
    assert percentile(values, D("0.5")) == D(25)
    assert percentile(values, D("0.25")) == D("17.5")
    assert percentile([D(7)], D("0.75")) == D(7)


def test_a_range_counts_as_its_midpoint() -> None:
    assert midpoint(D(150000), D(500000)) == D(325000)
    assert midpoint(D(20), None) == D(20)
    assert midpoint(None, None) is None


def test_change_and_place() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    day = datetime(2026, 11, 20, tzinfo=UTC)
    old = datetime(2026, 10, 20, tzinfo=UTC)
    prices = [Price("fixed", "IDR", D(a), "fastwork", day) for a in (100, 200, 300, 400, 500)]
    prices += [Price("fixed", "IDR", D(a), "fastwork", old) for a in (100, 150, 200, 250, 300)]
    prices += [Price("hourly", "USD", D(10), "freelancer", day)]
    fixed, hourly = groups(prices, now)
    assert change(fixed) == D(50)  # median 300 against 200
    assert (hourly.budget_type, hourly.now, hourly.count) == ("hourly", None, 1)
    market = fixed.now
    assert market is not None
    assert [place(D(a), market) for a in (150, 200, 400, 401)] == [BELOW, AROUND, AROUND, ABOVE]


def test_typed_skills_find_their_market() -> None:
    found = market_skill("desain logo")
    assert found is not None and found.id == "logo_design"
    assert market_skill("bikin website") is not None
    assert market_skill("qwertyuiop") is None
