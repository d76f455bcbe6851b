"""Upgrading to 0007: gigs stored before are not matched again; alerts leave groups."""

from __future__ import annotations

from sqlalchemy import text

from bot.store.db import Database, upgrade_database


async def test_upgrade_marks_old_gigs_matched_and_moves_alerts_to_private_chats(
    db_url: str,
) -> None:
    db = Database(db_url)
    try:
        await upgrade_database(db.engine, "0005")
        async with db.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO users (id, chat_id, first_name, language, timezone, currency, "
                    "active, paused, strict_budget, created_at, updated_at) VALUES "
                    "(11, -100123, 'Ana', 'en', 'Asia/Jakarta', 'IDR', :t, :f, :f, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
                    "(12, 12, 'Budi', 'en', 'Asia/Jakarta', 'IDR', :t, :f, :f, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"t": True, "f": False},
            )
            await connection.execute(
                text(
                    "INSERT INTO gigs (source, external_id, title, url, text, budget_type, "
                    "tags, extra, first_seen_at, updated_at) VALUES ('projects_co_id', 'old1', "
                    "'Logo', 'https://x.test/1', '', 'fixed', '[]', '{}', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
        await db.upgrade()
        async with db.engine.connect() as connection:
            chats = dict((await connection.execute(text("SELECT id, chat_id FROM users"))).all())
            pending = await connection.scalar(
                text("SELECT count(*) FROM gigs WHERE matched_at IS NULL")
            )
    finally:
        await db.close()
    assert chats == {11: 11, 12: 12}
    assert pending == 0
