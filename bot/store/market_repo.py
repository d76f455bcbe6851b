"""The market behind /rates: stated budgets per skill, stored when gigs are matched."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.market_stats import MAX_DAYS, Price
from bot.store.models import MarketPrice, utcnow
from bot.store.repos import insert_ignore

CHUNK = 500


class MarketRepo:
    """Stored prices per skill (one row per gig and skill)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, rows: Iterable[tuple[int, str, Price]]) -> int:
        """Store (gig id, skill, price) rows; a gig's price for a skill is stored once."""
        values = [
            {
                "gig_id": gig_id,
                "skill": skill,
                "budget_type": p.budget_type,
                "currency": p.currency,
                "amount": p.amount,
                "source": p.source,
                "at": p.at,
            }
            for gig_id, skill, p in rows
        ]
        added = 0
        for start in range(0, len(values), CHUNK):
            added += await insert_ignore(
                self.session, MarketPrice, values[start : start + CHUNK], ["gig_id", "skill"]
            )
        return added

    async def prices(
        self, skill: str, now: datetime | None = None, days: int = MAX_DAYS
    ) -> list[Price]:
        """A skill's prices of the last `days` days (one index range scan)."""
        now = now or utcnow()
        rows = await self.session.execute(
            select(
                MarketPrice.budget_type,
                MarketPrice.currency,
                MarketPrice.amount,
                MarketPrice.source,
                MarketPrice.at,
            ).where(MarketPrice.skill == skill, MarketPrice.at >= now - timedelta(days=days))
        )
        return [Price(*row) for row in rows.all()]

    async def is_empty(self) -> bool:
        """True before any price was stored (the first start after the table came)."""
        return await self.session.scalar(select(MarketPrice.id).limit(1)) is None
