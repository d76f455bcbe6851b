"""Skills typed or offered: splitting and checking what a user typed, the answer lines, and
the buttons offering broader or narrower taxonomy skills (shared by /subscribe and onboarding)."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.matching.taxonomy import TaxonomySkill
from bot.matching.text import skill_key
from bot.matching.understand import skill_name, understand
from bot.ui.i18n import Translate

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
