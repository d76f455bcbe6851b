"""Bulk queueing on PostgreSQL: alerts go in by COPY into a temporary table, then one
INSERT … SELECT … ON CONFLICT DO NOTHING moves them into the outbox, so queueing stays
idempotent (one row per user and gig) at a hundred thousand rows per gig."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Iterator, Sized
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Rows per COPY: asyncpg encodes a batch on the event loop, so batches stay small.
COPY_BATCH = 10_000
_STAGE = "outbox_incoming"
_COLUMNS = ("user_id", "gig_id", "score", "reasons", "status", "attempts", "next_attempt_at")
_CREATE_STAGE = f"""
CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} (
    user_id bigint NOT NULL, gig_id bigint NOT NULL, score integer NOT NULL,
    reasons json NOT NULL, status varchar(16) NOT NULL, attempts integer NOT NULL,
    next_attempt_at timestamptz NOT NULL
) ON COMMIT DELETE ROWS
"""
# Only active users get alerts (a user deleted a moment ago cannot: foreign key).
_MOVE = f"""
INSERT INTO deliveries ({", ".join(_COLUMNS)}, created_at)
SELECT {", ".join("s." + c for c in _COLUMNS)}, :now
FROM {_STAGE} AS s JOIN users AS u ON u.id = s.user_id AND u.active
ORDER BY s.user_id, s.gig_id
ON CONFLICT (user_id, gig_id) DO NOTHING
"""


def _records(alerts: Iterable[NewAlert], now: datetime) -> Iterator[tuple[Any, ...]]:
    # A gig's alerts share one reasons list per score group: encode each list once.
    encoded: dict[int, tuple[object, str]] = {}
    for a in alerts:
        cached = encoded.get(id(a.reasons))
        if cached is None or cached[0] is not a.reasons:
            cached = encoded[id(a.reasons)] = (a.reasons, json.dumps(a.reasons))
        yield (a.user_id, a.gig_id, a.score, cached[1], "pending", 0, now)


async def copy_alerts(session: AsyncSession, alerts: Iterable[NewAlert], now: datetime) -> int:
    """Queue alerts to active users on PostgreSQL within the session's transaction; returns
    rows added."""
    connection = await session.connection()
    # Through SQLAlchemy first: that begins the transaction the raw COPY then runs in.
    await connection.execute(text(_CREATE_STAGE))
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None  # a live asyncpg connection inside the transaction
    records = _records(alerts, now)
    staged = False
    # Each batch is encoded in a thread: a million rows would hold the event loop for seconds.
    while batch := await asyncio.to_thread(list, islice(records, COPY_BATCH)):
        if not staged:
            await connection.execute(text(f"TRUNCATE {_STAGE}"))
            staged = True
        await raw.copy_records_to_table(_STAGE, records=batch, columns=_COLUMNS)
    if not staged:
        return 0
    moved = await connection.execute(text(_MOVE), {"now": now})
    await connection.execute(text(f"TRUNCATE {_STAGE}"))
    return int(moved.rowcount or 0)


# A burst that adds this share of the outbox at once (and at least ANALYZE_MIN_ROWS rows)
# gets the outbox's planner statistics refreshed at once rather than whenever autovacuum
# comes by: plans made on the old row counts can be a thousand times slower.
ANALYZE_SHARE = 0.2
ANALYZE_MIN_ROWS = 500


async def refresh_outbox_statistics(session: AsyncSession, added: int) -> bool:
    """After a big bulk queue on PostgreSQL, ANALYZE the outbox; True when it did."""
    if added < ANALYZE_MIN_ROWS or session.get_bind().dialect.name != "postgresql":
        return False
    estimate = await session.scalar(
        text("SELECT reltuples FROM pg_class WHERE oid = 'deliveries'::regclass")
    )
    # reltuples is -1 for a table never analysed.
    if estimate is not None and estimate >= 0 and added < ANALYZE_SHARE * estimate:
        return False
    await session.execute(text("ANALYZE deliveries"))
    return True


@dataclass(frozen=True, slots=True)
class NewAlert:
    """A match to put in the outbox."""

    user_id: int
    gig_id: int
    score: int
    reasons: list[dict[str, str | int]]


class Members(Sized, Protocol):
    """Users a group of alerts goes to, resolved to ids only when the rows are made."""

    @property
    def user_ids(self) -> list[int]:
        """The users' ids."""
        ...


@dataclass(frozen=True, slots=True)
class AlertGroup:
    """One gig's alerts for users who share a score and reasons.

    At a million users one gig alerts up to a hundred thousand of them: a group holds them
    as one set, and the outbox rows are made one by one only as they are queued.
    """

    gig_id: int
    score: int
    reasons: list[dict[str, str | int]]
    members: Members

    def __len__(self) -> int:
        """The number of alerts."""
        return len(self.members)

    def __iter__(self) -> Iterator[NewAlert]:
        """One alert per user."""
        gig_id, score, reasons = self.gig_id, self.score, self.reasons
        for user_id in self.members.user_ids:
            yield NewAlert(user_id, gig_id, score, reasons)
