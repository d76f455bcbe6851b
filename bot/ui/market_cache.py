"""The market figures alert cards place a budget against: per skill, read at most once an
hour per process (one index range scan), so rendering a card never waits on a query."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.market_stats import PERIOD_DAYS, Figures, groups, midpoint
from bot.domain.market_tags import market_skill, skill_by_id
from bot.domain.money import Rates
from bot.domain.skill_of import MATCH_CODES
from bot.matching.understand import skill_name
from bot.store.market_repo import MarketRepo
from bot.store.models import GigRow, utcnow
from bot.ui.rates_view import market_line

TTL_SECONDS = 3600.0
MAX_SKILLS = 512  # distinct skills kept; the taxonomy has fewer


def reason_skill(reasons: Sequence[Mapping[str, Any]]) -> str | None:
    """The taxonomy id of the skill an alert's first skill reason names, if it has one."""
    for code in MATCH_CODES:
        for reason in reasons:
            if reason.get("code", "skill") == code and reason.get("skill"):
                found = market_skill(str(reason["skill"]))
                return found.id if found is not None else None
    return None


class MarketCache:
    """Per skill: {(budget type, currency): figures of the last 30 days} when enough."""

    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        """An empty cache whose entries live `ttl` seconds."""
        self.ttl = ttl
        self._entries: dict[str, tuple[float, dict[tuple[str, str], Figures]]] = {}

    async def prepare(
        self, session: AsyncSession, skills: Iterable[str | None], now: datetime | None = None
    ) -> None:
        """Read the skills whose figures are missing or older than the TTL."""
        clock = time.monotonic()
        now = now or utcnow()
        for skill in {s for s in skills if s}:
            entry = self._entries.get(skill)
            if entry is not None and clock - entry[0] < self.ttl:
                continue
            prices = await MarketRepo(session).prices(skill, now, 2 * PERIOD_DAYS)
            found = {(g.budget_type, g.currency): g.now for g in groups(prices, now) if g.now}
            if len(self._entries) >= MAX_SKILLS:
                self._entries.clear()
            self._entries[skill] = (clock, found)

    def clear(self) -> None:
        """Forget every entry (the next cards read the market afresh)."""
        self._entries.clear()

    def figures(self, skill: str, budget_type: str, currency: str) -> Figures | None:
        """The prepared figures of a skill for one budget type and currency, if enough."""
        entry = self._entries.get(skill)
        return None if entry is None else entry[1].get((budget_type, currency.upper()))

    def card_line(
        self,
        gig: GigRow,
        reasons: Sequence[Mapping[str, Any]],
        language: str,
        *,
        rates: Rates | None,
        currency: str | None,
    ) -> str | None:
        """The alert card's market line for this gig, or None without enough data."""
        skill = reason_skill(reasons)
        amount = midpoint(gig.budget_min, gig.budget_max)
        if skill is None or amount is None or not gig.currency:
            return None
        figures = self.figures(skill, gig.budget_type, gig.currency)
        if figures is None:
            return None
        found = skill_by_id(skill)
        name = skill_name(found, language) if found is not None else skill
        return market_line(
            amount, gig.currency.upper(), figures, name, language, rates=rates, currency=currency
        )


# One per process: the sender's cards and the cards redrawn by buttons share it.
MARKET = MarketCache()
