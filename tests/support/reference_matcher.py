"""Brute-force reference matcher: every profile, every term, every position, same scoring."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from bot.matching.facts import gig_facts
from bot.matching.filters import passes
from bot.matching.gigtext import GigText, contains, locate
from bot.matching.profile import Profile, Rates, min_budget_in_base
from bot.matching.score import Match, SkillHits, StrongHit, budget_part, combine, gig_scoring
from bot.matching.taxonomy import Taxonomy, load_taxonomy
from bot.matching.terms import Term, compile_term, define_skill
from scrapers.model import Gig


def reference_match(
    gig: Gig,
    profiles: Iterable[Profile],
    rates: Rates,
    now: datetime | None = None,
    taxonomy: Taxonomy | None = None,
) -> list[Match]:
    """The matches of `gig`, computed by looping over all profiles (slow, obviously right)."""
    tax = taxonomy or load_taxonomy()
    text = GigText.of(gig.title, gig.tags, gig.text, gig.language, tax)
    facts = gig_facts(gig, text, rates, tax, now or datetime.now(UTC))
    scoring = gig_scoring(text, facts)
    # Each term is searched once per gig (still a loop over every profile and skill).
    located: dict[Term, tuple[str | None, int]] = {}

    def where(term: Term) -> tuple[str | None, int]:
        if term not in located:
            located[term] = locate(text, term, tax)
        return located[term]

    out = []
    for profile in profiles:
        min_base = min_budget_in_base(profile.filters, rates)
        excluded = any(
            where(term)[0] is not None or contains(text, term, tax)
            for word in profile.filters.exclude
            if (term := compile_term(word)) is not None
        )
        if not passes(profile.filters, min_base, facts, excluded):
            continue
        skills = []
        for key in dict.fromkeys(s.key for s in profile.skills):
            if not key:
                continue
            skill = define_skill(key, tax)
            strong = []
            for term, weight in skill.strong:
                field, outside = where(term)
                if field is not None:
                    strong.append(StrongHit(term, weight, field, outside > 1))
            if strong:
                weak = tuple(t for t in skill.weak if where(t)[0] is not None)
                skills.append(SkillHits(key, tuple(strong), weak))
        result = combine(skills, scoring, profile.feedback, budget_part(facts, min_base))
        if result is not None and result[0] >= profile.threshold:
            out.append(Match(profile.user_id, result[0], result[1]))
    return out
