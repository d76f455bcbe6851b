"""The inverted index: incremental updates, and exactly the brute-force reference results."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.matching.index import LISTED_MEMBER_BYTES, MatchIndex
from bot.matching.profile import Filters, Profile, Rates, Skill, make_profile
from bot.matching.score import Match
from bot.matching.taxonomy import load_taxonomy
from scrapers.model import Budget, BudgetType, Gig
from tests.support.labelled import load_gigs, load_queries
from tests.support.reference_matcher import reference_match, same_matches

RATES = Rates({"IDR": Decimal("0.0001"), "EUR": Decimal("1.1")}, date(2026, 1, 1), "USD")
NOW = datetime(2026, 1, 10, tzinfo=UTC)


def ids(matches: list[Match]) -> list[int]:
    """The matched user ids, sorted."""
    return sorted(m.user_id for m in matches)


def test_add_remove_update_without_rebuild() -> None:
    index = MatchIndex(RATES)
    g = Gig("x", "1", "Logo design for a bakery", "u")
    index.add_user(make_profile(1, ["desain logo"]))
    index.add_user(make_profile(2, ["video editing"]))
    assert ids(index.match(g, NOW)) == [1]
    index.update_user(make_profile(2, ["video editing", "logo"]))
    assert ids(index.match(g, NOW)) == [1, 2]
    index.remove_user(1)
    assert ids(index.match(g, NOW)) == [2]
    assert 1 not in index and len(index) == 1
    index.add_user(make_profile(3, ["logo"], Filters(exclude=("bakery",))))
    assert ids(index.match(g, NOW)) == [2]
    index.add_user(make_profile(4, ["java"]))  # a literal skill adds new vocabulary
    assert ids(index.match(Gig("x", "2", "Java developer", "u"), NOW)) == [4]
    index.remove_user(2)
    index.remove_user(99)  # absent: no-op
    assert ids(index.match(g, NOW)) == []
    assert index.memory_bytes() > 0


def test_bulk_load_equals_one_by_one() -> None:
    profiles = [make_profile(i, ["logo", "caption instagram"][: 1 + i % 2]) for i in range(50)]
    bulk, single = MatchIndex(RATES), MatchIndex(RATES)
    bulk.add_users(profiles)
    for p in profiles:
        single.add_user(p)
    g = Gig("x", "1", "Logo and instagram caption", "u")
    assert sorted(bulk.match(g, NOW)) == sorted(single.match(g, NOW))


def test_groups_keep_their_users_after_a_slot_is_reused() -> None:
    index = MatchIndex(RATES)
    g = Gig("x", "1", "Logo design for a bakery", "u")
    index.add_users(make_profile(i, ["logo"]) for i in range(1, 4))
    groups = index.match_groups(g, NOW)
    index.remove_user(2)
    index.add_user(make_profile(9, ["logo"]))  # takes the slot user 2 had
    assert sorted(u for group in groups for u in group.user_ids) == [1, 2, 3]
    assert sorted(u for group in index.match_groups(g, NOW) for u in group.user_ids) == [1, 3, 9]
    assert all(group.nbytes() == (group.bits.bit_length() + 7) // 8 for group in groups)


def test_users_holding_two_fitting_skills_are_listed_and_keep_their_users() -> None:
    index = MatchIndex(RATES)
    g = Gig("x", "1", "Logo design and instagram caption for a bakery", "u")
    index.add_users(make_profile(i, ["logo", "caption"]) for i in range(1, 4))
    index.add_users(make_profile(i, ["caption", "logo"]) for i in range(4, 6))  # other order
    index.add_users(make_profile(i, ["logo"]) for i in range(6, 9))
    groups = index.match_groups(g, NOW)
    listed = [group for group in groups if group.listed is not None]
    assert len(listed) == 1  # the order users typed their skills in makes no second group
    both = listed[0]
    assert both.bits == 0 and len(both) == 5 and both.nbytes() == LISTED_MEMBER_BYTES * 5
    assert sorted(both.user_ids) == [1, 2, 3, 4, 5]
    assert {r.get("skill") for r in both.reasons if r.code == "skill"} == {"caption", "logo"}
    index.remove_user(2)
    index.add_user(make_profile(9, ["video editing"]))  # takes the slot user 2 had
    assert sorted(both.user_ids) == [1, 2, 3, 4, 5]
    expected = reference_match(g, [index.profile(u) for u in index.indexed_user_ids()], RATES, NOW)
    assert len(expected) == 7 and not same_matches(index.match(g, NOW), expected)


def test_match_groups_share_score_and_reasons() -> None:
    index = MatchIndex(RATES)
    index.add_users(make_profile(i, ["logo"]) for i in range(10))
    groups = index.match_groups(Gig("x", "1", "Logo", "u"), NOW)
    assert len(groups) == 1 and len(groups[0]) == 10
    assert sorted(groups[0].user_ids) == list(range(10))


# -- property: the index returns exactly what the brute-force reference returns -------------

_TAX = load_taxonomy()
_VOCAB = sorted(
    {s.name_en for s in _TAX.skills}
    | {s.name_id for s in _TAX.skills}
    | {t for s in _TAX.skills for t in s.terms_en[:4] + s.terms_id[:4] + s.related[:4]}
    | {t for s in _TAX.skills for t in s.roles[:3] + s.domains[:3]}
)
_NOISE = [
    "java",
    "art",
    "data",
    "simple",
    "bukan",
    "no",
    "tanpa",
    "kecil",
    "crypto",
    "writting",
    "copywritting",
    "desainlogo",
    "#logo",
    "articles",
    "editing",
    "the",
    "untuk",
    "2024",
]
words = st.sampled_from(_VOCAB + _NOISE)
phrases = st.lists(words, min_size=0, max_size=8).map(" ".join)

filters = st.builds(
    Filters,
    min_budget=st.one_of(st.none(), st.sampled_from([Decimal(50_000), Decimal(500_000)])),
    currency=st.sampled_from(["IDR", "USD"]),
    strict_budget=st.booleans(),
    budget_types=st.sampled_from([frozenset(), frozenset({"fixed"}), frozenset({"unknown"})]),
    exclude=st.sampled_from([(), ("crypto",), ("java", "logo design")]),
    languages=st.sampled_from([frozenset(), frozenset({"id"}), frozenset({"en"})]),
    sources=st.sampled_from([frozenset(), frozenset({"a"})]),
    max_bids=st.one_of(st.none(), st.sampled_from([0, 5])),
    max_age_hours=st.one_of(st.none(), st.sampled_from([12.0, 48.0])),
    employment_types=st.sampled_from(
        [frozenset(), frozenset({"freelance", "part_time"}), frozenset({"full_time"})]
    ),
    workplace_types=st.sampled_from([frozenset(), frozenset({"remote"})]),
    hide_risky=st.booleans(),
)
profiles = st.builds(
    lambda uid, skills, f, thr, fb: Profile(
        uid, tuple(Skill.of(s) for s in skills), f, thr, dict.fromkeys(fb, 1)
    ),
    st.integers(0, 40),
    st.lists(st.one_of(words, phrases), min_size=1, max_size=3),
    filters,
    st.sampled_from([0, 30, 40, 60, 80]),
    st.lists(words.map(str.casefold), max_size=2),
)
gigs = st.builds(
    lambda title, text, tags, lang, src, budget, bids, age, days: Gig(
        src,
        "1",
        title,
        "u",
        text=text,
        tags=tuple(tags),
        language=lang,
        budget=budget,
        bids=bids,
        posted_at=None if age is None else NOW - timedelta(hours=age),
        extra=({} if days is None else {"finish_days": str(days)})
        | (
            {}
            if days is None or days % 3 == 0
            else {
                "employment_type": ("part_time", "full_time")[days % 2],
                "workplace_type": ("onsite", "remote")[days % 2],
            }
        ),
        risk=("pay_first",) if age is not None and age < 20 else (),
    ),
    phrases,
    st.one_of(phrases, st.lists(phrases, max_size=40).map(" . ".join)),
    st.lists(st.one_of(words, phrases), max_size=12),
    st.sampled_from([None, "id", "en"]),
    st.sampled_from(["a", "b"]),
    st.sampled_from(
        [
            Budget(),
            Budget(Decimal(100_000), Decimal(900_000), "IDR", BudgetType.FIXED),
            Budget(Decimal(20), None, "USD", BudgetType.HOURLY),
            Budget(Decimal(5), None, "XYZ", BudgetType.FIXED),
        ]
    ),
    st.one_of(st.none(), st.integers(0, 10)),
    st.one_of(st.none(), st.floats(0, 100)),
    st.one_of(st.none(), st.integers(0, 14)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles, max_size=25), st.lists(st.integers(0, 40), max_size=5), gigs)
def test_index_equals_brute_force(users: list[Profile], removed: list[int], gig: Gig) -> None:
    index = MatchIndex(RATES)
    half = len(users) // 2
    index.add_users(users[:half])
    for p in users[half:]:
        index.add_user(p)  # one by one, replacing earlier profiles of the same user
    for uid in removed:
        index.remove_user(uid)
    live = {p.user_id: p for p in users}
    for uid in removed:
        live.pop(uid, None)
    expected = reference_match(gig, list(live.values()), RATES, NOW)
    assert same_matches(index.match(gig, NOW), expected) == []


def test_index_equals_reference_on_the_labelled_gigs() -> None:
    # Real titles x the labelled queries (implied skills, role + domain pairs, typos).
    queries = load_queries()
    profiles = [make_profile(i, [q]) for i, q in enumerate(queries)]
    profiles.append(make_profile(len(queries), ["javascript", "desain grafis", "nulis artikel"]))
    index = MatchIndex(RATES)
    index.add_users(profiles)
    kinds = set()
    for gig in load_gigs().values():
        found = index.match(gig, NOW)
        assert same_matches(found, reference_match(gig, profiles, RATES, NOW)) == []
        kinds |= {m.reasons[0].code for m in found}
    assert {"skill", "implied"} <= kinds
