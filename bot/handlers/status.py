"""/status: what the bot is doing for the user, in one message."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from telegram import Update
from telegram.ext import CommandHandler

from bot.domain.dates import zone
from bot.domain.reports import period_start
from bot.domain.schedule_rules import (
    DIGEST,
    JAKARTA,
    LIMIT,
    PAUSED,
    QUIET,
    next_digest_at,
    quiet_until,
    ranges_of,
)
from bot.handlers.common import Context, Handler, Turn, reply, turn
from bot.handlers.common.profile import digest_label, local_moment, quiet_text
from bot.store.models import utcnow
from bot.store.outbox_repo import OutboxRepo
from bot.store.repos import EarningRepo, SkillRepo
from bot.store.settings_repo import HeldAlertRepo, SettingsRepo
from bot.ui.i18n import Translate, format_money
from bot.ui.queue_view import queue_line, sending_rate


def _start_of_today(timezone: str, now: datetime) -> datetime:
    local = now.astimezone(zone(timezone, JAKARTA))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _held_line(held: dict[str, int], _: Translate) -> str | None:
    total = sum(held.values())
    if not total:
        return None
    why = {
        PAUSED: _("paused"),
        QUIET: _("quiet hours"),
        DIGEST: _("digest"),
        LIMIT: _("limit"),
    }
    parts = [f"{why.get(r, r)}: {n}" for r, n in sorted(held.items())]
    return _("Held alerts: {n} ({reasons})").format(n=total, reasons=", ".join(parts))


async def status_text(t: Turn, now: datetime | None = None) -> str:
    """Skills, alerts, active gigs, earnings, quiet/digest and pause: what the user can act on.

    Source trouble is for admins (/sources), not something a user can fix."""
    _, user = t._, t.user
    now = now or utcnow()
    settings = SettingsRepo(t.session)
    skills = [s.name for s in await SkillRepo(t.session).list_for(user.id)]
    today = await settings.alerts_sent_since(user.id, _start_of_today(user.timezone, now))
    week_start = period_start("week", user.timezone, now) or now - timedelta(days=7)
    week = await settings.alerts_sent_since(user.id, week_start)
    active = await settings.active_gig_count(user.id)
    month = await EarningRepo(t.session).totals_since(
        user.id, period_start("month", user.timezone, now)
    )
    held = await HeldAlertRepo(t.session).count_by_reason(user.id)
    mine, ahead = await OutboxRepo(t.session).queue_position(user.id, now)

    listing = ", ".join(skills) if skills else _("none yet (add one with /subscribe logo)")
    if user.workload_limit:
        gigs = _("{n} of {limit}").format(n=active, limit=user.workload_limit)
    else:
        gigs = _("{n} (no limit)").format(n=active)
    earned = " · ".join(format_money(e.amount, e.currency, user.language) for e in month) or _(
        "nothing yet"
    )
    quiet = quiet_text(user, _)
    until = quiet_until(ranges_of(user.quiet_hours), user.timezone, now)
    if until is not None:
        quiet += " — " + _("quiet now, until {when}").format(when=local_moment(user, until))
    digest = digest_label(user, _)
    if user.digest_time:
        upcoming = next_digest_at(user.digest_time, user.timezone, now)
        digest += " — " + _("next: {when}").format(when=local_moment(user, upcoming))
    lines = [
        "📊 <b>" + escape(_("What I am doing for you")) + "</b>",
        "🔔 " + escape(_("Alerts: paused (/resume)") if user.paused else _("Alerts: on")),
        "🧰 " + escape(_("Skills: {skills}").format(skills=listing)),
        "📨 "
        + escape(_("Alerts sent: {today} today, {week} this week").format(today=today, week=week)),
        "📦 " + escape(_("Active gigs: {gigs}").format(gigs=gigs)),
        "💰 " + escape(_("Earned this month: {amounts}").format(amounts=earned)),
        "🌙 " + escape(_("Quiet hours: {quiet}").format(quiet=quiet)),
        "📰 " + escape(_("Digest: {digest}").format(digest=digest)),
    ]
    delivery = t.runtime.settings.delivery
    rate = sending_rate(delivery.paid_broadcast, delivery.paid_rate)
    queued = queue_line(mine, ahead, _, rate)
    if queued:
        lines.append("📬 " + escape(queued))
    held_line = _held_line(held, _)
    if held_line:
        lines.append("⏳ " + escape(held_line))
    lines.append(escape(_("Change things with /settings and /filters.")))
    return "\n".join(lines)


async def status(update: Update, context: Context) -> None:
    """/status."""
    async with turn(update, context) as t:
        text = await status_text(t)
    await reply(update, text)


def handlers() -> list[Handler]:
    """/status."""
    return [CommandHandler("status", status)]
