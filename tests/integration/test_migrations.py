"""The Alembic history creates exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.store.db import Database, alembic_config, downgrade_database
from bot.store.models import Base


async def test_models_and_migrations_agree(db: Database) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as connection:
        differences = await connection.run_sync(diff)
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert differences == []
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


async def test_upgrade_twice_is_harmless_and_reaches_head(db: Database) -> None:
    await db.upgrade()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    async with db.engine.connect() as connection:
        version = await connection.exec_driver_sql("SELECT version_num FROM alembic_version")
        assert [row[0] for row in version] == [head]


async def test_every_migration_downgrades_and_upgrades_again(db: Database) -> None:
    await downgrade_database(db.engine, "base")
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert not set(Base.metadata.tables) & tables
    await db.upgrade()
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables
