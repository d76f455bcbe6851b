"""A user's matching profile: skills, filters, threshold, feedback."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from bot.matching.rates import Rates
from bot.matching.text import skill_key
from scrapers.worktype import EMPLOYMENT_TYPES, WORKPLACE_TYPES

DEFAULT_THRESHOLD = 40
BUDGET_TYPES = frozenset({"fixed", "hourly", "salary", "unknown"})


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill as the user typed it (`name`) and its canonical stored form (`key`)."""

    name: str
    key: str

    @classmethod
    def of(cls, name: str) -> Skill:
        """A skill from free text, with its key computed."""
        return cls(name.strip(), skill_key(name))


@dataclass(frozen=True, slots=True)
class Filters:
    """Hard conditions a gig must meet; empty sets and None mean "no condition"."""

    min_budget: Decimal | None = None
    currency: str = "IDR"
    strict_budget: bool = False
    budget_types: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    languages: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    max_bids: int | None = None
    max_age_hours: float | None = None
    employment_types: frozenset[str] = frozenset()
    workplace_types: frozenset[str] = frozenset()
    hide_risky: bool = False

    def __post_init__(self) -> None:
        """Reject budget, employment and workplace types the matcher does not know."""
        unknown = (
            (self.budget_types - BUDGET_TYPES)
            | (self.employment_types - set(EMPLOYMENT_TYPES))
            | (self.workplace_types - set(WORKPLACE_TYPES))
        )
        if unknown:
            raise ValueError(f"unknown types: {sorted(unknown)}")


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything the matcher knows about one user."""

    user_id: int
    skills: tuple[Skill, ...]
    filters: Filters = Filters()
    threshold: int = DEFAULT_THRESHOLD
    # Term -> number of "Not relevant" presses still in force (see feedback.py).
    feedback: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Check the threshold range."""
        if not 0 <= self.threshold <= 100:
            raise ValueError("threshold must be within 0..100")

    def with_feedback(self, feedback: Mapping[str, int]) -> Profile:
        """A copy with other feedback counts (zero counts dropped)."""
        return replace(self, feedback={t: n for t, n in feedback.items() if n > 0})


def make_profile(
    user_id: int,
    skills: Iterable[str],
    filters: Filters | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Profile:
    """A profile from skill names as typed."""
    return Profile(user_id, tuple(Skill.of(s) for s in skills), filters or Filters(), threshold)


def min_budget_in_base(filters: Filters, rates: Rates) -> Decimal | None:
    """The user's minimum budget in the rates' base currency (None: no minimum or no rate)."""
    return rates.to_base(filters.min_budget, filters.currency)
