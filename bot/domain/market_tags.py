"""Which micro-gig skills a stored gig's stated budget counts for in the market (/rates):
the alerts' own matcher, with one profile per taxonomy skill and no filters."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from bot.domain.market_stats import PRICED_TYPES, Price, midpoint
from bot.domain.money import Rates
from bot.matching.index import MatchIndex
from bot.matching.profile import Profile, Skill
from bot.matching.taxonomy import Taxonomy, TaxonomySkill, load_taxonomy
from bot.matching.understand import understand
from bot.store.models import GigRow, utcnow
from scrapers.model import Gig


class MarketTagger:
    """A matcher whose "users" are the taxonomy's skills: a gig counts for a skill exactly
    when an alert for a user with only that skill would go out."""

    def __init__(self, rates: Rates, taxonomy: Taxonomy | None = None) -> None:
        """Index one plain profile per taxonomy skill (named in English)."""
        self.taxonomy = taxonomy or load_taxonomy()
        self.index = MatchIndex(rates, self.taxonomy)
        self._skill_at: list[str] = [s.id for s in self.taxonomy.skills]
        self.index.add_users(
            Profile(slot, (Skill.of(skill.name_en),))
            for slot, skill in enumerate(self.taxonomy.skills)
        )

    def skills_of(self, gig: Gig, now: datetime | None = None) -> list[str]:
        """Taxonomy ids of the skills the gig matches, for a gig with a priced budget."""
        if gig.budget.type.value not in PRICED_TYPES or not gig.budget.currency:
            return []
        if midpoint(gig.budget.min, gig.budget.max) is None:
            return []
        return sorted({self._skill_at[m.user_id] for m in self.index.match(gig, now or utcnow())})


def prices_of(row: GigRow, skills: list[str]) -> list[tuple[str, Price]]:
    """(skill, price) of a stored gig for each skill it counts for."""
    amount = midpoint(row.budget_min, row.budget_max)
    if amount is None or not row.currency or not skills:
        return []
    at = row.posted_at or row.first_seen_at or utcnow()
    # A listing dated in the future (a time zone slip) counts from when it was seen.
    if row.first_seen_at is not None and at > row.first_seen_at:
        at = row.first_seen_at
    price = Price(row.budget_type, row.currency.upper(), amount, row.source, at)
    return [(skill, price) for skill in skills]


def skill_by_id(skill_id: str) -> TaxonomySkill | None:
    """The taxonomy skill of an id, or None."""
    return next((s for s in load_taxonomy().skills if s.id == skill_id), None)


@cache
def market_skill(typed: str) -> TaxonomySkill | None:
    """The taxonomy skill whose market a typed skill is (its first named skill), or None."""
    found = understand(typed).skills
    return found[0] if found else None
