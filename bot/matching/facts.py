"""Per-gig facts the filters and the micro-gig score need, computed once per gig."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from bot.matching.gigtext import GigText
from bot.matching.rates import Rates
from bot.matching.taxonomy import Taxonomy
from scrapers.model import Gig
from scrapers.worktype import employment_types, workplace_type

SHORT_DEADLINE_DAYS = 7
FEW_BIDS = 5


@dataclass(frozen=True, slots=True)
class GigFacts:
    """Budget in the base currency, type, language, source, bids, age, micro-gig signals,
    employment and workplace type, and whether it shows a scam-risk signal."""

    source: str
    language: str | None
    budget_type: str
    amount_base: Decimal | None  # the most the gig may pay, in the rates' base currency
    budget_min: Decimal | None
    budget_max: Decimal | None
    currency: str | None
    bids: int | None
    age_hours: float | None
    scope_word: str | None
    deadline_days: int | None
    employment: frozenset[str] = frozenset()  # empty: not stated
    workplace: str | None = None
    risky: bool = False

    @property
    def few_bids(self) -> bool:
        """True when few freelancers have bid so far."""
        return self.bids is not None and self.bids <= FEW_BIDS

    @property
    def short_deadline(self) -> bool:
        """True when the work is due within a week."""
        return self.deadline_days is not None and self.deadline_days <= SHORT_DEADLINE_DAYS


def _deadline_days(gig: Gig) -> int | None:
    """Days to finish: `finish_days`, else a `deadline` date relative to posting."""
    days = gig.extra.get("finish_days")
    if days is not None:
        try:
            return max(0, int(days))
        except ValueError:
            return None
    deadline = gig.extra.get("deadline")
    if deadline and gig.posted_at is not None:
        try:
            when = datetime.fromisoformat(deadline)
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0, (when - gig.posted_at).days)
    return None


def _scope_word(text: GigText, tax: Taxonomy) -> str | None:
    """The first small-scope word ("simple", "sederhana", …) in the title or a short text."""
    fields = (text.title,) if text.long_text else (text.title, text.text)
    for words in fields:
        for word in words:
            if word in tax.scope_words:
                return word
    return None


def gig_facts(gig: Gig, text: GigText, rates: Rates, tax: Taxonomy, now: datetime) -> GigFacts:
    """Compute a gig's facts once (for every user)."""
    budget = gig.budget
    top = budget.max if budget.max is not None else budget.min
    age = None
    if gig.posted_at is not None:
        age = max(0.0, (now - gig.posted_at).total_seconds() / 3600)
    return GigFacts(
        source=gig.source,
        language=gig.language,
        budget_type=str(budget.type),
        amount_base=rates.to_base(top, budget.currency),
        budget_min=budget.min,
        budget_max=budget.max,
        currency=budget.currency,
        bids=gig.bids,
        age_hours=age,
        scope_word=_scope_word(text, tax),
        deadline_days=_deadline_days(gig),
        employment=employment_types(gig),
        workplace=workplace_type(gig),
        risky=bool(gig.risk),
    )


def deadline_days(gig: Gig) -> int | None:
    """Days the listing gives to finish the work, when it says."""
    return _deadline_days(gig)
