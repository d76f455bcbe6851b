"""The Applied button on alert cards, and /applied."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.handlers.common import Context, reply, turn
from bot.render import APPLY_PREFIX, alert_card, alert_keyboard, applications_text
from bot.store.repos import ApplicationRepo, DeliveryRepo, GigRepo


def parse_gig_id(data: str | None) -> int | None:
    """The gig id in 'ap:<id>' callback data, or None when the data is not ours."""
    if not data or not data.startswith(APPLY_PREFIX):
        return None
    value = data.removeprefix(APPLY_PREFIX)
    return int(value) if value.isdigit() and len(value) < 19 else None


async def applied_button(update: Update, context: Context) -> None:
    """Record an application for the gig on the card and update the card in place."""
    query = update.callback_query
    assert query is not None
    gig_id = parse_gig_id(query.data)
    async with turn(update, context) as t:
        _ = t._
        delivery = await DeliveryRepo(t.session).find(t.user.id, gig_id) if gig_id else None
        if delivery is None:
            # Only gigs that were alerted to this very user can be marked from a button.
            await query.answer(_("This button is not valid any more."), show_alert=True)
            return
        _app, created = await ApplicationRepo(t.session).record_for_gig(t.user.id, delivery.gig)
        also = (await GigRepo(t.session).also_listed([delivery.gig_id])).get(delivery.gig_id, [])
        card = alert_card(
            delivery.gig,
            delivery.reasons,
            t.user.language,
            labels=t.runtime.labels,
            also=also,
            applied=True,
        )
        keyboard = alert_keyboard(delivery.gig, t.user.language, applied=True)
        notice = _("Marked as applied. Good luck!") if created else _("Already marked as applied.")
    await query.answer(notice)
    try:
        await query.edit_message_text(
            card, parse_mode=ParseMode.HTML, reply_markup=keyboard, disable_web_page_preview=True
        )
    except BadRequest as exc:
        # Pressing twice fast: Telegram refuses an edit that changes nothing.
        if "not modified" not in exc.message.lower():
            raise


async def applied_list(update: Update, context: Context) -> None:
    """List the user's applications."""
    async with turn(update, context) as t:
        apps = await ApplicationRepo(t.session).list_for(t.user.id)
        text = applications_text(apps, t.user.language, t.user.timezone)
    await reply(update, text)
