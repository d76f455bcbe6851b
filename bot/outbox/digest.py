"""Which due alerts go now, which wait, and how they are put into messages.

For every claimed alert the user's rules decide: it waits (paused, daily digest, quiet
hours, at the workload limit: status "held" with its reason), or it goes now, alone or
grouped with the user's other due alerts (a burst, or held alerts released as a digest).
Held alerts become due again when their reason is over (`release_holds`); the same
sender then sends them, at the same pace, as one grouped message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.domain.money import Rates
from bot.domain.schedule_rules import (
    BATCH,
    BURST_WINDOW,
    DIGEST,
    LIMIT,
    PAUSED,
    QUIET,
    UserRules,
    digest_due,
    hold_reason,
    ranges_of,
    releasable,
)
from bot.store.db import Database
from bot.store.models import Delivery, User, utcnow
from bot.store.outbox_repo import OutboxRepo
from bot.store.repos import GigRepo
from bot.store.settings_repo import HeldAlertRepo, SettingsRepo
from bot.ui.grouped import GROUP_MAX, GroupItem, group_keyboard, group_text
from bot.ui.i18n import translator
from bot.ui.market_cache import MARKET, reason_skill
from bot.ui.render import alert_card, alert_keyboard

log = logging.getLogger(__name__)

RELEASE_INTERVAL_SECONDS = 30
RELEASE_CHUNK = 500
_WAITING = (DIGEST, QUIET, LIMIT)


def rules_for(user: User, active_gigs: int = 0) -> UserRules:
    """The hold rules of one user."""
    return UserRules(
        timezone=user.timezone,
        paused=bool(user.paused),
        quiet=tuple(ranges_of(user.quiet_hours)),
        digest_time=user.digest_time,
        last_digest_at=user.last_digest_at,
        workload_limit=user.workload_limit,
        active_gigs=active_gigs,
    )


def limit_notice(language: str, limit: int) -> str:
    """Told once when alerts start waiting because the user is at their limit."""
    _ = translator(language)
    return "📦 " + escape(
        _(
            "You have {n} active gigs, your limit. I will keep new alerts and send them "
            "together when you have room. Change it with /limit."
        ).format(n=limit)
    )


@dataclass
class Outgoing:
    """One message to send now: a single alert card or a grouped message."""

    user_id: int
    chat_id: int
    attempts: int
    text: str
    keyboard: InlineKeyboardMarkup
    delivery_ids: list[int]


@dataclass
class ClaimPlan:
    """What one claim decided."""

    claimed: int
    outgoing: list[Outgoing] = field(default_factory=list)


def _by_score(rows: Sequence[Delivery]) -> list[Delivery]:
    """The order of gigs in a grouped message (and of its redraws)."""
    return sorted(rows, key=lambda d: (-d.score, d.id))


class _Planner:
    """Decides, user by user, what of a claim goes now and in which messages."""

    def __init__(
        self,
        session: AsyncSession,
        now: datetime,
        labels: Mapping[str, str],
        rates: Rates | None,
    ) -> None:
        self.session = session
        self.now = now
        self.labels = labels
        self.rates = rates
        self.outgoing: list[Outgoing] = []

    async def plan(self, rows: Sequence[Delivery]) -> None:
        """Hold or send every claimed row."""
        by_user: dict[int, list[Delivery]] = {}
        for row in rows:
            by_user.setdefault(row.user_id, []).append(row)
        found = await self.session.scalars(select(User).where(User.id.in_(list(by_user))))
        users = {u.id: u for u in found}
        settings = SettingsRepo(self.session)
        active = await settings.active_gig_counts(users)
        recent = await settings.sent_counts_since(users, self.now - BURST_WINDOW)
        self.also = await GigRepo(self.session).also_listed({r.gig_id for r in rows})
        # At most one query per skill an hour: the cards below read the figures from memory.
        await MARKET.prepare(self.session, {reason_skill(r.reasons) for r in rows}, self.now)
        for user_id, mine in by_user.items():
            # Rendering a claim takes a while: let due sends go in between, so they are not
            # held up and then bunched past Telegram's limit.
            await asyncio.sleep(0)
            user = users.get(user_id)
            if user is None or not user.active:
                for row in mine:
                    row.status, row.last_error = "skipped", "user inactive"
                continue
            rules = rules_for(user, active.get(user_id, 0))
            await self._plan_user(user, rules, mine, recent.get(user_id, 0))

    async def _plan_user(
        self, user: User, rules: UserRules, rows: list[Delivery], recent: int
    ) -> None:
        released = [r for r in rows if r.held_reason]
        fresh = [r for r in rows if not r.held_reason]
        if rules.paused:
            for row in rows:
                row.status, row.held_reason = "held", row.held_reason or PAUSED
            return
        going = list(released)
        reason = None
        # Past the user's maximum gig age by now (a long backlog): not a late card each, but
        # one digest with the others the next time held alerts are let out.
        for row in [r for r in fresh if self._stale(user, r)]:
            row.status, row.held_reason = "held", DIGEST
        fresh = [r for r in fresh if not r.held_reason]
        if fresh:
            reason = hold_reason(rules, self.now, burst=len(rows) + recent)
            if reason in _WAITING:
                if reason == LIMIT and not await HeldAlertRepo(self.session).has_held(
                    user.id, LIMIT
                ):
                    await OutboxRepo(self.session).queue_notice(
                        user.chat_id,
                        limit_notice(user.language, rules.workload_limit or 0),
                        "limit",
                        user_id=user.id,
                    )
                for row in fresh:
                    row.status, row.held_reason = "held", reason
            else:
                going += fresh
        if not going:
            return
        if released or (reason == BATCH and len(going) > 1):
            for row in going:
                row.held_reason = row.held_reason or BATCH
            ordered = _by_score(going)
            for start in range(0, len(ordered), GROUP_MAX):
                self._group(user, ordered[start : start + GROUP_MAX])
        else:
            for row in going:
                self._single(user, row)

    def _stale(self, user: User, row: Delivery) -> bool:
        """True when the gig is now older than the user's maximum age."""
        if user.max_age_hours is None or row.gig is None:
            return False
        posted = row.gig.posted_at or row.gig.first_seen_at
        return self.now - posted > timedelta(hours=user.max_age_hours)

    def _claim(self, rows: Sequence[Delivery], grouped: bool) -> None:
        for row in rows:
            row.status, row.claimed_at, row.grouped = "sending", self.now, grouped

    def _single(self, user: User, row: Delivery) -> None:
        self._claim([row], grouped=False)
        text = alert_card(
            row.gig,
            row.reasons,
            user.language,
            labels=self.labels,
            also=self.also.get(row.gig_id, []),
            rates=self.rates,
            currency=user.currency,
            timezone=user.timezone,
            market=MARKET.card_line(
                row.gig, row.reasons, user.language, rates=self.rates, currency=user.currency
            ),
        )
        keyboard = alert_keyboard(row.gig, user.language)
        self.outgoing.append(
            Outgoing(user.id, user.chat_id, row.attempts, text, keyboard, [row.id])
        )

    def _group(self, user: User, rows: list[Delivery]) -> None:
        self._claim(rows, grouped=True)
        items = [
            GroupItem(
                row.gig,
                market=MARKET.card_line(
                    row.gig, row.reasons, user.language, rates=self.rates, currency=user.currency
                ),
            )
            for row in rows
        ]
        text = group_text(
            items,
            [r.held_reason for r in rows],
            user.language,
            labels=self.labels,
            rates=self.rates,
            currency=user.currency,
            timezone=user.timezone,
        )
        keyboard = group_keyboard(items, user.language)
        attempts = max(r.attempts for r in rows)
        ids = [r.id for r in rows]
        self.outgoing.append(Outgoing(user.id, user.chat_id, attempts, text, keyboard, ids))


async def plan_claim(
    session: AsyncSession,
    limit: int,
    *,
    labels: Mapping[str, str],
    rates: Rates | None,
    now: datetime | None = None,
    best_first: bool = False,
) -> ClaimPlan:
    """Claim due alerts (with every other due alert of the same users), hold what must
    wait, and render the messages that go now. Runs inside the claim transaction."""
    now = now or utcnow()
    rows = await OutboxRepo(session).claim_alerts(limit, now, best_first=best_first)
    planner = _Planner(session, now, labels, rates)
    if rows:
        await planner.plan(rows)
    return ClaimPlan(claimed=len(rows), outgoing=planner.outgoing)


async def _release_candidates(session: AsyncSession) -> list[int]:
    holding = await HeldAlertRepo(session).users_holding(exclude=[PAUSED])
    scheduled = await session.scalars(
        select(User.id).where(User.active.is_(True), User.digest_time.is_not(None))
    )
    return sorted({u.id for u in holding} | set(scheduled))


async def release_holds(db: Database, now: datetime | None = None) -> int:
    """Make due again every held alert whose reason is over at `now` (quiet time ended,
    digest time came, room below the limit); returns how many users get theirs."""
    now = now or utcnow()
    async with db.transaction() as session:
        candidates = await _release_candidates(session)
    released = 0
    for start in range(0, len(candidates), RELEASE_CHUNK):
        chunk = candidates[start : start + RELEASE_CHUNK]
        async with db.transaction() as session:
            users = await session.scalars(
                select(User).where(User.id.in_(chunk), User.active.is_(True))
            )
            active = await SettingsRepo(session).active_gig_counts(chunk)
            repo = OutboxRepo(session)
            for user in users:
                rules = rules_for(user, active.get(user.id, 0))
                if await repo.release(user.id, releasable(rules, now)):
                    released += 1
                if digest_due(user.digest_time, user.timezone, user.last_digest_at, now):
                    user.last_digest_at = now
    if released:
        log.info("held alerts released for %s users", released)
    return released
