"""Proposal templates: placeholders, checking a typed template, filling one for a gig, and the
draft message (HTML, within Telegram's limits). Pure code; starters in proposal_starters."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.proposal_starters import GENERIC, STARTERS

PLACEHOLDERS = ("name", "title", "skill", "budget", "days", "portfolio", "client")
MAX_TEMPLATE = 2000  # characters a user's template may have
COPY_LIMIT = 256  # Telegram's limit on a CopyTextButton's text
DRAFT_LIMIT = 3500  # the draft's share of a 4096-character message (heading and link around it)
BUILTIN, OWN = "b:", "u:"


class TemplateError(ValueError):
    """A template that cannot be used: broken braces or unknown placeholders."""

    def __init__(self, unknown: tuple[str, ...] = (), broken: bool = False) -> None:
        """Record what is wrong."""
        super().__init__(", ".join(unknown) or "broken braces")
        self.unknown = unknown
        self.broken = broken


def placeholders_in(text: str) -> list[str]:
    """The placeholders a template uses, in order; TemplateError when it cannot be filled."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise TemplateError(broken=True) from error
    used: list[str] = []
    unknown: list[str] = []
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if spec or conversion or field not in PLACEHOLDERS:
            unknown.append("{" + field + "}")
        elif field not in used:
            used.append(field)
    if unknown:
        raise TemplateError(tuple(dict.fromkeys(unknown)))
    return used


@dataclass(frozen=True, slots=True)
class Chosen:
    """The template a draft uses: its key for the records ("b:logo_design", "u:12") and text."""

    key: str
    text: str


def builtin(skill_id: str | None, language: str) -> Chosen:
    """The built-in starter of a skill (or the general one) in the language."""
    texts = STARTERS.get(skill_id or "", GENERIC)
    key = BUILTIN + (skill_id if skill_id in STARTERS else "general")
    return Chosen(key, texts["id" if language == "id" else "en"])


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with every placeholder replaced by its value (plain text)."""
    placeholders_in(template)
    return template.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def copy_text(draft: str) -> str:
    """What the copy button copies: the draft's first 256 characters."""
    return draft[:COPY_LIMIT]
