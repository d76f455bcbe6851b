"""What /subscribe understood, and its buttons: add a skill, drop or restore the narrower ones."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.handlers.common import Context, Handler, reply, turn
from bot.handlers.common.skills import (
    ADD_PREFIX,
    ALL_PREFIX,
    MAX_SKILLS,
    ONLY_PREFIX,
    understood,
)
from bot.matching.taxonomy import load_taxonomy
from bot.matching.text import skill_key
from bot.matching.understand import Understanding, narrow_name, skill_name, understand
from bot.store.repos import SkillRepo


async def _press(update: Update, context: Context, prefix: str) -> None:
    """Any of the three buttons: add, narrow or widen a subscription."""
    query = update.callback_query
    assert query is not None
    skill = {s.id: s for s in load_taxonomy().skills}.get((query.data or "").removeprefix(prefix))
    async with turn(update, context) as t:
        _, language = t._, t.user.language
        if skill is None:
            await query.answer(_("That button is out of date. Type /subscribe and the skill."))
            return
        repo = SkillRepo(t.session)
        have = await repo.list_for(t.user.id)
        if prefix == ADD_PREFIX:
            name = skill_name(skill, language)
            if len(have) >= MAX_SKILLS:
                text = _(
                    "You already have {n} skills, the most allowed. Remove one with /unsubscribe."
                ).format(n=MAX_SKILLS)
                await query.answer()
                await reply(update, text)
                return
        else:
            # Replace the subscriptions that read as this skill (with or without "only").
            want_only = prefix == ONLY_PREFIX
            name = narrow_name(skill, language) if want_only else skill_name(skill, language)
            for row in have:
                seen: Understanding = understand(row.name)
                if skill in seen.skills and seen.only != want_only:
                    await repo.remove(t.user.id, row.key)
        if await repo.add(t.user.id, name, skill_key(name)):
            line, _buttons = understood(name, language, _)
            text = (
                _(
                    "Subscribed to “{skill}”. I will alert you about new gigs that mention it."
                ).format(skill=escape(name))
                + "\n"
                + line
            )
        else:
            text = _("You are already subscribed to “{skill}”.").format(skill=escape(name))
    await query.answer()
    await reply(update, text)


async def add_skill(update: Update, context: Context) -> None:
    """➕ a suggested skill: subscribe to it under its name in the user's language."""
    await _press(update, context, ADD_PREFIX)


async def only_skill(update: Update, context: Context) -> None:
    """➖ the narrower skills: keep the skill itself only ("JavaScript only")."""
    await _press(update, context, ONLY_PREFIX)


async def all_of_skill(update: Update, context: Context) -> None:
    """➕ the narrower skills again ("JavaScript", incl. React, Vue …)."""
    await _press(update, context, ALL_PREFIX)


def handlers() -> list[Handler]:
    """The buttons under a /subscribe answer."""
    return [
        CallbackQueryHandler(add_skill, pattern=f"^{ADD_PREFIX}"),
        CallbackQueryHandler(only_skill, pattern=f"^{ONLY_PREFIX}"),
        CallbackQueryHandler(all_of_skill, pattern=f"^{ALL_PREFIX}"),
    ]
