"""Migration 0008 numbers existing applications per user, oldest first; new ones follow."""

from __future__ import annotations

from sqlalchemy import select, text

from bot.store.db import Database, downgrade_database, upgrade_database
from bot.store.models import Application, GigRow
from bot.store.tracking_repo import TrackingRepo


async def test_existing_applications_get_per_user_numbers(db: Database) -> None:
    await downgrade_database(db.engine, "0005")
    async with db.engine.begin() as connection:
        for user in (1, 2):
            await connection.execute(
                text(
                    "INSERT INTO users (id, chat_id, first_name, language, timezone, currency, "
                    "active, created_at, paused, strict_budget, updated_at) VALUES "
                    "(:id, :id, 'A', 'en', 'Asia/Jakarta', 'IDR', true, CURRENT_TIMESTAMP, "
                    "false, false, CURRENT_TIMESTAMP)"
                ),
                {"id": user},
            )
        for user, title in [(1, "a1"), (2, "b1"), (1, "a2"), (2, "b2"), (2, "b3")]:
            await connection.execute(
                text(
                    "INSERT INTO applications (user_id, title, status, applied_at, updated_at, "
                    "note) VALUES (:user, :title, 'applied', CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP, '')"
                ),
                {"user": user, "title": title},
            )
    await upgrade_database(db.engine)
    async with db.transaction() as session:
        rows = await session.execute(
            select(Application.title, Application.number).order_by(Application.id)
        )
        assert rows.all() == [("a1", 1), ("b1", 1), ("a2", 2), ("b2", 2), ("b3", 3)]
        gig = GigRow(source="s", external_id="x", title="New gig", url="https://example.com/x")
        session.add(gig)
        await session.flush()
        app, created = await TrackingRepo(session).start_for_gig(1, gig, "applied")
        linked = await TrackingRepo(session).track_link(2, "Hand", "https://example.com/h", "saved")
        assert created and (app.number, linked.number) == (3, 4)
