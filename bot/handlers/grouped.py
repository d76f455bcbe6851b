"""Redrawing a grouped alert message after one of its gigs was acted on."""

from __future__ import annotations

from sqlalchemy import select
from telegram import InlineKeyboardMarkup

from bot.handlers.common import Turn
from bot.store.models import Application, Delivery, Feedback
from bot.ui.grouped import GroupItem, group_keyboard, group_text
from bot.ui.market_cache import MARKET, reason_skill


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
