"""The process's matcher: an inverted index of every active user's profile, kept in step
with the database, and the step that turns new gigs into queued alerts."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.matching.index import MatchIndex
from bot.matching.profile import Filters, Profile, Skill
from bot.money import Rates
from bot.store.db import Database
from bot.store.models import Feedback, GigRow, User, utcnow
from bot.store.models import Skill as SkillRow
from bot.store.repos import DeliveryRepo, GigRepo, NewAlert, UserRepo
from scrapers.model import Budget, BudgetType, Gig

log = logging.getLogger(__name__)
# Commits land a little after their updated_at was taken: look back this far on each sync.
SYNC_OVERLAP = timedelta(seconds=30)
# Gigs matched per transaction when catching up on gigs a failed run left unmatched.
PENDING_BATCH = 500


def profile_of(user: User, skills: Sequence[SkillRow], feedback: Iterable[Feedback]) -> Profile:
    """A user's matching profile from their stored preferences, skills and feedback."""
    presses: dict[str, int] = {}
    for row in feedback:
        for term in row.terms or []:
            presses[term] = presses.get(term, 0) + 1
    filters = Filters(
        min_budget=user.min_budget,
        currency=user.currency,
        strict_budget=user.strict_budget,
        budget_types=frozenset(user.budget_types or ()),
        exclude=tuple(user.exclude_words or ()),
        languages=frozenset(user.languages or ()),
        sources=frozenset(user.sources or ()),
        max_bids=user.max_bids,
        max_age_hours=user.max_age_hours,
    )
    return Profile(
        user.id,
        tuple(Skill(s.name, s.key) for s in skills),
        filters,
        **({"threshold": user.threshold} if user.threshold is not None else {}),
        feedback=presses,
    )


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
    )


async def load_profiles(
    session: AsyncSession, changed_since: datetime | None = None
) -> list[Profile]:
    """Profiles of active users with at least one skill: all of them, or only those whose
    row changed at or after `changed_since`.

    Skills and feedback are read by joining on the same condition, so the queries carry a
    fixed number of parameters however many users there are.
    """
    wanted = User.active.is_(True)
    if changed_since is not None:
        wanted = and_(wanted, User.updated_at >= changed_since)
    users = {u.id: u for u in await session.scalars(select(User).where(wanted))}
    if not users:
        return []
    skills: dict[int, list[SkillRow]] = {}
    for skill in await session.scalars(
        select(SkillRow).join(User, User.id == SkillRow.user_id).where(wanted).order_by(SkillRow.id)
    ):
        skills.setdefault(skill.user_id, []).append(skill)
    feedback: dict[int, list[Feedback]] = {}
    for row in await session.scalars(
        select(Feedback).join(User, User.id == Feedback.user_id).where(wanted)
    ):
        feedback.setdefault(row.user_id, []).append(row)
    return [
        profile_of(user, skills[user_id], feedback.get(user_id, []))
        for user_id, user in users.items()
        if user_id in skills
    ]


class Matcher:
    """One MatchIndex per process, re-synced from the database before each use."""

    def __init__(self, db: Database, rates: Rates) -> None:
        self.db = db
        self.index = MatchIndex(rates.for_matching())
        self._synced_at: datetime | None = None

    async def sync(self) -> None:
        """Bring the index up to date with users changed since the last sync."""
        started = utcnow()
        async with self.db.transaction() as session:
            if self._synced_at is None:
                self.index.add_users(await load_profiles(session))
            else:
                since = self._synced_at - SYNC_OVERLAP
                changed = list(
                    await session.scalars(select(User.id).where(User.updated_at >= since))
                )
                fresh = {p.user_id: p for p in await load_profiles(session, since)}
                for user_id in changed:
                    if user_id in fresh:
                        self.index.update_user(fresh[user_id])
                    else:
                        self.index.remove_user(user_id)
                present = set(await session.scalars(select(User.id).where(User.active.is_(True))))
                for user_id in self.index.indexed_user_ids() - present:
                    self.index.remove_user(user_id)
        self._synced_at = started

    async def queue_alerts(self, gigs: Sequence[GigRow]) -> int:
        """Match stored gigs against every profile, queue one alert per match and record the
        gigs as matched, all in one transaction. Returns the alerts added.

        Queueing is idempotent (one row per user and gig), so a gig matched twice — a retry
        after a failure, two processes — never alerts anyone twice.
        """
        if not gigs:
            return 0
        await self.sync()
        now = utcnow()
        alerts: list[NewAlert] = []
        for row in gigs:
            try:
                groups = self.index.match_groups(gig_of(row), now)
            except Exception:
                # It would fail the same way on every retry and hold up every gig after it:
                # this gig gets no alerts and counts as matched. Database errors, which a
                # retry can get past, roll the whole batch back instead.
                log.exception("matching gig %s failed; it is skipped", row.id)
                continue
            for group in groups:
                reasons = [dict(r.as_dict()) for r in group.reasons]
                alerts.extend(NewAlert(u, row.id, group.score, reasons) for u in group.user_ids)
        async with self.db.transaction() as session:
            # A user deleted a moment ago must not get an alert (and cannot: foreign key).
            live = await UserRepo(session).active_among({a.user_id for a in alerts})
            added = await DeliveryRepo(session).enqueue(a for a in alerts if a.user_id in live)
            await GigRepo(session).mark_matched(row.id for row in gigs)
        return added

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
