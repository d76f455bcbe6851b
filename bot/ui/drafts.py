"""A proposal draft for one gig: the user's template (or the built-in one) filled with what
the listing and the user's records say, as a message with copy and open buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.market_tags import market_skill
from bot.domain.money import Rates
from bot.domain.proposals import DRAFT_LIMIT, Chosen, builtin, copy_text, fill
from bot.ingest.matcher import gig_of
from bot.matching.facts import deadline_days
from bot.matching.text import skill_key
from bot.matching.understand import skill_name
from bot.store.models import GigRow, ProposalTemplate, User
from bot.ui.i18n import plural_translator, translator
from bot.ui.render import budget_text, clip

TITLE_LIMIT = 200
# How a proposal greets a client whose name the listing does not give.
UNKNOWN_CLIENT = {"en": "there", "id": "Kak"}


def draft_html(heading: str, draft: str, footer: str) -> str:
    """The draft message: a bold heading, the escaped draft cut to fit, and a note below."""
    body = escape(clip(draft, DRAFT_LIMIT))
    return f"<b>{escape(heading)}</b>\n\n{body}\n\n<i>{escape(footer)}</i>"


def template_skill(typed: str) -> tuple[str, str]:
    """(key, shown name) a template is kept under: the taxonomy skill, else the typed key."""
    found = market_skill(typed)
    if found is not None:
        return found.id, found.name_en
    return skill_key(typed), typed


@dataclass(frozen=True)
class DraftMessage:
    """The draft as sent: HTML text, its buttons, the plain draft and its template key."""

    html: str
    keyboard: InlineKeyboardMarkup
    draft: str
    template: str


def choose(own: ProposalTemplate | None, skill_id: str | None, language: str) -> Chosen:
    """The user's own template when they have one, else the built-in starter."""
    if own is not None:
        return Chosen(f"u:{own.id}", own.text)
    return builtin(skill_id, language)


def _days(gig: GigRow, language: str) -> str:
    _ = translator(language)
    days = deadline_days(gig_of(gig))
    if not days:
        return _("the time you need")
    return plural_translator(language)("{n} day", "{n} days", days).format(n=days)


def values_for(
    gig: GigRow,
    user: User,
    skill: str,
    links: Sequence[str],
    *,
    rates: Rates | None,
) -> dict[str, str]:
    """Every placeholder's value for this gig and user, in the user's language."""
    language = user.language
    _ = translator(language)
    if gig.budget_min is None and gig.budget_max is None:
        budget = _("the budget you have in mind")
    else:
        budget = budget_text(gig, language, rates, user.currency)
    portfolio = _("Examples of my work: {links}").format(links=" ".join(links)) if links else ""
    return {
        "name": clip(user.first_name or "", 60) or _("a freelancer"),
        "title": clip(gig.title, TITLE_LIMIT),
        "skill": skill,
        "budget": budget,
        "days": _days(gig, language),
        "portfolio": portfolio,
        "client": clip(gig.company or "", 60) or UNKNOWN_CLIENT.get(language, "there"),
    }


def tidy(draft: str) -> str:
    """No empty lines left by an empty placeholder, no stray spaces."""
    lines = [" ".join(line.split()) for line in draft.splitlines()]
    return "\n".join(line for line in lines if line)


def draft_message(
    gig: GigRow,
    user: User,
    typed_skill: str | None,
    chosen: Chosen,
    links: Sequence[str],
    *,
    rates: Rates | None,
) -> DraftMessage:
    """The filled draft for a gig, ready to send."""
    language = user.language
    _ = translator(language)
    found = market_skill(typed_skill) if typed_skill else None
    skill = skill_name(found, language) if found is not None else (typed_skill or _("this"))
    draft = tidy(fill(chosen.text, values_for(gig, user, skill, links, rates=rates)))
    heading = _("✍️ Draft for: {title}").format(title=clip(gig.title, 100))
    footer = _("Copy, adjust, send. Your own template: /template {skill}: your text").format(
        skill=typed_skill or "logo"
    )
    rows = [[InlineKeyboardButton("📋 " + _("Copy"), copy_text=CopyTextButton(copy_text(draft)))]]
    if gig.url.startswith(("https://", "http://")):
        rows.append([InlineKeyboardButton("🔗 " + _("Open"), url=gig.url)])
    return DraftMessage(
        draft_html(heading, draft, footer), InlineKeyboardMarkup(rows), draft, chosen.key
    )
