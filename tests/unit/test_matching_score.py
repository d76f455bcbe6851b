"""Scores order gigs sensibly, reasons are structured and rendered in both languages, and
"Not relevant" feedback lowers (reversibly, visibly) the terms that matched."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bot.matching.explain import REASON_CODES, describe
from bot.matching.feedback import downweighted_terms, not_relevant, undo_not_relevant
from bot.matching.index import MatchIndex
from bot.matching.profile import Filters, Profile, Rates, make_profile
from bot.matching.score import Match, Reason
from scrapers.model import Budget, BudgetType, Gig

RATES = Rates({"IDR": Decimal("0.0001")}, date(2026, 1, 1), "USD")
NOW = datetime(2026, 1, 10, tzinfo=UTC)


def gig(title: str, text: str = "", tags: tuple[str, ...] = (), **kw: object) -> Gig:
    """A gig with this title (also its id)."""
    return Gig("projects_co_id", title, title, "u", text=text, tags=tags, **kw)


def match(profile: Profile, g: Gig) -> Match | None:
    """The match of a gig for one profile, if any."""
    index = MatchIndex(RATES)
    index.add_user(profile)
    found = index.match(g, NOW)
    return found[0] if found else None


def score(skills: list[str], g: Gig, **kw: object) -> int:
    """The score of a gig for a user with these skills (0: no match)."""
    found = match(make_profile(1, skills, **kw), g)
    return found.score if found else 0


def test_title_beats_tags_beats_text() -> None:
    title = score(["logo"], gig("Logo for a bakery"))
    tags = score(["logo"], gig("Bakery branding", tags=("Logo",)))
    text = score(["logo"], gig("Bakery branding", "we need a logo"))
    assert title > tags > text > 0


def test_full_phrase_beats_partial() -> None:
    full = score(["desain logo"], gig("Desain logo kafe"))
    partial = score(["desain logo"], gig("Logo kafe"))
    assert full > partial > 0


def test_micro_gig_and_budget_signals_raise_the_score() -> None:
    plain = score(["logo"], gig("Logo for a bakery"))
    small = score(["logo"], gig("Simple logo for a bakery"))
    few_bids = score(["logo"], gig("Logo for a bakery", bids=1))
    soon = score(["logo"], gig("Logo for a bakery", extra={"finish_days": "3"}))
    assert small > plain and few_bids > plain and soon > plain
    budget = Budget(Decimal(500_000), Decimal(1_000_000), "IDR", BudgetType.FIXED)
    ok = score(["logo"], gig("Logo for a bakery", budget=budget),
               filters=Filters(min_budget=Decimal(800_000)))  # fmt: skip
    high = score(["logo"], gig("Logo for a bakery", budget=budget),
                 filters=Filters(min_budget=Decimal(200_000)))  # fmt: skip
    assert high > ok > plain


def test_more_skills_more_score_and_every_skill_is_a_reason() -> None:
    g = gig("Logo and caption for instagram")
    one = match(make_profile(1, ["logo"]), g)
    two = match(make_profile(1, ["logo", "caption instagram"]), g)
    assert one and two and two.score > one.score
    assert {r.get("skill") for r in two.reasons if r.code == "skill"} == {
        "logo",
        "caption instagram",
    }


def test_threshold_is_per_user() -> None:
    g = gig("Bakery branding", "we need a logo")
    assert match(make_profile(1, ["logo"], threshold=40), g)
    assert match(make_profile(1, ["logo"], threshold=90), g) is None


def test_reasons_are_structured() -> None:
    g = gig("Simple logo design", bids=2, extra={"finish_days": "2"},
            budget=Budget(Decimal(100_000), None, "IDR", BudgetType.FIXED))  # fmt: skip
    found = match(make_profile(1, ["desain logo"]), g)
    assert found is not None
    dicts = [r.as_dict() for r in found.reasons]
    assert dicts[0] == {"code": "skill", "skill": "desain logo", "term": "logo design",
                        "field": "title"}  # fmt: skip
    codes = {d["code"] for d in dicts}
    assert {"skill", "budget", "scope", "short_deadline", "few_bids"} <= codes
    assert {"code": "few_bids", "bids": 2} in dicts


def test_describe_every_code_in_both_languages() -> None:
    samples = [
        Reason.make("skill", skill="desain logo", term="logo design", field="title"),
        Reason.make("related", skill="desain logo", term="canva"),
        Reason.make("implied", skill="javascript", term="react", field="title", via="react"),
        Reason.make("budget", min="100", max="200", currency="USD", type="fixed", fit="high"),
        Reason.make("scope", term="simple"),
        Reason.make("short_deadline", days=3),
        Reason.make("few_bids", bids=2),
        Reason.make("lowered", term="logo"),
    ]
    assert {r.code for r in samples} == set(REASON_CODES)
    for r in samples:
        en, id_ = describe(r, "en"), describe(r.as_dict(), "id")
        assert en and id_ and (en != id_ or r.code == "implied")
    assert "title" in describe(samples[0], "en") and "judul" in describe(samples[0], "id")
    assert describe(samples[3], "en") == "$100–200, 2× your minimum"
    assert describe(samples[3], "id") == "US$100–200, 2× minimummu"


def test_not_relevant_lowers_next_similar_gig_and_undo_restores() -> None:
    profile = make_profile(1, ["desain logo"])
    first = match(profile, gig("Desain logo toko"))
    assert first is not None
    lowered = not_relevant(profile, first.reasons)
    assert ("desain logo", 0.5) in downweighted_terms(lowered)  # and the related terms seen
    again = match(lowered, gig("Desain logo kafe"))
    assert again is not None and again.score < first.score
    assert any(r.code == "lowered" for r in again.reasons)
    twice = not_relevant(lowered, again.reasons)
    third = match(twice, gig("Desain logo kafe"))
    assert third is None or third.score < again.score
    restored = undo_not_relevant(undo_not_relevant(twice, again.reasons), first.reasons)
    assert downweighted_terms(restored) == []
    back = match(restored, gig("Desain logo kafe"))
    assert back is not None and back.score == first.score


def test_feedback_floor() -> None:
    profile = make_profile(1, ["logo"])
    reasons = (Reason.make("skill", skill="logo", term="logo", field="title"),)
    for _ in range(10):
        profile = not_relevant(profile, reasons)
    assert downweighted_terms(profile) == [("logo", 0.1)]


def test_age_does_not_change_score() -> None:
    a = score(["logo"], gig("Logo", posted_at=NOW - timedelta(hours=1)))
    b = score(["logo"], gig("Logo", posted_at=NOW - timedelta(hours=100)))
    assert a == b
