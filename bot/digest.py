"""Held alerts: deciding holds for the outbox, and sending them later as one digest message."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.i18n import translator
from bot.render import budget_text
from bot.runtime import runtime_of
from bot.schedule_rules import (
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
from bot.store.settings_repo import HeldAlertRepo, SettingsRepo

log = logging.getLogger(__name__)

DIGEST_INTERVAL_SECONDS = 60
DIGEST_MAX_ITEMS = 15
TITLE_LIMIT = 100
# A mixed digest is introduced by the most telling reason.
_HEADING_ORDER = (DIGEST, PAUSED, QUIET, LIMIT, BATCH)


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


def _heading(reasons: set[str], count: int, language: str) -> str:
    _ = translator(language)
    reason = next((r for r in _HEADING_ORDER if r in reasons), BATCH)
    text = {
        DIGEST: _("Your digest: {n} new gigs"),
        PAUSED: _("Gigs that came in while you were paused: {n}"),
        QUIET: _("Quiet time is over. Gigs that came in meanwhile: {n}"),
        LIMIT: _("You have room for a new gig. Gigs held while you were at your limit: {n}"),
        BATCH: _("{n} new gigs just came in"),
    }[reason]
    return text.format(n=count)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def digest_text(
    deliveries: Sequence[Delivery],
    language: str,
    *,
    labels: Mapping[str, str],
    max_items: int = DIGEST_MAX_ITEMS,
) -> str:
    """One message listing held alerts, best first: title, source, budget and link."""
    _ = translator(language)
    ordered = sorted(deliveries, key=lambda d: (-d.score, d.id))
    reasons = {d.held_reason or BATCH for d in ordered}
    lines = ["📬 <b>" + escape(_heading(reasons, len(ordered), language)) + "</b>"]
    for number, delivery in enumerate(ordered[:max_items], start=1):
        gig = delivery.gig
        title = escape(_clip(gig.title, TITLE_LIMIT))
        if gig.url.startswith(("https://", "http://")):
            title = f'<a href="{escape(gig.url, quote=True)}">{title}</a>'
        label = escape(labels.get(gig.source, gig.source))
        lines.append(f"{number}. {title}\n    📍 {label} · 💰 {escape(budget_text(gig, language))}")
    rest = len(ordered) - max_items
    if rest > 0:
        lines.append(escape(_("…and {n} more.").format(n=rest)))
    return "\n".join(lines)


async def send_digest(
    bot: Bot,
    session: AsyncSession,
    user: User,
    deliveries: Sequence[Delivery],
    labels: Mapping[str, str],
) -> bool:
    """Send held alerts as few messages as possible (DIGEST_MAX_ITEMS each, best first) and
    mark each message's alerts sent; nothing is left out. False when nothing went out."""
    ordered = sorted(deliveries, key=lambda d: (-d.score, d.id))
    sent_any = False
    for start in range(0, len(ordered), DIGEST_MAX_ITEMS):
        chunk = ordered[start : start + DIGEST_MAX_ITEMS]
        text = digest_text(chunk, user.language, labels=labels)
        try:
            message = await bot.send_message(
                user.chat_id, text, parse_mode=ParseMode.HTML, disable_web_page_preview=True
            )
        except Forbidden:
            user.active = False
            user.inactive_since = utcnow()
            return sent_any
        except TelegramError as exc:
            # The rest stays held and goes with the next digest run.
            log.warning("digest for user %s not sent (will retry): %s", user.id, exc)
            return sent_any
        await HeldAlertRepo(session).mark_sent([d.id for d in chunk], message.message_id)
        sent_any = True
    return sent_any


async def _limit_notice(bot: Bot, user: User, limit: int) -> None:
    _ = translator(user.language)
    text = "📦 " + escape(
        _(
            "You have {n} active gigs, your limit. I will keep new alerts and send them "
            "together when you have room. Change it with /limit."
        ).format(n=limit)
    )
    try:
        await bot.send_message(user.chat_id, text, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.warning("limit notice for user %s not sent: %s", user.id, exc)


@dataclass
class HoldPlan:
    """For one outbox pass: which due alerts wait, and what to send after the pass."""

    reasons: dict[int, str]
    limit_notice: set[int] = field(default_factory=set)
    batches: dict[int, list[Delivery]] = field(default_factory=dict)

    async def hold(self, session: AsyncSession, delivery: Delivery) -> bool:
        """Mark the alert held when it must wait; True when it must not be sent now."""
        reason = self.reasons.get(delivery.id)
        if reason is None:
            return False
        delivery.status = "held"
        delivery.held_reason = reason
        if reason == BATCH:
            self.batches.setdefault(delivery.user_id, []).append(delivery)
        return True

    async def finish(
        self,
        bot: Bot,
        session: AsyncSession,
        users: Mapping[int, User | None],
        labels: Mapping[str, str],
    ) -> None:
        """Send each burst as one message, and tell users once that they reached the limit."""
        await session.flush()
        for user_id, deliveries in self.batches.items():
            user = users.get(user_id)
            if user is not None and user.active:
                await send_digest(bot, session, user, deliveries, labels)
        for user_id in self.limit_notice:
            user = users.get(user_id)
            if user is not None and user.active and user.workload_limit:
                await _limit_notice(bot, user, user.workload_limit)


async def plan_holds(
    session: AsyncSession,
    batch: Sequence[Delivery],
    users: Mapping[int, User | None],
    now: datetime | None = None,
) -> HoldPlan:
    """Decide, for every due alert of a pass, whether it goes now or waits, and why."""
    now = now or utcnow()
    present = {uid: u for uid, u in users.items() if u is not None and u.active}
    repo = SettingsRepo(session)
    active = await repo.active_gig_counts(present)
    recent = await repo.sent_counts_since(present, now - BURST_WINDOW)
    due = Counter(d.user_id for d in batch)
    plan = HoldPlan(reasons={})
    held = HeldAlertRepo(session)
    for user_id, user in present.items():
        rules = rules_for(user, active.get(user_id, 0))
        reason = hold_reason(rules, now, burst=due[user_id] + recent.get(user_id, 0))
        if reason is None:
            continue
        if reason == LIMIT and not await held.has_held(user_id, LIMIT):
            plan.limit_notice.add(user_id)
        for delivery in batch:
            if delivery.user_id == user_id:
                plan.reasons[delivery.id] = reason
    return plan


async def _digest_candidates(session: AsyncSession) -> list[int]:
    holding = await HeldAlertRepo(session).users_holding(exclude=[PAUSED])
    scheduled = await session.scalars(
        select(User.id).where(User.active.is_(True), User.digest_time.is_not(None))
    )
    return sorted({u.id for u in holding} | set(scheduled))


async def run_digests(
    bot: Bot, db: Database, labels: Mapping[str, str], now: datetime | None = None
) -> int:
    """Send every digest that is due at `now`; returns how many messages went out."""
    now = now or utcnow()
    async with db.transaction() as session:
        candidates = await _digest_candidates(session)
    sent = 0
    for user_id in candidates:
        async with db.transaction() as session:
            user = await session.get(User, user_id)
            if user is None or not user.active:
                continue
            rules = rules_for(user, await SettingsRepo(session).active_gig_count(user_id))
            due = digest_due(user.digest_time, user.timezone, user.last_digest_at, now)
            held = await HeldAlertRepo(session).held_for(user_id, releasable(rules, now))
            if held and await send_digest(bot, session, user, held, labels):
                sent += 1
            elif held:
                continue  # not sent: keep the digest due so the next run tries again
            if due:
                user.last_digest_at = now
    return sent


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job callback (every DIGEST_INTERVAL_SECONDS): send the digests that are due."""
    runtime = runtime_of(context.bot_data)
    sent = await run_digests(context.bot, runtime.db, runtime.labels)
    if sent:
        log.info("digests sent: %s", sent)
