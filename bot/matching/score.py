"""Match a gig against a user's skills: a score and the reasons for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.matching.synonyms import expand
from bot.matching.text import tokens

FIELD_WEIGHTS = {"title": 60, "tags": 50, "text": 30}
EXTRA_SKILL_BONUS = 10


@dataclass(frozen=True, slots=True)
class Reason:
    """One skill found in one field of the gig, through one term."""

    skill: str
    term: str
    field: str

    def as_dict(self) -> dict[str, str]:
        """A JSON-ready form to keep with the alert."""
        return {"skill": self.skill, "term": self.term, "field": self.field}


@dataclass(frozen=True, slots=True)
class MatchResult:
    """How well a gig fits, from 0 to 100, and why."""

    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class GigText:
    """A gig's searchable text, tokenised once and reused for every user."""

    title: tuple[str, ...]
    tags: tuple[tuple[str, ...], ...]
    text: tuple[str, ...]

    @classmethod
    def of(cls, title: str, tags: Sequence[str], text: str) -> GigText:
        """Tokenise a gig's title, tags and text."""
        return cls(tuple(tokens(title)), tuple(tuple(tokens(t)) for t in tags), tuple(tokens(text)))


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """True when `needle` occurs as consecutive whole tokens in `haystack`."""
    n = len(needle)
    if n == 0 or n > len(haystack):
        return False
    first = needle[0]
    return any(
        haystack[i] == first and tuple(haystack[i : i + n]) == tuple(needle)
        for i in range(len(haystack) - n + 1)
    )


def _find(gig: GigText, skill_name: str, skill_key: str) -> Reason | None:
    """The best place a skill (or a synonym) appears: title, then tags, then text."""
    terms = [(term, tokens(term)) for term in expand(skill_key)]
    for term, needle in terms:
        if _contains(gig.title, needle):
            return Reason(skill_name, term, "title")
    for term, needle in terms:
        if any(_contains(tag, needle) for tag in gig.tags):
            return Reason(skill_name, term, "tags")
    for term, needle in terms:
        if _contains(gig.text, needle):
            return Reason(skill_name, term, "text")
    return None


def match(gig: GigText, skills: Sequence[tuple[str, str]]) -> MatchResult | None:
    """Score a gig for one user's (name, key) skills; None when nothing matches."""
    reasons = [r for name, key in skills if (r := _find(gig, name, key)) is not None]
    if not reasons:
        return None
    reasons.sort(key=lambda r: -FIELD_WEIGHTS[r.field])
    score = FIELD_WEIGHTS[reasons[0].field] + EXTRA_SKILL_BONUS * (len(reasons) - 1)
    return MatchResult(min(score, 100), tuple(reasons))
