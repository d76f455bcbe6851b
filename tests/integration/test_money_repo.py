"""Money queries and account deletion on real SQLite and PostgreSQL databases."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select

from bot.store.bulk import NewAlert
from bot.store.db import Database
from bot.store.models import (
    Application,
    Delivery,
    Earning,
    Feedback,
    GigRow,
    Skill,
    User,
)
from bot.store.money_repo import AccountRepo, DeletedData, MoneyRepo
from bot.store.repos import DeliveryRepo, GigRepo
from tests.support.factories import gig, user_with_skills


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 5, tzinfo=UTC)


async def seed(db: Database, user_id: int) -> None:
    """A user with a skill, an alert, two applications (one paid), earnings and feedback."""
    await user_with_skills(db, user_id, "logo")
    async with db.transaction() as session:
        [row] = await GigRepo(session).upsert([gig(f"g{user_id}", "Logo kopi")])
        await DeliveryRepo(session).enqueue([NewAlert(user_id, row.id, 80, [])])
        session.add(Feedback(user_id=user_id, gig_id=row.id, terms=["logo"]))
        paid = Application(
            user_id=user_id,
            gig_id=row.id,
            title="Logo kopi",
            status="paid",
            skill="logo",
            applied_at=at(2),
            paid_at=at(9),
            currency="USD",
            received_amount=Decimal("20"),
        )
        won = Application(
            user_id=user_id,
            title="Artikel",
            status="won",
            applied_at=at(3),
            agreed_amount=Decimal("75000"),
            currency="IDR",
        )
        session.add_all([paid, won])
        await session.flush()
        session.add_all(
            [
                Earning(
                    user_id=user_id,
                    amount=Decimal("20"),
                    currency="USD",
                    earned_at=at(9),
                    application_id=paid.id,
                ),
                Earning(user_id=user_id, amount=Decimal("150000"), currency="IDR", earned_at=at(1)),
                Earning(user_id=user_id, amount=Decimal("5"), currency="IDR", earned_at=at(30, 10)),
            ]
        )


async def test_earnings_between_is_half_open_and_per_user(db: Database) -> None:
    await seed(db, 1)
    await seed(db, 2)
    async with db.transaction() as session:
        repo = MoneyRepo(session)
        november = await repo.earnings_between(1, at(1), at(1, 12))
        everything = await repo.earnings_between(1, None, None)
        until_first = await repo.earnings_between(1, None, at(1))
    assert [(e.amount, e.currency) for e in november] == [
        (Decimal("150000.00"), "IDR"),
        (Decimal("20.00"), "USD"),
    ]
    assert november[0].earned_at == at(1) and november[0].earned_at.tzinfo is not None
    assert len(everything) == 3
    assert [e.amount for e in until_first] == [Decimal("5.00")]


async def test_application_rows_and_their_linked_earnings(db: Database) -> None:
    await seed(db, 1)
    await seed(db, 2)
    async with db.transaction() as session:
        repo = MoneyRepo(session)
        rows = await repo.application_rows(1)
        paid_ids = [r.id for r in rows if r.status == "paid"]
        linked = await repo.earnings_of_applications(1, paid_ids)
        others = await repo.earnings_of_applications(2, paid_ids)
        none = await repo.earnings_of_applications(1, [])
    assert [(r.status, r.skill) for r in rows] == [("paid", "logo"), ("won", None)]
    assert rows[1].agreed_amount == Decimal("75000.00")
    assert [(e.amount, e.application_id) for e in linked] == [(Decimal("20.00"), paid_ids[0])]
    assert others == [] and none == []


async def test_export_queries_are_oldest_first(db: Database) -> None:
    await seed(db, 1)
    async with db.transaction() as session:
        repo = MoneyRepo(session)
        applications = await repo.applications_for_export(1)
        earnings = await repo.earnings_for_export(1)
    assert [a.title for a in applications] == ["Logo kopi", "Artikel"]
    assert [e.earned_at for e in earnings] == [at(30, 10), at(1), at(9)]


async def count(db: Database, model: type, user_id: int) -> int:
    async with db.transaction() as session:
        stmt = select(func.count()).select_from(model).where(model.user_id == user_id)  # type: ignore[attr-defined]
        return int(await session.scalar(stmt) or 0)


async def test_deleting_a_user_takes_everything_of_theirs_and_nothing_else(
    db: Database,
) -> None:
    await seed(db, 1)
    await seed(db, 2)
    async with db.transaction() as session:
        created = await AccountRepo(session).created_at(1)
        deleted = await AccountRepo(session).delete_user(1)
    assert created is not None and created.tzinfo is not None
    assert deleted == DeletedData(skills=1, alerts=1, applications=2, earnings=3, feedback=1)
    for model in (Skill, Delivery, Application, Earning, Feedback):
        assert await count(db, model, 1) == 0, model
        assert await count(db, model, 2) > 0, model
    async with db.transaction() as session:
        assert await session.get(User, 1) is None
        assert await session.get(User, 2) is not None
        # Gigs are shared listings, not the user's data: they stay.
        assert await session.scalar(select(func.count(GigRow.id))) == 2
        # A second delete finds nothing and changes nothing.
        assert await AccountRepo(session).delete_user(1) is None
        assert await AccountRepo(session).created_at(1) is None
