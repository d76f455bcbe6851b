"""What /subscribe understood, and its buttons: add a skill, drop or restore the narrower ones."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.handlers.common import Context, reply, turn
from bot.matching.taxonomy import TaxonomySkill, load_taxonomy
from bot.matching.text import skill_key
from bot.matching.understand import Understanding, narrow_name, skill_name, understand
from bot.store.repos import SkillRepo
from bot.ui.i18n import Translate

ADD_PREFIX = "skadd:"  # + a taxonomy skill id: subscribe to that skill
ONLY_PREFIX = "skonly:"  # + id: keep that skill but drop the narrower skills it takes in
ALL_PREFIX = "skall:"  # + id: take the narrower skills in again
MAX_SHOWN = 6  # narrower skills named in the answer before "…"
MAX_BUTTONS = 6
MAX_SKILLS = 20  # a user's skills at most (also /subscribe's limit)

Button = tuple[str, str]  # label, callback data


def _names(skills: tuple[TaxonomySkill, ...], language: str, limit: int = MAX_SHOWN) -> str:
    """Skill names joined, with "…" past `limit`."""
    shown = ", ".join(skill_name(s, language) for s in skills[:limit])
    return shown + (" …" if len(skills) > limit else "")


def understood(skill: str, language: str, _: Translate) -> tuple[str, list[Button]]:
    """What the matcher will look for, in words, and the buttons to offer under it."""
    seen = understand(skill)
    if not seen.known:
        text = _("I don't know this skill yet, so I will match its words literally.")
        if seen.closest:
            text += " " + _("Closest known skills: {skills}.").format(
                skills=escape(_names(seen.closest, language))
            )
        return text, [("➕ " + skill_name(s, language), ADD_PREFIX + s.id) for s in seen.closest]
    names = escape(_names(seen.skills, language))
    buttons = [("➕ " + skill_name(s, language), ADD_PREFIX + s.id) for s in seen.broader]
    if seen.covers:
        text = _("I will look for {skills}, incl. {covers}.").format(
            skills=names, covers=escape(_names(seen.covers, language))
        )
        first = seen.skills[0]
        label = _("only {skill}").format(skill=skill_name(first, language))
        buttons.append(("➖ " + label, ONLY_PREFIX + first.id))
    elif seen.only:
        text = _("I will look for {skills} itself, without the narrower skills.").format(
            skills=names
        )
        first = seen.skills[0]
        label = _("with {covers}").format(covers=_names(narrower(first), language, 3))
        buttons.append(("➕ " + label, ALL_PREFIX + first.id))
    else:
        text = _("I will look for {skills}.").format(skills=names)
    return text, buttons


def narrower(skill: TaxonomySkill) -> tuple[TaxonomySkill, ...]:
    """The skills a taxonomy skill takes in when typed without "only"."""
    return understand(skill.name_en).covers


def keyboard(buttons: list[Button]) -> InlineKeyboardMarkup | None:
    """One button per row, each offer once (None when there is none)."""
    unique = list(dict.fromkeys(buttons))[:MAX_BUTTONS]
    if not unique:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in unique])


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


def handlers() -> list[BaseHandler]:
    """The buttons under a /subscribe answer."""
    return [
        CallbackQueryHandler(add_skill, pattern=f"^{ADD_PREFIX}"),
        CallbackQueryHandler(only_skill, pattern=f"^{ONLY_PREFIX}"),
        CallbackQueryHandler(all_of_skill, pattern=f"^{ALL_PREFIX}"),
    ]
