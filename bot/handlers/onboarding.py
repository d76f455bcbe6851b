"""The /start onboarding (language, skills, budget, time zone) and typed answers to its steps."""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler
from telegram.ext import filters as tg_filters

from bot.domain.settings_input import (
    ZONES,
    parse_budget,
    parse_currency,
    parse_zone,
    zone_label,
)
from bot.handlers.common import Context, Handler, Turn, turn
from bot.handlers.common.cards import edit_quietly
from bot.handlers.common.profile import (
    ASK_BUDGET,
    ASK_CURRENCY,
    ASK_ZONE,
    BUDGET,
    COMMON_SKILLS,
    DONE,
    FLOW,
    LANG,
    LANGUAGE_NAMES,
    PREFIX,
    PROMPT_LIFETIME,
    SKILLS,
    ZONE,
    _chosen,
    _skill_names,
    apply_budget,
    begin,
    budget_label,
    change_currency,
    done_text,
    set_min_budget,
    skill_name,
    step_view,
)
from bot.handlers.common.skills import MAX_SKILLS, answer_lines, skill_problem, split_skills
from bot.handlers.common.steps import answer_recent_prompt
from bot.matching.text import skill_key
from bot.store.models import User, utcnow
from bot.store.repos import SkillRepo
from bot.ui.i18n import translator


async def _advance(t: Turn, step: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """Move the user to `step` and return its view."""
    t.user.onboarding_step = step
    if step == DONE:
        return done_text(t.user, await _skill_names(t)), None
    return step_view(step, t.user, await _chosen(t), t.runtime.rates)


async def _toggle_skill(t: Turn, index: int, wanted: bool) -> None:
    name = skill_name(index, t.user.language)
    repo = SkillRepo(t.session)
    if wanted:
        if len(await repo.list_for(t.user.id)) < MAX_SKILLS:
            await repo.add(t.user.id, name, skill_key(name))
    else:
        await repo.remove(t.user.id, skill_key(name))


async def _on_step_button(
    t: Turn, parts: list[str]
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The next view after a button of the current step; None when the button is stale."""
    kind, value = parts[0], parts[1] if len(parts) > 1 else ""
    step = {"lang": LANG, "sk": SKILLS, "bud": BUDGET, "tz": ZONE}.get(kind)
    if step is None or t.user.onboarding_step != step:
        return None
    if kind == "lang":
        if value in LANGUAGE_NAMES:
            t.user.language = value
        return await _advance(t, SKILLS)
    if kind == "sk":
        if value == "done" or value == "skip":
            return await _advance(t, BUDGET)
        if value.startswith("u") and value[1:].isdecimal() and len(value) < 20:
            repo = SkillRepo(t.session)
            own = [sk for sk in await repo.list_for(t.user.id) if sk.id == int(value[1:])]
            if own:
                await repo.remove(t.user.id, own[0].key)
            return step_view(SKILLS, t.user, await _chosen(t))
        if not value.isdecimal() or int(value) >= len(COMMON_SKILLS) or len(parts) < 3:
            return None
        await _toggle_skill(t, int(value), parts[2] == "1")
        return step_view(SKILLS, t.user, await _chosen(t))
    if kind == "bud":
        apply_budget(t.user, value, t.runtime.rates)
        return await _advance(t, ZONE)
    if value in ZONES:
        t.user.timezone = ZONES[value]
    return await _advance(t, DONE)


async def on_button(update: Update, context: Context) -> None:
    """Any onboarding button: move through the steps, editing the same message."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").removeprefix(PREFIX).split(":")
    async with turn(update, context) as t:
        if parts[0] == "again":
            view: tuple[str, InlineKeyboardMarkup | None] | None = await begin(t)
        else:
            view = await _on_step_button(t, parts)
        _ = translator(t.user.language)
    if view is None:
        await query.answer(_("That step is done already. Send /start to see where you are."))
        return
    await query.answer()
    await edit_quietly(update.callback_query, *view)


SKIP_WORDS = frozenset({"skip", "lewati", "lewat", "nanti", "later"})
_LANGUAGE_WORDS = {
    "english": "en",
    "inggris": "en",
    "en": "en",
    "indonesia": "id",
    "bahasa indonesia": "id",
    "bahasa": "id",
    "id": "id",
}


async def _typed_step(t: Turn, step: str, text: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """Answer typed text at an onboarding step: the next step, or the same one with a hint."""
    _ = t._
    word = " ".join(text.casefold().split())
    if word in SKIP_WORDS:
        return await _advance(t, FLOW[FLOW.index(step) + 1] if step != ZONE else DONE)
    if step == LANG:
        if word in _LANGUAGE_WORDS:
            t.user.language = _LANGUAGE_WORDS[word]
            return await _advance(t, SKILLS)
        hint = _("Tap a language below, or type English or Indonesia.")
        view, markup = step_view(LANG, t.user, set())
        return "⚠️ " + escape(hint) + "\n\n" + view, markup
    if step == SKILLS:
        return await _typed_skills(t, text)
    if step == BUDGET:
        parsed = parse_budget(text, t.user.currency)
        if parsed is None:
            hint = _("I could not read that amount. Examples: 75rb, 1,5jt, 20 USD, or none.")
            view, markup = step_view(BUDGET, t.user, set(), t.runtime.rates)
            return "⚠️ " + escape(hint) + "\n\n" + view, markup
        if not set_min_budget(t.user, *parsed, t.runtime.rates):
            hint = _("I have no exchange rate for that currency. Type the amount in {currency}.")
            view, markup = step_view(BUDGET, t.user, set(), t.runtime.rates)
            return "⚠️ " + escape(hint.format(currency=t.user.currency)) + "\n\n" + view, markup
        return await _advance(t, ZONE)
    zone = parse_zone(text)
    if zone is None:
        hint = _("I don't know that time zone. Examples: WIB, WITA, WIT, Asia/Singapore.")
        view, markup = step_view(ZONE, t.user, set())
        return "⚠️ " + escape(hint) + "\n\n" + view, markup
    t.user.timezone = zone
    return await _advance(t, DONE)


async def _typed_skills(t: Turn, text: str) -> tuple[str, InlineKeyboardMarkup | None]:
    _ = t._
    repo = SkillRepo(t.session)
    lines = []
    for skill in split_skills(text):
        problem = skill_problem(skill, _)
        if problem:
            lines.append("⚠️ " + problem)
        elif len(await repo.list_for(t.user.id)) >= MAX_SKILLS:
            lines.append("⚠️ " + escape(_("That is the most skills I can follow.")))
            break
        else:
            await repo.add(t.user.id, skill, skill_key(skill))
            lines.append("✅ " + escape(_("Added “{skill}”.").format(skill=skill)))
    view, markup = step_view(SKILLS, t.user, await _chosen(t))
    return "\n".join([*answer_lines(lines, _), "", view]), markup


async def _typed_setting(t: Turn, step: str, text: str) -> str:
    """Answer a value typed after a settings button asked for it."""
    _ = t._
    if step == ASK_ZONE:
        zone = parse_zone(text)
        if zone is None:
            return "⚠️ " + escape(
                _("I don't know that time zone. Examples: WIB, WITA, WIT, Asia/Singapore.")
            )
        t.user.timezone = zone
        done = _("Time zone: {zone}").format(zone=zone_label(zone))
    elif step == ASK_BUDGET:
        parsed = parse_budget(text, t.user.currency)
        if parsed is None:
            return "⚠️ " + escape(
                _("I could not read that amount. Examples: 75rb, 1,5jt, 20 USD, or none.")
            )
        if not set_min_budget(t.user, *parsed, t.runtime.rates):
            hint = _("I have no exchange rate for that currency. Type the amount in {currency}.")
            return "⚠️ " + escape(hint.format(currency=t.user.currency))
        done = _("Minimum budget: {budget}").format(budget=budget_label(t.user, _))
    else:
        code = parse_currency(text)
        if code is None:
            return "⚠️ " + escape(_("Please type a three-letter currency code, e.g. IDR or USD."))
        done = change_currency(t.user, code, t.runtime.rates, _)
    t.user.onboarding_step, t.user.prompt_at = DONE, None
    return "✅ " + escape(done) + "\n" + escape(_("More settings: /settings"))


def prompt_expired(user: User, now: datetime) -> bool:
    """True when a /settings question was asked too long ago to read text as its answer."""
    return user.prompt_at is None or now - user.prompt_at > PROMPT_LIFETIME


async def text_input(update: Update, context: Context) -> None:
    """Typed answers to the step the user is on; other text falls through to later handlers."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if await answer_recent_prompt(update, context):
        raise ApplicationHandlerStop
    async with turn(update, context) as t:
        step = t.user.onboarding_step
        if step in FLOW:
            text, markup = await _typed_step(t, step, message.text)
        elif step in (ASK_ZONE, ASK_BUDGET, ASK_CURRENCY) and prompt_expired(t.user, utcnow()):
            t.user.onboarding_step, t.user.prompt_at = DONE, None
            expired = t._(
                "That question from /settings has expired (I wait 10 minutes for an answer). "
                "Open /settings again to change it."
            )
            text, markup = "⌛ " + escape(expired), None
        elif step in (ASK_ZONE, ASK_BUDGET, ASK_CURRENCY):
            text, markup = await _typed_setting(t, step, message.text), None
        else:
            return
    await message.reply_text(text, reply_markup=markup)
    raise ApplicationHandlerStop


def handlers() -> list[Handler]:
    """The onboarding buttons (any group)."""
    return [CallbackQueryHandler(on_button, pattern=f"^{PREFIX}")]


def input_handlers() -> list[Handler]:
    """Typed step answers: register in group -1, before the catch-all text handler."""
    return [
        MessageHandler(
            tg_filters.TEXT & ~tg_filters.COMMAND & tg_filters.ChatType.PRIVATE, text_input
        )
    ]
