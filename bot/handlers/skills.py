"""/skills, /subscribe and /unsubscribe."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.handlers.common import Context, reply, turn
from bot.handlers.common.skills import (
    MAX_SKILL_LENGTH,
    MAX_SKILLS,
    Button,
    answer_lines,
    keyboard,
    skill_problem,
    split_skills,
    understood,
)
from bot.matching.text import skill_key
from bot.store.repos import SkillRepo
from bot.ui.rates_view import rates_keyboard
from bot.ui.render import clip


async def skills(update: Update, context: Context) -> None:
    """List the user's skills."""
    async with turn(update, context) as t:
        _ = t._
        rows = await SkillRepo(t.session).list_for(t.user.id)
        language = t.user.language
    if not rows:
        await reply(update, _("You have no skills yet. Add one: /subscribe logo"))
        return
    listing = "\n".join(f"• {escape(s.name)}" for s in rows)
    markup = rates_keyboard(rows, language)
    if markup is not None:
        listing += "\n" + escape(_("Market rates per skill: the 📈 buttons or /rates <skill>."))
    await reply(update, "<b>" + escape(_("Your skills")) + "</b>\n" + listing, markup)


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
        offers: list[Button] = []
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
                seen, offered = understood(skill, language, _)
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
    markup = keyboard(offers)
    message = update.effective_message
    if markup is None or message is None:
        await reply(update, text)
        return
    await message.reply_text(text, reply_markup=markup)


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
