"""Fill the market (/rates) from gigs stored before prices were kept: once, when it is empty."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from telegram.ext import ContextTypes

from bot.app.runtime import runtime_of
from bot.domain.market_stats import MAX_DAYS, PRICED_TYPES
from bot.ingest.matcher import Matcher
from bot.store.db import Database
from bot.store.market_repo import MarketRepo
from bot.store.models import GigRow, utcnow

log = logging.getLogger(__name__)
BATCH = 500
FIRST_SECONDS = 20  # after start-up, so the first scrapes go first


async def backfill_market(db: Database, matcher: Matcher, days: int = MAX_DAYS) -> int:
    """Price the priced gigs of the last `days` days when no price is stored yet; rows added.

    Runs in batches by id; two processes doing it at once only repeat work (one row per gig
    and skill)."""
    async with db.transaction() as session:
        if not await MarketRepo(session).is_empty():
            return 0
    since, after, added = utcnow() - timedelta(days=days), 0, 0
    while True:
        async with db.transaction() as session:
            rows = list(
                await session.scalars(
                    select(GigRow)
                    .where(
                        GigRow.id > after,
                        GigRow.first_seen_at >= since,
                        GigRow.budget_type.in_(PRICED_TYPES),
                        GigRow.currency.is_not(None),
                    )
                    .order_by(GigRow.id)
                    .limit(BATCH)
                )
            )
        if not rows:
            break
        after = rows[-1].id
        prices = await matcher.market_prices(rows)
        async with db.transaction() as session:
            added += await MarketRepo(session).record(prices)
    if added:
        log.info("market: %d prices from stored gigs", added)
    return added


async def backfill_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one-off job that fills the market after start-up."""
    runtime = runtime_of(context.bot_data)
    await backfill_market(runtime.db, runtime.matcher)
