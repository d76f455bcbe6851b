""" "Not relevant" on an alert, its Undo, and /lowered to see and restore lowered terms."""

from __future__ import annotations

from html import escape

from sqlalchemy import delete, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.grouped import UNDO_PREFIX
from bot.handlers.common import Context, reply, turn
from bot.handlers.gigs import alerted_delivery
from bot.handlers.tracking import card_for, edit_quietly
from bot.matching.feedback import FEEDBACK_CODES, term_weight
from bot.render import NOT_RELEVANT_PREFIX, plain_text
from bot.store.models import Feedback
from bot.store.repos import insert_ignore


def feedback_terms(reasons: list[dict]) -> list[str]:
    """The matched terms of an alert that a "Not relevant" press lowers."""
    terms = [
        str(r["term"])
        for r in reasons
        if r.get("term") and r.get("code", "skill") in FEEDBACK_CODES
    ]
    return list(dict.fromkeys(terms))


async def not_relevant(update: Update, context: Context) -> None:
    """Lower the weight of what matched, show it on the card, offer Undo."""
    query = update.callback_query
    assert query is not None
    async with turn(update, context) as t:
        _ = t._
        delivery = await alerted_delivery(t, query, NOT_RELEVANT_PREFIX)
        if delivery is None:
            return
        terms = feedback_terms(delivery.reasons)
        await insert_ignore(
            t.session,
            Feedback,
            [{"user_id": t.user.id, "gig_id": delivery.gig_id, "terms": terms}],
            ["user_id", "gig_id"],
        )
        text, keyboard = await card_for(t, None, delivery)
        shown = ", ".join(f"“{escape(term)}”" for term in terms) or "—"
        lowered = _("Not relevant: {terms} will count less for you.").format(terms=shown)
        if not delivery.grouped:  # a grouped message marks the gig and offers Undo itself
            text += "\n🚫 " + lowered
            undo_data = f"{UNDO_PREFIX}{delivery.gig_id}"
            keyboard = InlineKeyboardMarkup(
                [[InlineKeyboardButton("↩️ " + _("Undo"), callback_data=undo_data)]]
            )
        notice = _("Thanks, I will show fewer gigs like this.")
    await query.answer(notice if not delivery.grouped else plain_text(lowered)[:190])
    await edit_quietly(query, text, keyboard)


async def undo(update: Update, context: Context) -> None:
    """Take a "Not relevant" press back and restore the card."""
    query = update.callback_query
    assert query is not None
    async with turn(update, context) as t:
        _ = t._
        delivery = await alerted_delivery(t, query, UNDO_PREFIX)
        if delivery is None:
            return
        await t.session.execute(
            delete(Feedback).where(
                Feedback.user_id == t.user.id, Feedback.gig_id == delivery.gig_id
            )
        )
        text, keyboard = await card_for(t, None, delivery)
    await query.answer(_("Undone."))
    await edit_quietly(query, text, keyboard)


async def lowered(update: Update, context: Context) -> None:
    """List the terms the user has lowered; `/lowered reset` restores them all."""
    reset = bool(context.args) and context.args[0].casefold() in ("reset", "ulang", "hapus")
    async with turn(update, context) as t:
        _ = t._
        rows = list(await t.session.scalars(select(Feedback).where(Feedback.user_id == t.user.id)))
        if reset:
            await t.session.execute(delete(Feedback).where(Feedback.user_id == t.user.id))
            text = _("Done: every lowered term counts fully again.")
        else:
            presses: dict[str, int] = {}
            for row in rows:
                for term in row.terms or []:
                    presses[term] = presses.get(term, 0) + 1
            if not presses:
                text = _("Nothing is lowered. “Not relevant” on an alert lowers what matched it.")
            else:
                lines = [
                    f"• “{escape(term)}” ×{term_weight(presses, term):.2g}"
                    for term in sorted(presses, key=lambda k: (-presses[k], k))
                ]
                text = (
                    "<b>"
                    + escape(_("Terms that count less for you"))
                    + "</b>\n"
                    + "\n".join(lines)
                    + "\n"
                    + escape(_("Restore them all with /lowered reset"))
                )
    await reply(update, text)


def handlers() -> list[BaseHandler]:
    """The Not relevant / Undo buttons and /lowered."""
    return [
        CallbackQueryHandler(not_relevant, pattern=f"^{NOT_RELEVANT_PREFIX}"),
        CallbackQueryHandler(undo, pattern=f"^{UNDO_PREFIX}"),
        CommandHandler("lowered", lowered),
    ]
