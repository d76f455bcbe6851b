"""/templates, /template <skill>: <text>, and the ✍️ Draft button of alert cards."""

from __future__ import annotations

import re
from html import escape

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.market_tags import market_skill
from bot.domain.proposals import (
    MAX_TEMPLATE,
    PLACEHOLDERS,
    TemplateError,
    builtin,
    placeholders_in,
)
from bot.domain.skill_of import matched_skill
from bot.handlers.common import Context, Handler, reply, turn
from bot.handlers.common.cards import alerted_delivery
from bot.store.proposals_repo import DraftRepo, PortfolioRepo, TemplateCounts, TemplateRepo
from bot.store.repos import SkillRepo
from bot.ui.drafts import choose, draft_message, template_skill
from bot.ui.i18n import Translate
from bot.ui.render import DRAFT_PREFIX, clip

SPLIT = re.compile(r"\s*[:\n]\s*")
RESET_WORDS = {"reset", "hapus", "default", "bawaan"}
PREVIEW = 90


def valid_list() -> str:
    """The placeholders a template may use, as typed."""
    return " ".join("{" + name + "}" for name in PLACEHOLDERS)


def _counts_line(counts: TemplateCounts | None, _: Translate) -> str:
    counts = counts or TemplateCounts(0, 0, 0)
    return _("used {uses} · replies {replies} · wins {wins}").format(
        uses=counts.uses, replies=counts.replies, wins=counts.wins
    )


async def templates(update: Update, context: Context) -> None:
    """List the user's templates and the built-in ones for their skills, with their results."""
    async with turn(update, context) as t:
        _, language = t._, t.user.language
        own = await TemplateRepo(t.session).list_for(t.user.id)
        counts = await TemplateRepo(t.session).counts(t.user.id)
        skills = await SkillRepo(t.session).list_for(t.user.id)
    lines = ["✍️ <b>" + escape(_("Your proposal templates")) + "</b>"]
    covered = set()
    built_in = _("built-in")
    for row in own:
        covered.add(row.skill)
        lines.append(
            f"• <b>{escape(row.name)}</b> ({row.language}): "
            + escape(clip(row.text, PREVIEW))
            + "\n    "
            + escape(_counts_line(counts.get(f"u:{row.id}"), _))
        )
    for skill in skills:
        found = market_skill(skill.name)
        key = found.id if found is not None else None
        if (key or skill.key) in covered:
            continue
        covered.add(key or skill.key)
        chosen = builtin(key, language)
        lines.append(
            f"• <b>{escape(skill.name)}</b> ({escape(built_in)}): "
            + escape(clip(chosen.text, PREVIEW))
            + "\n    "
            + escape(_counts_line(counts.get(chosen.key), _))
        )
    if len(lines) == 1:
        lines.append(escape(_("No skills yet: add one with /subscribe, then press ✍️ Draft.")))
    lines.append("")
    lines.append(escape(_("Set your own: /template logo design: Hi {client}, …")))
    lines.append(escape(_("Placeholders: {list}").format(list=valid_list())))
    await reply(update, "\n".join(lines))


def _problem(text: str, _: Translate) -> str | None:
    if len(text) > MAX_TEMPLATE:
        return _("A template can have at most {n} characters.").format(n=MAX_TEMPLATE)
    try:
        placeholders_in(text)
    except TemplateError as error:
        if error.broken:
            why = _("A brace is not closed: write placeholders like {title}.")
        else:
            why = _("I don't know {unknown}.").format(unknown=", ".join(error.unknown))
        return why + " " + _("Valid placeholders: {list}").format(list=valid_list())
    return None


async def template(update: Update, context: Context) -> None:
    """/template <skill>: <text> sets the user's template for a skill in their language."""
    message = update.effective_message
    raw = (message.text or "") if message else ""
    raw = raw.partition(" ")[2] if " " in raw.split("\n")[0] else raw.partition("\n")[2]
    async with turn(update, context) as t:
        _ = t._
        parts = SPLIT.split(raw.strip(), maxsplit=1)
        typed = parts[0].strip() if parts else ""
        text = parts[1].strip() if len(parts) > 1 else ""
        if not typed or len(typed) > 60:
            await reply(update, escape(_usage(_)))
            return
        key = template_skill(typed)[0]
        repo = TemplateRepo(t.session)
        if not text:
            own = await repo.find(t.user.id, key, t.user.language)
            current = choose(own, key if own is None else None, t.user.language).text
            shown = _("Template for {skill}:").format(skill=typed)
            await reply(
                update, f"<b>{escape(shown)}</b>\n{escape(current)}\n\n" + escape(_usage(_))
            )
            return
        if text.casefold() in RESET_WORDS:
            await repo.remove(t.user.id, key, t.user.language)
            back = _("Back to the built-in template for {skill}.").format(skill=typed)
            await reply(update, escape(back))
            return
        problem = _problem(text, _)
        if problem:
            await reply(update, "⚠️ " + escape(problem) + "\n" + escape(_("Nothing was changed.")))
            return
        await repo.put(t.user.id, key, typed, t.user.language, text)
    saved = _("Saved your template for {skill}. Press ✍️ Draft on a gig to use it.")
    await reply(update, "✅ " + escape(saved.format(skill=typed)))


def _usage(_: Translate) -> str:
    return (
        _("Write: /template <skill>: <text>, for example")
        + '\n/template logo design: Hi {client}, I can do "{title}" in {days}. {portfolio}\n'
        + _("Valid placeholders: {list}").format(list=valid_list())
        + "\n"
        + _("Back to the built-in one: /template <skill>: reset")
    )


async def draft_button(update: Update, context: Context) -> None:
    """✍️ Draft: the filled proposal for the card's gig, as its own message."""
    query = update.callback_query
    assert query is not None
    async with turn(update, context) as t:
        delivery = await alerted_delivery(t, query, DRAFT_PREFIX)
        if delivery is None:
            return
        skills = await SkillRepo(t.session).list_for(t.user.id)
        typed = matched_skill(delivery.reasons, skills)
        key = template_skill(typed)[0] if typed else None
        own = await TemplateRepo(t.session).find(t.user.id, key, t.user.language) if key else None
        found = market_skill(typed) if typed else None
        chosen = choose(own, found.id if found is not None else None, t.user.language)
        links = await PortfolioRepo(t.session).for_skill(t.user.id, key)
        message = draft_message(delivery.gig, t.user, typed, chosen, links, rates=t.runtime.rates)
        await DraftRepo(t.session).record(t.user.id, delivery.gig_id, message.template)
    await query.answer()
    await reply(update, message.html, message.keyboard)


def handlers() -> list[Handler]:
    """/templates, /template and the Draft button."""
    return [
        CommandHandler("templates", templates),
        CommandHandler("template", template),
        CallbackQueryHandler(draft_button, pattern=f"^{DRAFT_PREFIX}"),
    ]
