"""Compile words and phrases into match terms, and a user's skill into strong/weak terms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from bot.matching.taxonomy import Taxonomy, load_taxonomy
from bot.matching.text import forms, raw_tokens, tokens, typo_match

USER_PHRASE_WEIGHT = 1.0  # the user's own words, matched in full
PHRASE_WEIGHT = 0.95  # a multi-word synonym from the taxonomy
WORD_WEIGHT = 0.85  # a one-word synonym or abbreviation from the taxonomy


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase to find in a gig: its words and, per word, the forms that match it."""

    words: tuple[str, ...]
    keys: tuple[frozenset[str], ...]
    text: str = field(default="", compare=False)  # the words joined: shown, and feedback key

    def __post_init__(self) -> None:
        """Fill in `text` from the words."""
        if not self.text:
            object.__setattr__(self, "text", " ".join(self.words))


@dataclass(frozen=True, slots=True)
class SkillDef:
    """A user's skill compiled once: taxonomy skills it names, strong and weak terms."""

    key: str
    taxonomy_ids: tuple[str, ...]
    strong: tuple[tuple[Term, float], ...]
    weak: tuple[Term, ...]


@cache
def compile_term(phrase: str, language: str | None = None) -> Term | None:
    """A term from a phrase; `language` picks the stemmer ('en', 'id', None for both)."""
    words = tuple(raw_tokens(phrase))
    if not words:
        return None
    return Term(words, tuple(forms(w, language) for w in words))


def word_matches(
    term: Term, i: int, token: str, token_forms: frozenset[str], tax: Taxonomy
) -> bool:
    """True when gig `token` (with its `token_forms`) matches word `i` of `term`."""
    return not term.keys[i].isdisjoint(token_forms) or typo_match(
        term.words[i], token, tax.not_typos
    )


def occurs_in(term: Term, words: Sequence[str], tax: Taxonomy) -> bool:
    """True when `term` occurs as consecutive words of `words` (stems and typos allowed)."""
    n = len(term.words)
    word_forms = [forms(w) for w in words]
    for start in range(len(words) - n + 1):
        if all(
            word_matches(term, k, words[start + k], word_forms[start + k], tax) for k in range(n)
        ):
            return True
    return False


def _dedupe(items: list[tuple[Term, float]]) -> tuple[tuple[Term, float], ...]:
    """Keep each term once, with its highest weight, in first-seen order."""
    best: dict[Term, float] = {}
    for term, weight in items:
        best[term] = max(weight, best.get(term, 0.0))
    return tuple(best.items())


@cache
def define_skill(key: str, taxonomy: Taxonomy | None = None) -> SkillDef:
    """Compile a skill key: resolve it against the taxonomy, else match it literally."""
    tax = taxonomy or load_taxonomy()
    user_words = tokens(key)
    own = compile_term(key)
    resolved = []
    for skill in tax.skills:
        for phrase, language in skill.strong():
            term = compile_term(phrase, language)
            if term is not None and occurs_in(term, user_words, tax):
                resolved.append(skill)
                break
    strong: list[tuple[Term, float]] = [(own, USER_PHRASE_WEIGHT)] if own else []
    weak: list[Term] = []
    for skill in resolved:
        included = [tax.by_id(i) for i in skill.includes]
        for phrase, language in [p for s in (skill, *included) for p in s.strong()]:
            term = compile_term(phrase, language)
            if term is not None:
                strong.append((term, PHRASE_WEIGHT if len(term.words) > 1 else WORD_WEIGHT))
        weak += [t for p in skill.related if (t := compile_term(p)) is not None]
    if len(user_words) > 1:
        weak += [
            t
            for w in user_words
            if w not in tax.stopwords and len(w) >= 3 and not w.isdigit()
            if (t := compile_term(w)) is not None
        ]
    strong_terms = _dedupe(strong)
    strong_set = {t for t, _ in strong_terms}
    weak_terms = tuple(dict.fromkeys(t for t in weak if t not in strong_set))
    return SkillDef(key, tuple(s.id for s in resolved), strong_terms, weak_terms)
