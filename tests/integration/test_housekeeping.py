"""Housekeeping purges old finished alerts and old unreferenced gigs, and nothing else."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.app.housekeeping import GIGS_KEEP, OUTBOX_KEEP, Purged, purge_old_rows
from bot.store.bulk import NewAlert
from bot.store.db import Database
from bot.store.models import Application, Delivery, Feedback, GigRow, utcnow
from bot.store.repos import DeliveryRepo, GigRepo
from tests.support.factories import gig, user_with_skills


async def test_old_finished_alerts_and_unreferenced_gigs_go(db: Database) -> None:
    now = utcnow()
    await user_with_skills(db, 1, "python")
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig(f"g{i}", f"Python job {i}") for i in range(7)])
        ids = [r.id for r in rows]
        await DeliveryRepo(session).enqueue(NewAlert(1, gig_id, 50, []) for gig_id in ids)
    old, recent = now - OUTBOX_KEEP - timedelta(days=1), now - OUTBOX_KEEP + timedelta(days=1)
    # Outbox: (gig index, status, created) — only finished rows past the retention go.
    outbox = {
        0: ("sent", old),
        1: ("failed", old),
        2: ("pending", old),
        3: ("held", old),
        4: ("sent", recent),
    }
    ancient = now - GIGS_KEEP - timedelta(days=1)
    async with db.transaction() as session:
        for index, (status, created) in outbox.items():
            await session.execute(
                update(Delivery)
                .where(Delivery.gig_id == ids[index])
                .values(status=status, created_at=created)
            )
        # Gigs 4, 5, 6 are past the retention; 5 is applied for, 6 has feedback.
        await session.execute(
            update(GigRow).where(GigRow.id.in_(ids[4:])).values(first_seen_at=ancient)
        )
        session.add(Application(user_id=1, gig_id=ids[5], title="t", status="applied"))
        session.add(Feedback(user_id=1, gig_id=ids[6], terms=["python"]))

    purged = await purge_old_rows(db, now, batch=1)  # batch 1: the batching loop is exercised

    async with db.transaction() as session:
        left = {
            gig_id: status
            for gig_id, status in await session.execute(select(Delivery.gig_id, Delivery.status))
        }
        gigs_left = set(await session.scalars(select(GigRow.id)))
    assert purged.deliveries == 2  # the sent and the failed row past 30 days
    assert purged.gigs == 1
    assert sorted(left) == [ids[2], ids[3], ids[5], ids[6]]  # gig 4's alert went with it
    assert gigs_left == set(ids) - {ids[4]}
    # A second run finds nothing more.
    assert await purge_old_rows(db, now) == Purged(0, 0)
