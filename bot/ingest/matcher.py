"""The process's matcher: an inverted index of every active user's profile, kept in step
with the database, and the step that turns new gigs into queued alerts."""

from __future__ import annotations

import asyncio
import gc
import logging
import queue
import sys
import time
from asyncio import Future
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from itertools import chain
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.market_stats import PRICED_TYPES, Price
from bot.domain.market_tags import MarketTagger, prices_of
from bot.domain.money import Rates
from bot.matching.index import MatchIndex
from bot.matching.profile import Filters, Profile, Skill
from bot.store.bulk import AlertGroup, refresh_outbox_statistics
from bot.store.db import Database
from bot.store.market_repo import MarketRepo
from bot.store.models import Feedback, GigRow, User, utcnow
from bot.store.models import Skill as SkillRow
from bot.store.repos import DeliveryRepo, GigRepo
from scrapers.model import Budget, BudgetType, Gig

log = logging.getLogger(__name__)
# Commits land a little after their updated_at was taken: look back this far on each sync.
SYNC_OVERLAP = timedelta(seconds=30)
# Gigs matched per transaction when catching up on gigs a failed run left unmatched.
PENDING_BATCH = 500


def gig_of(row: GigRow) -> Gig:
    """The normalised gig back from its stored row."""
    return Gig(
        source=row.source,
        external_id=row.external_id,
        title=row.title,
        url=row.url,
        text=row.text or "",
        budget=Budget(
            row.budget_min, row.budget_max, row.currency, BudgetType(row.budget_type or "unknown")
        ),
        posted_at=row.posted_at,
        tags=tuple(row.tags or ()),
        language=row.language,
        company=row.company,
        bids=row.bids,
        extra={k: str(v) for k, v in (row.extra or {}).items()},
        risk=tuple(row.risk or ()),
    )


# User columns a profile is made of, in the order `profile_from` reads them.
_USER_COLUMNS = (
    User.id,
    User.min_budget,
    User.currency,
    User.strict_budget,
    User.budget_types,
    User.exclude_words,
    User.languages,
    User.sources,
    User.max_bids,
    User.max_age_hours,
    User.employment_types,
    User.workplace_types,
    User.hide_risky,
    User.threshold,
)
_THRESHOLD, _SKILL_NAME, _SKILL_KEY = 13, 14, 15  # positions after the user columns
# Bytes of matched groups held before they are queued (bounds the memory of one run of gigs:
# a group is a bitset over every indexed user, 125 kB at a million users).
GROUP_BYTES = 64 * 2**20
# Rows read per round trip from a server-side cursor on a cold start (the loop turns each
# batch into rows at once: 5,000 held it for some 35 ms).
LOAD_BATCH = 2_000
# Batches of rows waiting for the index builder (bounds memory when it falls behind).
BUILD_QUEUE = 4
BULK_SWITCH_INTERVAL = 0.0005
# Deleted users are looked for at most this often: counting the users costs about a second at
# a million, and an alert to a deleted user is refused by the outbox anyway (foreign key).
GONE_CHECK_SECONDS = 60.0
_DEFAULT_FILTERS = Filters()


class _Interned:
    """Skills and filters shared by many users, built once: a million users mostly repeat a
    few hundred skill phrases and the default filters."""

    def __init__(self) -> None:
        self.skills: dict[tuple[str, str], Skill] = {}
        self.filters: dict[tuple[Any, ...], Filters] = {}

    def skill(self, name: str, key: str) -> Skill:
        """The one Skill of this name and key."""
        found = self.skills.get((name, key))
        if found is None:
            found = self.skills[(name, key)] = Skill(name, key)
        return found

    def filters_of(self, row: Sequence[Any]) -> Filters:
        """The one Filters of these stored filter columns (row: `_USER_COLUMNS` order)."""
        key: tuple[Any, ...] = tuple(
            tuple(v) if isinstance(v, list) else v for v in row[1:_THRESHOLD]
        )
        found = self.filters.get(key)
        if found is None:
            min_budget, currency, strict, types, exclude, languages, sources, bids, age = key[:9]
            employment, workplace, hide_risky = key[9:]
            found = Filters(
                min_budget=min_budget,
                currency=currency,
                strict_budget=bool(strict),
                budget_types=frozenset(types or ()),
                exclude=tuple(exclude or ()),
                languages=frozenset(languages or ()),
                sources=frozenset(sources or ()),
                max_bids=bids,
                max_age_hours=age,
                employment_types=frozenset(employment or ()),
                workplace_types=frozenset(workplace or ()),
                hide_risky=bool(hide_risky),
            )
            if found == _DEFAULT_FILTERS:
                found = _DEFAULT_FILTERS
            self.filters[key] = found
        return found


def profile_from(
    row: Sequence[Any],
    skills: Sequence[tuple[str, str]],
    presses: dict[str, int],
    interned: _Interned | None = None,
) -> Profile:
    """A user's matching profile from plain stored values: the user's row (`_USER_COLUMNS`
    order), their (name, key) skills and their feedback presses per term."""
    interned = interned or _Interned()
    threshold = row[_THRESHOLD]
    return Profile(
        row[0],
        tuple(interned.skill(name, key) for name, key in skills),
        interned.filters_of(row),
        **({"threshold": threshold} if threshold is not None else {}),
        feedback=presses,
    )


def profiles_of_rows(
    batches: Iterable[Sequence[Sequence[Any]]], feedback: dict[int, dict[str, int]]
) -> Iterator[Profile]:
    """Profiles from batches of joined (user columns…, skill name, skill key) rows ordered by
    user: one user's rows may straddle two batches."""
    interned = _Interned()
    current: Sequence[Any] | None = None
    skills: list[tuple[str, str]] = []
    for batch in batches:
        for row in batch:
            if current is None or row[0] != current[0]:
                if current is not None:
                    yield profile_from(current, skills, feedback.get(current[0], {}), interned)
                current, skills = row, []
            skills.append((row[_SKILL_NAME], row[_SKILL_KEY]))
    if current is not None:
        yield profile_from(current, skills, feedback.get(current[0], {}), interned)


def _wanted(changed_since: datetime | None) -> ColumnElement[bool]:
    wanted: ColumnElement[bool] = User.active.is_(True)
    if changed_since is not None:
        wanted = and_(wanted, User.updated_at >= changed_since)
    return wanted


def _profile_rows(changed_since: datetime | None) -> Select[*tuple[Any, ...]]:
    """Each wanted user's columns once per skill, ordered by user then skill: plain rows."""
    return (
        select(*_USER_COLUMNS, SkillRow.name, SkillRow.key)
        .join(SkillRow, SkillRow.user_id == User.id)
        .where(_wanted(changed_since))
        .order_by(User.id, SkillRow.id)
    )


async def load_feedback(
    session: AsyncSession, changed_since: datetime | None = None
) -> dict[int, dict[str, int]]:
    """Presses per term of every wanted user who pressed "Not relevant"."""
    presses: dict[int, dict[str, int]] = {}
    rows = await session.execute(
        select(Feedback.user_id, Feedback.terms)
        .join(User, User.id == Feedback.user_id)
        .where(_wanted(changed_since))
    )
    for user_id, terms in rows.all():
        mine = presses.setdefault(user_id, {})
        for term in terms or []:
            mine[term] = mine.get(term, 0) + 1
    return presses


async def load_profiles(
    session: AsyncSession, changed_since: datetime | None = None
) -> list[Profile]:
    """Profiles of active users with at least one skill: all of them, or only those whose
    row changed at or after `changed_since` (for the few a sync picks up; a cold start
    streams instead, see `Matcher`)."""
    feedback = await load_feedback(session, changed_since)
    rows = (await session.execute(_profile_rows(changed_since))).all()
    return list(profiles_of_rows([rows], feedback))


class Matcher:
    """One MatchIndex per process, re-synced from the database before each use.

    The first sync (a cold start) streams plain rows from a server-side cursor and builds
    the index in a worker thread, so the event loop keeps answering commands; matching also
    runs in a thread. One lock orders syncs and matches: the index is never read while it
    changes.
    """

    def __init__(self, db: Database, rates: Rates) -> None:
        self.db = db
        self.index = MatchIndex(rates)
        self._synced_at: datetime | None = None
        self._lock = asyncio.Lock()
        self.rates = rates
        # The market's own matcher (one profile per taxonomy skill), built on first use.
        self._market: MarketTagger | None = None
        self._market_lock = asyncio.Lock()
        # Seconds the last cold start spent reading rows, then finishing the index after
        # the last row arrived (building overlaps reading).
        self.cold_start_s: tuple[float, float] | None = None
        self.gone_check_seconds = GONE_CHECK_SECONDS
        self._gone_checked_at: float | None = None

    async def sync(self) -> None:
        """Bring the index up to date with users changed since the last sync."""
        async with self._lock:
            await self._sync()

    async def _sync(self) -> None:
        started = utcnow()
        if self._synced_at is None:
            await self._cold_start()
            # A cold start reads only users who exist: none is gone yet.
            self._synced_at, self._gone_checked_at = started, time.monotonic()
            return
        async with self.db.transaction() as session:
            since = self._synced_at - SYNC_OVERLAP
            changed = list(await session.scalars(select(User.id).where(User.updated_at >= since)))
            fresh = {p.user_id: p for p in await load_profiles(session, since)}
            for user_id in changed:
                if user_id in fresh:
                    self.index.update_user(fresh[user_id])
                else:
                    self.index.remove_user(user_id)
            checked = self._gone_checked_at
            if checked is None or time.monotonic() - checked >= self.gone_check_seconds:
                await self._drop_gone(session)
                self._gone_checked_at = time.monotonic()
        self._synced_at = started

    async def _drop_gone(self, session: AsyncSession) -> None:
        """Remove users deleted since the last sync (a deleted row leaves no updated_at).

        Counting is cheap and off the loop; only when the index holds more users than the
        database are the ids read, in batches.
        """
        has_skill = select(SkillRow.id).where(SkillRow.user_id == User.id).exists()
        indexable = select(func.count(User.id)).where(User.active.is_(True), has_skill)
        if (await session.scalar(indexable) or 0) >= len(self.index):
            return
        present: set[int] = set()
        result = await session.stream_scalars(
            select(User.id).where(User.active.is_(True)).execution_options(yield_per=LOAD_BATCH)
        )
        async for batch in result.partitions(LOAD_BATCH):
            present.update(batch)
        for user_id in self.index.indexed_user_ids() - present:
            self.index.remove_user(user_id)

    async def _cold_start(self) -> None:
        """Index every active user: rows stream in batches on the loop, a thread turns them
        into profiles and bulk-adds them while the next batch is read."""
        batches: queue.Queue[Sequence[Any] | None] = queue.Queue(maxsize=BUILD_QUEUE)

        def feed() -> Iterator[Sequence[Any]]:
            while (batch := batches.get()) is not None:
                yield batch

        began = time.perf_counter()
        async with _bulk_work(freeze=True), self.db.transaction() as session:
            feedback = await load_feedback(session)
            builder = asyncio.ensure_future(
                asyncio.to_thread(self.index.add_users, profiles_of_rows(feed(), feedback))
            )
            try:
                result = await session.stream(
                    _profile_rows(None).execution_options(yield_per=LOAD_BATCH)
                )
                async for batch in result.partitions(LOAD_BATCH):
                    await _hand_over(batches, batch, builder)
            except BaseException:
                await _hand_over(batches, None, builder)
                await asyncio.gather(builder, return_exceptions=True)
                # Half an index would match as if the others had no skills: start afresh.
                self.index = MatchIndex(self.index.rates, self.index.taxonomy)
                raise
            read = time.perf_counter()
            await _hand_over(batches, None, builder)
            await builder
        self.cold_start_s = (read - began, time.perf_counter() - read)

    async def queue_alerts(self, gigs: Sequence[GigRow]) -> int:
        """Match stored gigs against every profile, queue one alert per match and record the
        gigs as matched, all in one transaction. Returns the alerts added.

        Queueing is idempotent (one row per user and gig), so a gig matched twice — a retry
        after a failure, two processes — never alerts anyone twice.
        """
        added, rest = 0, list(gigs)
        # Gigs go in runs of at most GROUP_BYTES of matched groups, held until queued; the
        # index is synced once, before the first run.
        first = True
        while rest:
            groups, used = await self.alerts_for(rest, sync=first)
            added += await self.store_alerts(rest[:used], groups)
            rest, first = rest[used:], False
        return added

    async def alerts_for(
        self, gigs: Sequence[GigRow], max_bytes: int = GROUP_BYTES, sync: bool = True
    ) -> tuple[list[AlertGroup], int]:
        """The alerts of the first gigs, grouped, from an index synced first (unless `sync`
        is false), and how many gigs they cover: gigs are matched in order until the groups
        hold `max_bytes`. Matching runs in a thread, so the loop keeps running."""
        async with self._lock:
            if sync or self._synced_at is None:
                await self._sync()
            async with _bulk_work(freeze=False):
                return await asyncio.to_thread(self._match, gigs, max_bytes)

    async def store_alerts(self, gigs: Sequence[GigRow], groups: Iterable[AlertGroup]) -> int:
        """Queue the alerts of these gigs, store their prices per skill for /rates and
        record the gigs as matched, in one transaction; returns the alerts added."""
        prices = await self.market_prices(gigs)
        async with _bulk_work(freeze=False), self.db.transaction() as session:
            added = await DeliveryRepo(session).enqueue(chain.from_iterable(groups))
            await MarketRepo(session).record(prices)
            await GigRepo(session).mark_matched(row.id for row in gigs)
        async with self.db.transaction() as session:
            await refresh_outbox_statistics(session, added)
        return added

    async def market_prices(self, gigs: Sequence[GigRow]) -> list[tuple[int, str, Price]]:
        """(gig id, skill, price) for every priced gig and each taxonomy skill it matches,
        found in a thread by the same matcher as alerts."""
        if not any(row.budget_type in PRICED_TYPES and row.currency for row in gigs):
            return []
        async with self._market_lock:
            return await asyncio.to_thread(self._tag, gigs)

    def _tag(self, rows: Sequence[GigRow]) -> list[tuple[int, str, Price]]:
        if self._market is None:
            self._market = MarketTagger(self.rates)
        now = utcnow()
        found: list[tuple[int, str, Price]] = []
        for row in rows:
            try:
                skills = self._market.skills_of(gig_of(row), now)
            except Exception:
                log.exception("pricing gig %s failed; it is left out of the market", row.id)
                continue
            found.extend((row.id, skill, price) for skill, price in prices_of(row, skills))
        return found

    def _match(self, rows: Sequence[GigRow], max_bytes: int) -> tuple[list[AlertGroup], int]:
        """Alerts of the first gigs, grouped, up to about `max_bytes` of groups, and how many
        gigs (at least one) they cover (run in a thread, under the lock)."""
        now = utcnow()
        alerts: list[AlertGroup] = []
        used = held = 0
        for row in rows:
            if used and held >= max_bytes:
                break
            used += 1
            try:
                groups = self.index.match_groups(gig_of(row), now)
            except Exception:
                # It would fail the same way on every retry and hold up every gig after it:
                # this gig gets no alerts and counts as matched. Database errors, which a
                # retry can get past, roll the whole batch back instead.
                log.exception("matching gig %s failed; it is skipped", row.id)
                continue
            as_dict: dict[int, dict[str, str | int]] = {}  # by id: a gig's groups share reasons
            for group in groups:
                reasons = [
                    as_dict.get(id(r)) or as_dict.setdefault(id(r), r.as_dict())
                    for r in group.reasons
                ]
                alerts.append(AlertGroup(row.id, group.score, reasons, group))
                held += group.nbytes()
        return alerts, used

    async def match_pending(self, source: str, batch: int = PENDING_BATCH) -> int:
        """Match every gig of a source that was stored but not matched yet; alerts added.

        Call it while holding the source's scrape lock: then no other process is between
        storing and matching that source's gigs.
        """
        added = 0
        while True:
            async with self.db.transaction() as session:
                pending = await GigRepo(session).unmatched(source, batch)
            if not pending:
                return added
            added += await self.queue_alerts(pending)


@asynccontextmanager
async def _bulk_work(freeze: bool) -> AsyncIterator[None]:
    """Room for a thread making millions of objects: the cyclic garbage collector is paused
    (each full collection would walk them all with the GIL held: seconds of event-loop lag
    at a million users) and the GIL is handed back to the loop sooner than every 5 ms. With
    `freeze`, what was made stays out of later collections (a built index lives on)."""
    was_enabled, interval = gc.isenabled(), sys.getswitchinterval()
    gc.disable()
    sys.setswitchinterval(BULK_SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        if was_enabled:
            gc.enable()
        if freeze:
            gc.freeze()


async def _hand_over(
    batches: queue.Queue[Sequence[Any] | None], batch: Sequence[Any] | None, builder: Future[Any]
) -> None:
    """Put a batch (None: the end) in the builder's queue without blocking the loop; gives
    up when the builder stopped (its error is raised by awaiting it)."""
    while not builder.done():
        try:
            batches.put_nowait(batch)
            return
        except queue.Full:
            await asyncio.sleep(0.005)
