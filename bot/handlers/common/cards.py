"""Alert cards shared by the handlers: drawing a gig's card (single or grouped), finding the
alert a button sits on, and editing a message in place."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import select
from telegram import Bot, CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.handlers.common import Turn
from bot.store.models import Application, Delivery, Feedback
from bot.store.repos import DeliveryRepo, GigRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.grouped import GroupItem, group_keyboard, group_text
from bot.ui.market_cache import MARKET, reason_skill
from bot.ui.render import (
    APPLY_PREFIX,
    alert_card,
    alert_keyboard,
    tracked_keyboard,
    tracked_text,
)


async def group_card(t: Turn, delivery: Delivery) -> tuple[str, InlineKeyboardMarkup]:
    """The grouped message `delivery` went out in, as it should look now: the same gigs in
    the same order, each with where it stands and its next buttons."""
    user = t.user
    rows = list(
        await t.session.scalars(
            select(Delivery)
            .where(
                Delivery.user_id == user.id,
                Delivery.message_id == delivery.message_id,
                Delivery.grouped.is_(True),
            )
            .order_by(Delivery.score.desc(), Delivery.id)
        )
    ) or [delivery]
    gig_ids = [r.gig_id for r in rows]
    apps = {
        a.gig_id: a
        for a in await t.session.scalars(
            select(Application).where(
                Application.user_id == user.id, Application.gig_id.in_(gig_ids)
            )
        )
    }
    lowered = set(
        await t.session.scalars(
            select(Feedback.gig_id).where(Feedback.user_id == user.id, Feedback.gig_id.in_(gig_ids))
        )
    )
    # At most one query per skill an hour; the lines themselves come from memory.
    await MARKET.prepare(t.session, {reason_skill(r.reasons) for r in rows})
    items = [
        GroupItem(
            r.gig,
            apps.get(r.gig_id),
            r.gig_id in lowered,
            MARKET.card_line(
                r.gig, r.reasons, user.language, rates=t.runtime.rates, currency=user.currency
            ),
        )
        for r in rows
    ]
    text = group_text(
        items,
        [r.held_reason for r in rows],
        user.language,
        labels=t.runtime.labels,
        rates=t.runtime.rates,
        currency=user.currency,
        timezone=user.timezone,
    )
    return text, group_keyboard(items, user.language)


@dataclass
class CardEdit:
    """A card to redraw after a move: where it is and what it should show."""

    chat_id: int
    message_id: int
    text: str
    keyboard: InlineKeyboardMarkup | None


async def card_for(
    t: Turn, app: Application | None, delivery: Delivery | None
) -> tuple[str, InlineKeyboardMarkup]:
    """The card of a tracked gig: the alert card when it was alerted, else a short one.
    An alert that went out grouped with others redraws its whole grouped message."""
    user = t.user
    if delivery is None:
        assert app is not None, "a card without an alert needs its application"
        return tracked_text(app, user.language, user.timezone), tracked_keyboard(app, user.language)
    if delivery.grouped:
        return await group_card(t, delivery)
    also = (await GigRepo(t.session).also_listed([delivery.gig_id])).get(delivery.gig_id, [])
    await MARKET.prepare(t.session, [reason_skill(delivery.reasons)])
    market = MARKET.card_line(
        delivery.gig,
        delivery.reasons,
        user.language,
        rates=t.runtime.rates,
        currency=user.currency,
    )
    text = alert_card(
        delivery.gig,
        delivery.reasons,
        user.language,
        labels=t.runtime.labels,
        also=also,
        rates=t.runtime.rates,
        currency=user.currency,
        timezone=user.timezone,
        application=app,
        market=market,
    )
    return text, alert_keyboard(delivery.gig, user.language, application=app)


async def edit_quietly(
    target: object, text: str, keyboard: InlineKeyboardMarkup | None, **where: int
) -> None:
    """Edit a message (via a CallbackQuery or a Bot); an identical edit is not an error."""
    try:
        await target.edit_message_text(  # type: ignore[attr-defined]
            text,
            reply_markup=keyboard,
            **where,
        )
    except BadRequest as exc:
        # A second press: Telegram refuses an edit that changes nothing.
        if "not modified" not in exc.message.lower():
            raise


async def on_grouped_message(t: Turn, app: Application) -> bool:
    """Whether the gig's alert went out in a grouped message."""
    delivery = await TrackingRepo(t.session).card_of(t.user.id, app.gig_id)
    return delivery is not None and delivery.grouped


async def card_edit(t: Turn, app: Application) -> CardEdit | None:
    """The alert card to redraw after `app` moved, if its alert was sent."""
    delivery = await TrackingRepo(t.session).card_of(t.user.id, app.gig_id)
    if delivery is None or delivery.message_id is None:
        return None
    text, keyboard = await card_for(t, app, delivery)
    return CardEdit(t.user.chat_id, delivery.message_id, text, keyboard)


async def redraw(bot: Bot, card: CardEdit | None) -> None:
    """Bring the alert card up to date; a deleted or too old card is simply left alone."""
    if card is None:
        return
    with contextlib.suppress(BadRequest, Forbidden):
        await edit_quietly(
            bot, card.text, card.keyboard, chat_id=card.chat_id, message_id=card.message_id
        )


def parse_gig_id(data: str | None, prefix: str = APPLY_PREFIX) -> int | None:
    """The gig id in '<prefix><id>' callback data, or None when the data is not ours."""
    if not data or not data.startswith(prefix):
        return None
    value = data.removeprefix(prefix)
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


async def alerted_delivery(t: Turn, query: CallbackQuery, prefix: str) -> Delivery | None:
    """The alert a card button belongs to, only when it went to this very user; otherwise
    the press is answered as not valid and None is returned."""
    gig_id = parse_gig_id(query.data, prefix)
    delivery = await DeliveryRepo(t.session).find(t.user.id, gig_id) if gig_id else None
    if delivery is None:
        await query.answer(t._("This button is not valid any more."), show_alert=True)
    return delivery
