"""Cross-process locks: a PostgreSQL advisory lock per name, so two workers never overlap."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text

from bot.store.db import Database

_NAMESPACE = 0x5A4B  # keeps our advisory lock ids apart from other applications' ids


def lock_id(name: str) -> int:
    """A stable 32-bit id for a lock name."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


@asynccontextmanager
async def advisory_lock(db: Database, name: str) -> AsyncIterator[bool]:
    """Yield True when this process holds the lock `name` (always True on SQLite,
    where one process does all the work), False when another process holds it."""
    if db.dialect != "postgresql":
        yield True
        return
    async with db.engine.connect() as connection:
        got = await connection.scalar(
            text("SELECT pg_try_advisory_lock(:ns, :id)"), {"ns": _NAMESPACE, "id": lock_id(name)}
        )
        try:
            yield bool(got)
        finally:
            if got:
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:ns, :id)"),
                    {"ns": _NAMESPACE, "id": lock_id(name)},
                )
            await connection.commit()
