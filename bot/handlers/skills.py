"""/skills, /subscribe and /unsubscribe."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.handlers.common import Context, reply, turn
from bot.i18n import Translate
from bot.matching.taxonomy import load_taxonomy
from bot.matching.text import skill_key
from bot.matching.understand import skill_name, understand
from bot.render import clip
from bot.store.repos import SkillRepo

ADD_PREFIX = "skadd:"  # + a taxonomy skill id: subscribe to that skill
MAX_SHOWN = 6  # narrower skills named in the answer before "…"
MAX_BUTTONS = 6

MAX_SKILLS = 20
MAX_SKILL_LENGTH = 60
# One answer line per typed skill, at most this many (a message holds 4096 characters).
MAX_LINES = 20


def split_skills(raw: str) -> list[str]:
    """Skills separated by commas or new lines, trimmed, empties dropped."""
    parts = raw.replace("\n", ",").split(",")
    return [" ".join(p.split()) for p in parts if p.strip()]


def answer_lines(lines: list[str], _: Translate) -> list[str]:
    """At most MAX_LINES answer lines, then how many more there were."""
    if len(lines) <= MAX_LINES:
        return lines
    more = escape(_("…and {n} more.").format(n=len(lines) - MAX_LINES))
    return [*lines[:MAX_LINES], more]


def skill_problem(skill: str, _: Translate) -> str | None:
    """Why a typed skill cannot be used, or None when it is fine."""
    if len(skill) > MAX_SKILL_LENGTH:
        return _("“{skill}” is too long (at most {n} characters).").format(
            skill=escape(skill[:MAX_SKILL_LENGTH]) + "…", n=MAX_SKILL_LENGTH
        )
    if not skill_key(skill):
        return _("“{skill}” has no letters or digits to match on.").format(skill=escape(skill))
    return None


def understood_line(skill: str, language: str, _: Translate) -> tuple[str, list[str]]:
    """What the matcher will look for, in words, and the taxonomy ids to offer as buttons."""
    seen = understand(skill)
    if not seen.known:
        text = _("I don't know this skill yet, so I will match its words literally.")
        if seen.closest:
            names = ", ".join(skill_name(s, language) for s in seen.closest)
            text += " " + _("Closest known skills: {skills}.").format(skills=escape(names))
        return text, [s.id for s in seen.closest]
    names = ", ".join(skill_name(s, language) for s in seen.skills)
    if seen.covers:
        shown = [skill_name(s, language) for s in seen.covers[:MAX_SHOWN]]
        more = " …" if len(seen.covers) > MAX_SHOWN else ""
        text = _("I will look for {skills}, incl. {covers}.").format(
            skills=escape(names), covers=escape(", ".join(shown)) + more
        )
    else:
        text = _("I will look for {skills}.").format(skills=escape(names))
    return text, [s.id for s in seen.broader]


def add_buttons(skill_ids: list[str], language: str) -> InlineKeyboardMarkup | None:
    """One "➕ skill" button per suggested taxonomy skill (None when there is none)."""
    tax = load_taxonomy()
    ids = list(dict.fromkeys(skill_ids))[:MAX_BUTTONS]
    if not ids:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "➕ " + skill_name(tax.by_id(i), language), callback_data=ADD_PREFIX + i
                )
            ]
            for i in ids
        ]
    )


async def skills(update: Update, context: Context) -> None:
    """List the user's skills."""
    async with turn(update, context) as t:
        _ = t._
        rows = await SkillRepo(t.session).list_for(t.user.id)
    if not rows:
        await reply(update, _("You have no skills yet. Add one: /subscribe logo"))
        return
    listing = "\n".join(f"• {escape(s.name)}" for s in rows)
    await reply(update, "<b>" + escape(_("Your skills")) + "</b>\n" + listing)


async def subscribe(update: Update, context: Context) -> None:
    """Add one or more comma-separated skills."""
    raw = " ".join(context.args or [])
    async with turn(update, context) as t:
        _ = t._
        wanted = split_skills(raw)
        if not wanted:
            await reply(update, _("Tell me the skill, for example: /subscribe logo design"))
            return
        repo = SkillRepo(t.session)
        have = len(await repo.list_for(t.user.id))
        language = t.user.language
        lines: list[str] = []
        offers: list[str] = []
        for skill in wanted:
            problem = skill_problem(skill, _)
            if problem:
                lines.append("⚠️ " + problem)
            elif have >= MAX_SKILLS:
                lines.append(
                    "⚠️ "
                    + _(
                        "You already have {n} skills, the most allowed. "
                        "Remove one with /unsubscribe."
                    ).format(n=MAX_SKILLS)
                )
                break
            elif await repo.add(t.user.id, skill, skill_key(skill)):
                have += 1
                seen, offered = understood_line(skill, language, _)
                offers += offered
                lines.append(
                    "✅ "
                    + _(
                        "Subscribed to “{skill}”. I will alert you about new gigs that mention it."
                    ).format(skill=escape(skill))
                    + "\n    "
                    + seen
                )
            else:
                lines.append(
                    "ℹ️ " + _("You are already subscribed to “{skill}”.").format(skill=escape(skill))
                )
    text = "\n".join(answer_lines(lines, _))
    markup = add_buttons(offers, language)
    message = update.effective_message
    if markup is None or message is None:
        await reply(update, text)
        return
    await message.reply_text(
        text, parse_mode=ParseMode.HTML, disable_web_page_preview=True, reply_markup=markup
    )


async def add_suggested(update: Update, context: Context) -> None:
    """A "➕ skill" button: subscribe to that known skill under its name in the user's language."""
    query = update.callback_query
    assert query is not None
    skill_id = (query.data or "").removeprefix(ADD_PREFIX)
    known = {s.id: s for s in load_taxonomy().skills}
    async with turn(update, context) as t:
        _ = t._
        skill = known.get(skill_id)
        if skill is None:
            await query.answer(_("That button is out of date. Type /subscribe and the skill."))
            return
        name = skill_name(skill, t.user.language)
        repo = SkillRepo(t.session)
        if len(await repo.list_for(t.user.id)) >= MAX_SKILLS:
            text = _(
                "You already have {n} skills, the most allowed. Remove one with /unsubscribe."
            ).format(n=MAX_SKILLS)
        elif await repo.add(t.user.id, name, skill_key(name)):
            seen, _offers = understood_line(name, t.user.language, _)
            text = (
                _(
                    "Subscribed to “{skill}”. I will alert you about new gigs that mention it."
                ).format(skill=escape(name))
                + "\n"
                + seen
            )
        else:
            text = _("You are already subscribed to “{skill}”.").format(skill=escape(name))
    await query.answer()
    await reply(update, text)


def handlers() -> list[BaseHandler]:
    """The "➕ skill" buttons under a /subscribe answer."""
    return [CallbackQueryHandler(add_suggested, pattern=f"^{ADD_PREFIX}")]


async def unsubscribe(update: Update, context: Context) -> None:
    """Remove one or more skills."""
    raw = " ".join(context.args or [])
    async with turn(update, context) as t:
        _ = t._
        wanted = split_skills(raw)
        repo = SkillRepo(t.session)
        if not wanted:
            current = ", ".join(s.name for s in await repo.list_for(t.user.id))
            text = _("Tell me which skill to remove, for example: /unsubscribe logo")
            if current:
                text += "\n" + _("Your skills: {skills}").format(skills=escape(current))
            await reply(update, text)
            return
        have = {s.key for s in await repo.list_for(t.user.id)}
        lines = []
        for skill in wanted:
            shown = escape(clip(skill, MAX_SKILL_LENGTH))
            key = skill_key(skill)
            if key in have and await repo.remove(t.user.id, key):
                have.discard(key)
                lines.append("🗑 " + _("Unsubscribed from “{skill}”.").format(skill=shown))
            else:
                lines.append(
                    "ℹ️ "
                    + _("You were not subscribed to “{skill}”. See /skills.").format(skill=shown)
                )
    await reply(update, "\n".join(answer_lines(lines, _)))
