"""Market prices stored when gigs are matched (same matcher as alerts) give the hand-computed
rates; templates, drafts and portfolio links kept per user (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.market_stats import Figures, groups
from bot.domain.money import Rates
from bot.ingest.market_backfill import backfill_market
from bot.ingest.matcher import Matcher
from bot.store.db import Database
from bot.store.market_repo import MarketRepo
from bot.store.models import Application
from bot.store.proposals_repo import DraftRepo, PortfolioRepo, TemplateRepo
from bot.store.repos import GigRepo
from tests.support.factories import user_with_skills
from tests.support.market import AFTER_ALL, micro_gigs

D = Decimal


async def test_matched_gigs_store_prices_that_give_the_hand_computed_rates(db: Database) -> None:
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert(micro_gigs())
    await Matcher(db, Rates()).queue_alerts(rows)
    async with db.transaction() as session:
        prices = await MarketRepo(session).prices("web_development", AFTER_ALL)
    # See tests/unit/test_market_stats.py for the hand computation over these seven listings.
    [group] = groups(prices, AFTER_ALL)
    assert group.now == Figures(7, D("1250000.00"), D("1237500.00"), D("2250000.00"))


async def test_backfill_prices_stored_gigs_once(db: Database) -> None:
    async with db.transaction() as session:
        await GigRepo(session).upsert(micro_gigs())  # stored, never matched
    matcher = Matcher(db, Rates())
    added = await backfill_market(db, matcher, days=100_000)
    assert added > 0
    assert await backfill_market(db, matcher, days=100_000) == 0  # not empty any more
    async with db.transaction() as session:
        prices = await MarketRepo(session).prices("android", AFTER_ALL)
    assert len(prices) == 9


async def test_templates_drafts_and_their_counts(db: Database) -> None:
    await user_with_skills(db, 501, "desain logo")
    async with db.transaction() as session:
        [gig] = await GigRepo(session).upsert(micro_gigs()[:1])
        repo = TemplateRepo(session)
        own = await repo.put(501, "logo_design", "desain logo", "id", "Halo {client}")
        await repo.put(501, "logo_design", "desain logo", "id", "Halo {client}, {title}")
        assert [t.text for t in await repo.list_for(501)] == ["Halo {client}, {title}"]
        await DraftRepo(session).record(501, gig.id, f"u:{own.id}")
        await DraftRepo(session).record(501, gig.id, f"u:{own.id}")  # twice: one row
        app = Application(user_id=501, gig_id=gig.id, title=gig.title, status="won")
        session.add(app)
        await session.flush()
        await DraftRepo(session).attach(app)
        assert app.template == f"u:{own.id}"
        app.replied_at = app.won_at = app.applied_at
        await session.flush()
        counts = await repo.counts(501)
    assert (counts[f"u:{own.id}"].uses, counts[f"u:{own.id}"].wins) == (1, 1)


async def test_portfolio_links_per_skill(db: Database) -> None:
    await user_with_skills(db, 502, "logo")
    async with db.transaction() as session:
        repo = PortfolioRepo(session)
        assert await repo.add(502, "https://behance.net/ana", "logo_design", "logo")
        assert not await repo.add(502, "https://behance.net/ana", "logo_design", "logo")
        assert await repo.add(502, "https://ana.my.id", None, None)
        assert await repo.for_skill(502, "logo_design") == [
            "https://behance.net/ana",
            "https://ana.my.id",
        ]
        assert await repo.for_skill(502, "translation") == ["https://ana.my.id"]
        first = (await repo.list_for(502))[0]
        assert await repo.remove(503, first.id) is None  # not theirs
        assert await repo.remove(502, first.id) is not None
        assert len(await repo.list_for(502)) == 1
