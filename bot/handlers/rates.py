"""/rates <skill> and the 📈 buttons of /skills: the market of a skill from stored gigs."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.market_stats import market_of
from bot.domain.market_tags import market_skill, skill_by_id
from bot.domain.rate_advice import advise
from bot.handlers.common import Context, Handler, Turn, reply, turn
from bot.matching.taxonomy import load_taxonomy
from bot.matching.understand import closest_skills, skill_name
from bot.store.market_repo import MarketRepo
from bot.store.models import utcnow
from bot.store.repos import SkillRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.advice_view import advice_lines
from bot.ui.rates_view import RATES_PREFIX, rates_keyboard, rates_text


def _is_skill(skill_id: str) -> Callable[[str], bool]:
    """Whether a skill as the user named it is the taxonomy skill `skill_id`."""

    def check(name: str) -> bool:
        found = market_skill(name[:100])
        return found is not None and found.id == skill_id

    return check


async def answer_for(t: Turn, skill_id: str) -> str:
    """The /rates answer for a taxonomy skill: the market, then the user's own record."""
    now = utcnow()
    prices = await MarketRepo(t.session).prices(skill_id, now)
    current, wider = market_of(prices, now)
    found = skill_by_id(skill_id)
    name = skill_name(found, t.user.language) if found is not None else skill_id
    text = rates_text(
        name,
        current,
        wider,
        t.user.language,
        labels=t.runtime.labels,
        rates=t.runtime.rates,
        currency=t.user.currency,
    )
    bids = await TrackingRepo(t.session).decided_bids(t.user.id, skill_id, _is_skill(skill_id))
    market = [g for g in current if g.now is not None] or wider
    advice = advise(bids, market, t.runtime.rates)
    own = advice_lines(
        advice, name, t.user.language, rates=t.runtime.rates, currency=t.user.currency
    )
    return "\n".join([text, *own])


async def rates(update: Update, context: Context) -> None:
    """/rates <skill>: median and middle half of posted budgets, per budget type."""
    typed = " ".join(context.args or []).strip()
    async with turn(update, context) as t:
        _ = t._
        if not typed:
            markup = rates_keyboard(await SkillRepo(t.session).list_for(t.user.id), t.user.language)
            text = _("Which skill? For example: /rates logo design")
            await reply(update, escape(text), markup)
            return
        found = market_skill(typed[:100])
        if found is None:
            closest = [
                skill_name(s, t.user.language) for s in closest_skills(typed, load_taxonomy())
            ]
            text = _("I keep market rates for the skills I know, and “{skill}” is not one of them.")
            text = text.format(skill=typed[:60])
            if closest:
                text += " " + _("Did you mean: {skills}?").format(skills=", ".join(closest))
            await reply(update, escape(text))
            return
        text = await answer_for(t, found.id)
    await reply(update, text)


async def rates_button(update: Update, context: Context) -> None:
    """A 📈 button: the market of that skill as a new message."""
    query = update.callback_query
    assert query is not None
    skill_id = (query.data or "").removeprefix(RATES_PREFIX)
    async with turn(update, context) as t:
        if skill_by_id(skill_id) is None:
            await query.answer(t._("This button is not valid any more."), show_alert=True)
            return
        text = await answer_for(t, skill_id)
    await query.answer()
    await reply(update, text)


def handlers() -> list[Handler]:
    """/rates and its buttons."""
    return [
        CommandHandler("rates", rates),
        CallbackQueryHandler(rates_button, pattern=f"^{RATES_PREFIX}"),
    ]
