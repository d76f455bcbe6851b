"""Which of the user's skills a gig was for: recorded on applications for "best skill"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.matching.text import skill_key
from bot.store.models import Skill

MATCH_CODES = ("skill", "implied", "related")


def matched_skill(reasons: Sequence[Mapping[str, Any]], skills: Sequence[Skill]) -> str | None:
    """The user's name of the skill the alert's first skill reason names (by key), if any."""
    names = {s.key: s.name for s in skills}
    for code in MATCH_CODES:
        for reason in reasons:
            if reason.get("code", "skill") == code and reason.get("skill"):
                key = skill_key(str(reason["skill"]))
                return names.get(key, str(reason["skill"]))
    return None


def skill_in_text(text: str, skills: Sequence[Skill]) -> str | None:
    """The first of the user's skills whose words all appear in `text` (a tracked title)."""
    words = set(skill_key(text).split())
    for skill in skills:
        if skill.key and set(skill.key.split()) <= words:
            return skill.name
    return None
