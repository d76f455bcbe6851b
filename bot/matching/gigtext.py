"""A gig's searchable text, tokenised once, and a brute-force term finder over it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.matching.taxonomy import Taxonomy, load_taxonomy
from bot.matching.terms import Term, compile_term, word_matches
from bot.matching.text import forms, tokens

FIELDS = ("title", "tags", "text")  # best first
LONG_TEXT_TOKENS = 200  # a description longer than this is a job post, not a gig brief
NEGATION_WINDOW = 3  # words before a term that can negate it


@cache
def known_words(taxonomy: Taxonomy | None = None) -> frozenset[str]:
    """Every word of the taxonomy's terms: the pieces a #compoundhashtag may be split into."""
    tax = taxonomy or load_taxonomy()
    words: set[str] = set()
    for skill in tax.skills:
        for phrase in [p for p, _ in skill.strong()] + list(skill.related):
            term = compile_term(phrase)
            if term is not None:
                words.update(w for w in term.words if len(w) >= 3)
    return frozenset(words)


@dataclass(frozen=True, slots=True)
class GigText:
    """Title, tags and text as word tuples; tags are joined with None between them."""

    title: tuple[str, ...]
    tags: tuple[str | None, ...]
    text: tuple[str, ...]
    language: str | None
    n_tags: int

    @classmethod
    def of(
        cls,
        title: str,
        tags: Sequence[str] = (),
        text: str = "",
        language: str | None = None,
        taxonomy: Taxonomy | None = None,
    ) -> GigText:
        """Tokenise a gig's fields (splitting known #compound hashtags)."""
        known = known_words(taxonomy)
        joined: list[str | None] = []
        for tag in tags:
            if joined:
                joined.append(None)
            joined.extend(tokens(tag, known))
        lang = language if language in ("en", "id") else None
        return cls(
            tuple(tokens(title, known)), tuple(joined), tuple(tokens(text, known)), lang, len(tags)
        )

    def field(self, name: str) -> tuple[str | None, ...]:
        """The words of one field."""
        words: tuple[str | None, ...] = getattr(self, name)
        return words

    @property
    def long_text(self) -> bool:
        """True when the description is long (a job post rather than a gig brief)."""
        return len(self.text) > LONG_TEXT_TOKENS


def negated(words: Sequence[str | None], start: int, negators: frozenset[str]) -> bool:
    """True when a negator occurs in the few words before `start` (not across tags)."""
    for i in range(start - 1, max(-1, start - 1 - NEGATION_WINDOW), -1):
        word = words[i]
        if word is None:
            return False
        if word in negators:
            return True
    return False


def contains(gig: GigText, term: Term, tax: Taxonomy) -> bool:
    """True when `term` occurs anywhere in the gig (negation ignored: used for exclusions)."""
    n = len(term.words)
    for name in FIELDS:
        words = gig.field(name)
        for start in range(len(words) - n + 1):
            if all(
                (w := words[start + k]) is not None
                and word_matches(term, k, w, forms(w, gig.language), tax)
                for k in range(n)
            ):
                return True
    return False
