"""A user's hard filters applied to one gig's facts."""

from __future__ import annotations

from decimal import Decimal

from bot.matching.facts import GigFacts
from bot.matching.profile import Filters


def passes(filters: Filters, min_base: Decimal | None, facts: GigFacts, excluded: bool) -> bool:
    """True when the gig meets every filter; unknown budget, language, bids, age, employment
    and workplace type pass; a risky gig fails only for users hiding risky gigs."""
    if excluded:
        return False
    if facts.amount_base is None:
        if filters.strict_budget:
            return False
    elif min_base is not None and facts.amount_base < min_base:
        return False
    if filters.budget_types and facts.budget_type not in filters.budget_types:
        return False
    if filters.languages and facts.language is not None and facts.language not in filters.languages:
        return False
    if filters.sources and facts.source not in filters.sources:
        return False
    if filters.max_bids is not None and facts.bids is not None and facts.bids > filters.max_bids:
        return False
    if filters.hide_risky and facts.risky:
        return False
    if (
        filters.employment_types
        and facts.employment
        and not (facts.employment & filters.employment_types)
    ):
        return False
    if (
        filters.workplace_types
        and facts.workplace is not None
        and facts.workplace not in filters.workplace_types
    ):
        return False
    return not (
        filters.max_age_hours is not None
        and facts.age_hours is not None
        and facts.age_hours > filters.max_age_hours
    )
