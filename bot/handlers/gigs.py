"""Buttons on alert cards that start tracking a gig (Applied, Save), and /applied."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain import tracking
from bot.domain.skill_of import matched_skill
from bot.handlers.common import Context, Handler, turn
from bot.handlers.common.cards import alerted_delivery, card_for, edit_quietly
from bot.handlers.common.steps import move_command, send_list
from bot.store.proposals_repo import DraftRepo
from bot.store.repos import SkillRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.render import ALL_LIST, APPLY_PREFIX, CARD, NOT_TRACKED, SAVE_PREFIX, with_undo

LIST_SIZE = 20


async def _start_from_card(update: Update, context: Context, status: str) -> None:
    query = update.callback_query
    assert query is not None
    prefix = APPLY_PREFIX if status == tracking.APPLIED else SAVE_PREFIX
    async with turn(update, context) as t:
        _ = t._
        delivery = await alerted_delivery(t, query, prefix)
        if delivery is None:
            return
        skills = await SkillRepo(t.session).list_for(t.user.id)
        skill = matched_skill(delivery.reasons, skills)
        repo = TrackingRepo(t.session)
        before = await repo.for_gig(t.user.id, delivery.gig_id)
        previous = before.status if before is not None else NOT_TRACKED
        app, changed = await repo.start_for_gig(t.user.id, delivery.gig, status, skill)
        if status == tracking.APPLIED:
            await DraftRepo(t.session).attach(app)
        text, keyboard = await card_for(t, app, delivery)
        if changed:
            keyboard = with_undo(
                keyboard, CARD, app, previous, t.user.language, grouped=delivery.grouped
            )
        if status == tracking.APPLIED:
            notice = (
                _("Marked as applied. Good luck!") if changed else _("Already marked as applied.")
            )
        else:
            notice = _("Saved. Find it with /saved.") if changed else _("Already saved.")
    await query.answer(notice)
    await edit_quietly(query, text, keyboard)


async def applied_button(update: Update, context: Context) -> None:
    """Record an application for the gig on the card and update the card in place."""
    await _start_from_card(update, context, tracking.APPLIED)


async def save_button(update: Update, context: Context) -> None:
    """Save the gig on the card for later and update the card in place."""
    await _start_from_card(update, context, tracking.SAVED)


async def applied_list(update: Update, context: Context) -> None:
    """List the user's applications with buttons; '/applied <id>' applies for a saved one."""
    if context.args:
        await move_command(update, context, tracking.APPLIED)
        return
    await send_list(update, context, ALL_LIST)


def handlers() -> list[Handler]:
    """/applied and the Applied and Save buttons of alert cards."""
    return [
        CommandHandler("applied", applied_list),
        CallbackQueryHandler(applied_button, pattern=f"^{APPLY_PREFIX}"),
        CallbackQueryHandler(save_button, pattern=f"^{SAVE_PREFIX}"),
    ]
