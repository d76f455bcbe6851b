"""Admin-only commands: /stats and /sources (health and terms of use of every source)."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.handlers.common import Context, Handler, reply, turn
from bot.store.models import SourceState, utcnow
from bot.store.repos import AdminRepo, SourceRepo
from bot.ui.i18n import Translate
from bot.ui.render import MESSAGE_LIMIT, visible_length
from bot.ui.terms_view import sources_terms_text


def source_line(state: SourceState, _: Translate) -> str:
    """One source's health in one line."""
    if state.disabled:
        mark = "⛔"
    elif state.consecutive_failures:
        mark = "⚠️"
    else:
        mark = "✅"
    seen = state.last_success_at.strftime("%Y-%m-%d %H:%M") if state.last_success_at else "—"
    line = _("{mark} {name}: last success {seen} UTC, {items} items, {ms} ms").format(
        mark=mark,
        name=escape(state.name),
        seen=seen,
        items=state.items_last_run,
        ms=state.latency_ms if state.latency_ms is not None else "—",
    )
    if state.consecutive_failures:
        line += "\n    " + _("{n} failures in a row: {error}").format(
            n=state.consecutive_failures, error=escape((state.last_error or "")[:200])
        )
    return line


async def sources(update: Update, context: Context) -> None:
    """Health of every source target, then each enabled source's terms of use."""
    async with turn(update, context) as t:
        _ = t._
        states = await SourceRepo(t.session).all()
        lines = [source_line(s, _) for s in states] or [_("No source has run yet.")]
        terms = sources_terms_text(t.runtime.plans.values(), t.user.language)
    health = "<b>" + escape(_("Sources")) + "</b>\n" + "\n".join(lines)
    if visible_length(health + "\n\n" + terms) <= MESSAGE_LIMIT:
        await reply(update, health + "\n\n" + terms)
        return
    await reply(update, health)
    await reply(update, terms)


async def stats(update: Update, context: Context) -> None:
    """Users, gigs and the outbox in numbers."""
    async with turn(update, context) as t:
        _ = t._
        repo = AdminRepo(t.session)
        users, active = await repo.user_counts()
        gigs, today = await repo.gig_counts(utcnow() - timedelta(days=1))
        outbox = await repo.outbox_counts()
    lines = [
        "<b>" + escape(_("Statistics")) + "</b>",
        _("Users: {total} ({active} active)").format(total=users, active=active),
        _("Gigs: {total} ({today} in the last 24 h)").format(total=gigs, today=today),
        _("Alerts: {states}").format(
            states=", ".join(f"{k} {v}" for k, v in sorted(outbox.items())) or "0"
        ),
    ]
    await reply(update, "\n".join(lines))


def handlers(admin_ids: list[int]) -> list[Handler]:
    """The admin commands, answering only the configured admins."""
    if not admin_ids:
        return []
    only_admins = filters.User(user_id=admin_ids)
    return [
        CommandHandler("stats", stats, filters=only_admins),
        CommandHandler("sources", sources, filters=only_admins),
    ]
