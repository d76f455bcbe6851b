"""Each filter: budget (with rates, unknown passes unless strict), types, excludes, languages,
sources, bids and age."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.matching.index import MatchIndex
from bot.matching.profile import Filters, Rates, make_profile
from scrapers.model import Budget, BudgetType, Gig
from tests.support.reference_matcher import reference_match

RATES = Rates({"IDR": Decimal("0.0001"), "EUR": Decimal("1.1")}, date(2026, 1, 1), "USD")
NOW = datetime(2026, 1, 10, tzinfo=UTC)


def gig(**kw: object) -> Gig:
    """A logo gig with some fields overridden."""
    base: dict = {
        "source": "projects_co_id",
        "external_id": "1",
        "title": "Logo design",
        "url": "u",
    }
    base.update(kw)
    return Gig(**base)


def passes(filters: Filters, g: Gig) -> bool:
    """True when a user with these filters gets the gig (index and reference agree)."""
    profile = make_profile(1, ["logo"], filters)
    index = MatchIndex(RATES)
    index.add_user(profile)
    got = bool(index.match(g, NOW))
    assert got == bool(reference_match(g, [profile], RATES, NOW))
    return got


def idr(low: int, high: int | None = None, kind: BudgetType = BudgetType.FIXED) -> Budget:
    """A budget in rupiah."""
    return Budget(Decimal(low), Decimal(high) if high else None, "IDR", kind)


def test_min_budget_converted_with_rates() -> None:
    f = Filters(min_budget=Decimal(20), currency="USD")  # 20 USD = 200,000 IDR
    assert passes(f, gig(budget=idr(100_000, 250_000)))
    assert not passes(f, gig(budget=idr(100_000, 150_000)))
    assert passes(Filters(min_budget=Decimal(150_000)), gig(budget=idr(100_000, 150_000)))


def test_unknown_budget_passes_unless_strict() -> None:
    f = Filters(min_budget=Decimal(100_000))
    assert passes(f, gig())
    assert passes(f, gig(budget=Budget(Decimal(5), None, "XYZ")))  # no rate: unknown
    assert not passes(Filters(min_budget=Decimal(1), strict_budget=True), gig())


def test_budget_types() -> None:
    f = Filters(budget_types=frozenset({"fixed"}))
    assert passes(f, gig(budget=idr(1, 2)))
    assert not passes(f, gig(budget=idr(1, 2, BudgetType.HOURLY)))
    assert not passes(f, gig())
    assert passes(Filters(budget_types=frozenset({"unknown"})), gig())
    with pytest.raises(ValueError):
        Filters(budget_types=frozenset({"weekly"}))


def test_exclude_words_with_word_boundaries() -> None:
    f = Filters(exclude=("crypto", "judi online"))
    assert not passes(f, gig(text="for a crypto exchange"))
    assert not passes(f, gig(tags=("Crypto",)))
    assert passes(f, gig(text="cryptography startup"))
    assert not passes(f, gig(text="situs judi online"))
    assert passes(f, gig(text="judi"))


def test_languages_unknown_passes() -> None:
    f = Filters(languages=frozenset({"id"}))
    assert passes(f, gig(language="id"))
    assert not passes(f, gig(language="en"))
    assert passes(f, gig(language=None))


def test_sources() -> None:
    f = Filters(sources=frozenset({"fastwork"}))
    assert not passes(f, gig())
    assert passes(f, gig(source="fastwork"))


def test_max_bids_unknown_passes() -> None:
    f = Filters(max_bids=5)
    assert passes(f, gig(bids=5))
    assert not passes(f, gig(bids=6))
    assert passes(f, gig(bids=None))


def test_max_age_unknown_passes() -> None:
    f = Filters(max_age_hours=24)
    assert passes(f, gig(posted_at=NOW - timedelta(hours=23)))
    assert not passes(f, gig(posted_at=NOW - timedelta(hours=25)))
    assert passes(f, gig(posted_at=None))


def test_employment_types_unknown_passes() -> None:
    f = Filters(employment_types=frozenset({"freelance", "part_time"}))
    dealls = {"source": "dealls", "extra": {"employment_type": "part_time"}}
    assert passes(f, gig(**dealls))
    assert not passes(f, gig(source="dealls", extra={"employment_type": "full_time"}))
    assert passes(f, gig(source="dealls", extra={"employment_type": "full_time,contract",
                                                 "x": "y"}) ) is False  # fmt: skip
    assert passes(f, gig(source="dealls"))  # not stated
    assert passes(f, gig())  # projects.co.id: every gig is freelance
    assert not passes(f, gig(source="remotive", extra={"job_type": "full_time"}))
    with pytest.raises(ValueError, match="unknown types"):
        Filters(employment_types=frozenset({"weekly"}))


def test_workplace_types_remote_only() -> None:
    f = Filters(workplace_types=frozenset({"remote"}))
    assert passes(f, gig())  # an online gig market: remote
    assert passes(f, gig(source="dealls", extra={"workplace_type": "remote"}))
    assert not passes(f, gig(source="dealls", extra={"workplace_type": "hybrid"}))
    assert not passes(f, gig(source="arbeitnow", extra={"remote": "no"}))
    assert passes(f, gig(source="dealls"))  # not stated passes


def test_risky_gigs_come_unless_hidden() -> None:
    risky = gig(risk=("pay_first",))
    assert passes(Filters(), risky)
    assert not passes(Filters(hide_risky=True), risky)
    assert passes(Filters(hide_risky=True), gig())
