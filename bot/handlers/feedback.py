""" "Not relevant" on an alert, its Undo, and /lowered to see and restore lowered terms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

from sqlalchemy import delete, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, Handler, reply, turn
from bot.handlers.common.cards import alerted_delivery, card_for, edit_quietly
from bot.handlers.common.profile import budget_buttons, budget_label
from bot.matching.feedback import FEEDBACK_CODES, term_weight
from bot.matching.text import skill_key
from bot.store.models import Feedback
from bot.store.repos import DeliveryRepo, SkillRepo, insert_ignore
from bot.ui.grouped import UNDO_PREFIX
from bot.ui.i18n import N_, Translate
from bot.ui.render import NOT_RELEVANT_PREFIX, clip

WHY_PREFIX = "nw:"
# Why a gig was not relevant: one tap each. Only "topic" lowers anything.
TOPIC, BUDGET, CLIENT, SEEN = "topic", "budget", "client", "seen"
WHY_CODES = {"t": TOPIC, "b": BUDGET, "c": CLIENT, "s": SEEN}
WHY_LABELS = {
    TOPIC: N_("Not my topic"),
    BUDGET: N_("Budget too low"),
    CLIENT: N_("Bad client"),
    SEEN: N_("Already seen"),
}


def feedback_terms(reasons: Sequence[Mapping[str, object]]) -> list[str]:
    """The matched terms of an alert (skill and related terms)."""
    terms = [
        str(r["term"])
        for r in reasons
        if r.get("term") and r.get("code", "skill") in FEEDBACK_CODES
    ]
    return list(dict.fromkeys(terms))


def topic_terms(reasons: Sequence[Mapping[str, object]], skill_keys: Iterable[str]) -> list[str]:
    """The matched terms that are the gig's topic, never words of the user's own skills."""
    own = {word for key in skill_keys for word in key.split()}
    return [t for t in feedback_terms(reasons) if not set(skill_key(t).split()) <= own]


def _undo_row(gig_id: int, _: Translate) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("↩️ " + _("Undo"), callback_data=f"{UNDO_PREFIX}{gig_id}")]


def why_keyboard(gig_id: int, _: Translate) -> InlineKeyboardMarkup:
    """One tap for why: topic, budget, client, already seen; and Undo."""
    buttons = [
        InlineKeyboardButton(_(WHY_LABELS[reason]), callback_data=f"{WHY_PREFIX}{gig_id}:{code}")
        for code, reason in WHY_CODES.items()
    ]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:], _undo_row(gig_id, _)])


async def not_relevant(update: Update, context: Context) -> None:
    """Mark the alert not relevant (nothing lowered yet) and ask why, with one tap."""
    query = update.callback_query
    assert query is not None
    async with turn(update, context) as t:
        _ = t._
        delivery = await alerted_delivery(t, query, NOT_RELEVANT_PREFIX)
        if delivery is None:
            return
        await insert_ignore(
            t.session,
            Feedback,
            [{"user_id": t.user.id, "gig_id": delivery.gig_id, "terms": [], "reason": None}],
            ["user_id", "gig_id"],
        )
        text, keyboard = await card_for(t, None, delivery)
        ask = escape(_("Not relevant. Why? One tap helps me learn the right thing."))
        grouped = delivery.grouped
        if not grouped:
            text += "\n🚫 " + ask
            keyboard = why_keyboard(delivery.gig_id, _)
        else:  # the grouped message marks the gig itself; the question comes on its own
            question = "🚫 " + escape(clip(delivery.gig.title, 120)) + "\n" + ask
        why_buttons = why_keyboard(delivery.gig_id, _)
    await query.answer(_("Thanks! Why was it not relevant?"))
    await edit_quietly(query, text, keyboard)
    if grouped and query.message is not None:
        await context.bot.send_message(query.message.chat.id, question, reply_markup=why_buttons)


def _parse_why(data: str | None) -> tuple[int, str] | None:
    parts = (data or "").removeprefix(WHY_PREFIX).split(":")
    if len(parts) != 2 or parts[1] not in WHY_CODES:
        return None
    if not (parts[0].isascii() and parts[0].isdigit() and len(parts[0]) < 19):
        return None
    return int(parts[0]), WHY_CODES[parts[1]]


def why_outcome(reason: str, terms: list[str], suggestion: str | None, _: Translate) -> str:
    """What the answer changed, in one or two lines."""
    if reason == TOPIC and terms:
        shown = ", ".join(f"“{t}”" for t in terms)
        return _(
            "Got it: {terms} will count less for you; your own skills stay as they are."
        ).format(terms=shown)
    if reason == TOPIC:
        text = _("Got it. Your own skills stay as they are.")
        if suggestion:
            text += " " + _("To skip gigs that mention a word: /filters exclude {word}").format(
                word=suggestion
            )
        return text
    if reason == BUDGET:
        return _(
            "Got it: nothing about your skills changes. Set the smallest budget you want below."
        )
    if reason == CLIENT:
        return _("Got it: that says nothing about your skills, so nothing changes.")
    return _("Got it: I will not count this against your skills.")


async def why(update: Update, context: Context) -> None:
    """The answer to "why not relevant": learn only what that reason says."""
    query = update.callback_query
    assert query is not None
    parsed = _parse_why(query.data)
    budget_prompt = None
    async with turn(update, context) as t:
        _ = t._
        delivery = await DeliveryRepo(t.session).find(t.user.id, parsed[0]) if parsed else None
        if parsed is None or delivery is None:
            await query.answer(_("This button is not valid any more."), show_alert=True)
            return
        reason = parsed[1]
        keys = [s.key for s in await SkillRepo(t.session).list_for(t.user.id)]
        terms = topic_terms(delivery.reasons, keys) if reason == TOPIC else []
        await t.session.execute(
            delete(Feedback).where(
                Feedback.user_id == t.user.id, Feedback.gig_id == delivery.gig_id
            )
        )
        t.session.add(
            Feedback(user_id=t.user.id, gig_id=delivery.gig_id, terms=terms, reason=reason)
        )
        suggestion = (
            _topic_word(delivery.gig.title, keys) if reason == TOPIC and not terms else None
        )
        outcome = why_outcome(reason, terms, suggestion, _)
        if delivery.grouped:  # answered on its own question message, not on the group
            text = "🚫 " + escape(clip(delivery.gig.title, 120))
        else:
            text, _keyboard = await card_for(t, None, delivery)
        text += "\n🚫 " + escape(outcome)
        keyboard = InlineKeyboardMarkup([_undo_row(delivery.gig_id, _)])
        if reason == BUDGET:
            rows = budget_buttons("se:bud:", _, t.user, t.runtime.rates)
            current = _("Minimum budget: {budget}").format(budget=budget_label(t.user, _))
            budget_prompt = (
                escape(current) + "\n" + escape(_("Or type e.g. /minbudget 300rb")),
                rows,
            )
    await query.answer(_("Thanks!"))
    await edit_quietly(query, text, keyboard)
    if budget_prompt is not None and query.message is not None:
        await context.bot.send_message(
            query.message.chat.id,
            "💰 " + budget_prompt[0],
            reply_markup=InlineKeyboardMarkup(budget_prompt[1]),
        )


def _topic_word(title: str, skill_keys: Iterable[str]) -> str | None:
    """A word of the title that is not one of the user's skill words, to suggest excluding."""
    own = {word for key in skill_keys for word in key.split()}
    words = [w for w in skill_key(title).split() if len(w) > 3 and w not in own and w.isalpha()]
    return words[0] if words else None


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
        keyboard: InlineKeyboardMarkup | None
        text, keyboard = await card_for(t, None, delivery)
        if delivery.grouped and query.message and query.message.message_id != delivery.message_id:
            # pressed on the separate "why" question: the grouped message stays where it is
            text, keyboard = "↩️ " + escape(clip(delivery.gig.title, 120)), None
    await query.answer(_("Undone."))
    await edit_quietly(query, text, keyboard)


async def lowered(update: Update, context: Context) -> None:
    """List the terms the user has lowered; `/lowered reset` restores them all."""
    reset = bool(context.args and context.args[0].casefold() in ("reset", "ulang", "hapus"))
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


def handlers() -> list[Handler]:
    """The Not relevant / Undo buttons and /lowered."""
    return [
        CallbackQueryHandler(not_relevant, pattern=f"^{NOT_RELEVANT_PREFIX}"),
        CallbackQueryHandler(undo, pattern=f"^{UNDO_PREFIX}"),
        CallbackQueryHandler(why, pattern=f"^{WHY_PREFIX}"),
        CommandHandler("lowered", lowered),
    ]
