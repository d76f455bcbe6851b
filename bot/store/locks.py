"""Cross-process locks: a PostgreSQL advisory lock per name, so two workers never overlap."""

from __future__ import annotations

import logging
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import ClassVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.db import Database

log = logging.getLogger(__name__)
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


class SenderLease:
    """Held by the one process that sends for a bot token: a PostgreSQL advisory lock kept
    on its own connection for the process's lifetime, so a second process with the same
    token never sends alongside (always held on SQLite, where one process does all)."""

    _held: ClassVar[dict[tuple[int, str], AsyncConnection]] = {}

    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self.name = name
        self._warned = False

    @property
    def _key(self) -> tuple[int, str]:
        return id(self.db.engine), self.name

    async def acquire(self) -> bool:
        """True when this process holds (or now takes) the lease."""
        if self.db.dialect != "postgresql" or self._key in self._held:
            return True
        connection = await self.db.engine.connect()
        got = await connection.scalar(
            text("SELECT pg_try_advisory_lock(:ns, :id)"),
            {"ns": _NAMESPACE, "id": lock_id(self.name)},
        )
        await connection.commit()
        if got:
            self._held[self._key] = connection
            return True
        await connection.close()
        if not self._warned:
            log.warning("another process sends for this bot token; this one waits")
            self._warned = True
        return False

    async def release(self) -> None:
        """Give the lease up (closing the connection would too)."""
        connection = self._held.pop(self._key, None)
        if connection is not None:
            await connection.execute(
                text("SELECT pg_advisory_unlock(:ns, :id)"),
                {"ns": _NAMESPACE, "id": lock_id(self.name)},
            )
            await connection.commit()
            await connection.close()
