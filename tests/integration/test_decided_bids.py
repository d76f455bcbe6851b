"""The user's decided bids for a skill, read for /rates advice on SQLite and PostgreSQL: which
applications count, and at which amount."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import tracking
from bot.domain.market_stats import Price
from bot.store.db import Database
from bot.store.market_repo import MarketRepo
from bot.store.models import utcnow
from bot.store.repos import GigRepo
from bot.store.tracking_repo import TrackingRepo
from tests.support.factories import gig, user_with_skills


def is_logo(name: str) -> bool:
    return name == "logo"


async def test_won_lost_and_skill_decide_what_counts(db: Database) -> None:
    await user_with_skills(db, 1, "logo")
    await user_with_skills(db, 2, "logo")
    now = utcnow()
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig(f"b{n}", f"Desain logo {n}") for n in range(6)])
        # Gig 4 is priced for logo design in the market; gig 5 for another skill only.
        await MarketRepo(session).record(
            [
                (rows[4].id, "logo_design", Price("fixed", "IDR", Decimal(325_000), "x", now)),
                (rows[5].id, "copywriting", Price("fixed", "IDR", Decimal(325_000), "x", now)),
            ]
        )
        repo = TrackingRepo(session)
        apps = []
        for n, row in enumerate(rows):
            skill = "logo" if n < 4 else None  # 4 and 5 were tracked without a skill
            app, _ = await repo.start_for_gig(1, row, tracking.APPLIED, skill)
            apps.append(app)
        other, _ = await repo.start_for_gig(2, rows[0], tracking.APPLIED, "logo")
        won = {"agreed_amount": Decimal(400_000), "currency": "IDR"}
        await repo.move(apps[0], tracking.WON, now, won)
        await repo.record_payment(apps[0], tracking.parse_paid(["400rb"], "IDR"), now)
        await repo.move(apps[1], tracking.LOST, now)
        await repo.move(apps[2], tracking.WITHDRAWN, now)  # withdrawn: not decided
        # apps[3] stays applied: open, not decided
        await repo.move(apps[4], tracking.LOST, now)  # no skill, priced for logo design
        await repo.move(apps[5], tracking.LOST, now)  # no skill, priced for copywriting only
        await repo.move(other, tracking.WON, now, won)  # another user's
    async with db.transaction() as session:
        bids = await TrackingRepo(session).decided_bids(1, "logo_design", is_logo)
    # The paid win at its agreed amount; losses at the gig's posted middle (150k–500k).
    assert sorted((b.won, b.amount, b.currency, b.budget_type) for b in bids) == [
        (False, Decimal("325000"), "IDR", "fixed"),
        (False, Decimal("325000"), "IDR", "fixed"),
        (True, Decimal("400000"), "IDR", "fixed"),
    ]
