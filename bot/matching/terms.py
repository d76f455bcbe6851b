"""Compile words and phrases into match terms, and a user's skill into strong/weak terms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from bot.matching.taxonomy import Taxonomy, TaxonomySkill, load_taxonomy
from bot.matching.text import (
    deletions,
    forms,
    raw_tokens,
    tokens,
    typo_candidate,
    typo_match,
)

USER_PHRASE_WEIGHT = 1.0  # the user's own words, matched in full
PHRASE_WEIGHT = 0.95  # a multi-word synonym from the taxonomy
WORD_WEIGHT = 0.85  # a one-word synonym or abbreviation from the taxonomy
PAIR_WEIGHT = 0.7  # a role noun together with a domain word ("penulis" + "niche")


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
    # Strong terms that come from a narrower skill implying a resolved one -> its name.
    via: tuple[tuple[Term, str], ...] = ()
    # Per resolved skill: role nouns and domain words that together are weaker evidence.
    pairs: tuple[tuple[tuple[Term, ...], tuple[Term, ...]], ...] = ()


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


def spans_in(
    term: Term,
    words: Sequence[str],
    tax: Taxonomy,
    word_forms: Sequence[frozenset[str]] | None = None,
) -> list[tuple[int, int]]:
    """Where `term` occurs as consecutive words of `words` (stems and typos allowed)."""
    n = len(term.words)
    if word_forms is None:
        word_forms = [forms(w) for w in words]
    return [
        (start, start + n)
        for start in range(len(words) - n + 1)
        if all(
            word_matches(term, k, words[start + k], word_forms[start + k], tax) for k in range(n)
        )
    ]


class _Strong(NamedTuple):
    """A taxonomy's compiled strong terms, with their first words indexed (for `resolve`)."""

    taxonomy: Taxonomy
    skills: tuple[tuple[TaxonomySkill, tuple[Term, ...]], ...]
    by_form: dict[str, set[tuple[int, int]]]  # first-word form -> (skill, term) positions
    by_deletion: dict[str, set[tuple[int, int]]]  # first word and its one-letter deletions


_STRONG: dict[int, _Strong] = {}


def _strong(tax: Taxonomy) -> _Strong:
    """The taxonomy's strong terms and first-word index (made once per taxonomy)."""
    made = _STRONG.get(id(tax))
    if made is None or made.taxonomy is not tax:
        compiled = tuple(
            (s, tuple(t for p, lang in s.strong() if (t := compile_term(p, lang)) is not None))
            for s in tax.skills
        )
        by_form: dict[str, set[tuple[int, int]]] = {}
        by_deletion: dict[str, set[tuple[int, int]]] = {}
        for i, (_, terms) in enumerate(compiled):
            for j, term in enumerate(terms):
                for key in term.keys[0]:
                    by_form.setdefault(key, set()).add((i, j))
                first = term.words[0]
                if typo_candidate(first):
                    for d in (first, *deletions(first)):
                        by_deletion.setdefault(d, set()).add((i, j))
        made = _STRONG[id(tax)] = _Strong(tax, compiled, by_form, by_deletion)
    return made


def strong_terms(tax: Taxonomy) -> tuple[tuple[TaxonomySkill, tuple[Term, ...]], ...]:
    """Every taxonomy skill with its compiled strong terms (made once per taxonomy)."""
    return _strong(tax).skills


def _starting_at(
    words: Sequence[str], word_forms: Sequence[frozenset[str]], index: _Strong
) -> set[tuple[int, int]]:
    """(skill, term) positions of the terms whose first word may match one of `words`.

    A superset of the terms with a span: by shared forms, or by a shared one-letter deletion
    (every one-edit typo shares one), checked exactly by `spans_in` afterwards.
    """
    found: set[tuple[int, int]] = set()
    for word, keys in zip(words, word_forms, strict=True):
        for key in keys:
            found |= index.by_form.get(key, set())
        if typo_candidate(word):
            for d in (word, *deletions(word)):
                found |= index.by_deletion.get(d, set())
    return found


def resolve(words: Sequence[str], tax: Taxonomy) -> list[TaxonomySkill]:
    """The taxonomy skills a user's words name (in taxonomy order), longest reading winning.

    A skill found only inside a longer phrase of another skill is dropped: "nulis artikel SEO"
    is article writing (via "artikel seo"), not also search engine optimisation.
    """
    word_forms = [forms(w) for w in words]
    index = _strong(tax)
    candidates = sorted(_starting_at(words, word_forms, index))
    found: list[tuple[TaxonomySkill, list[tuple[int, int]]]] = []
    for i, group in groupby(candidates, key=itemgetter(0)):
        skill, terms = index.skills[i]
        spans = []
        for _, j in group:
            term = terms[j]
            if len(term.words) <= len(words):
                spans += spans_in(term, words, tax, word_forms)
        if spans:
            found.append((skill, spans))

    def covered(span: tuple[int, int], other: list[tuple[int, int]]) -> bool:
        return any(a <= span[0] and span[1] <= b and b - a > span[1] - span[0] for a, b in other)

    return [
        skill
        for skill, spans in found
        if not any(
            other is not skill and all(covered(s, o_spans) for s in spans)
            for other, o_spans in found
        )
    ]


def _dedupe(items: list[tuple[Term, float]]) -> tuple[tuple[Term, float], ...]:
    """Keep each term once, with its highest weight, in first-seen order."""
    best: dict[Term, float] = {}
    for term, weight in items:
        best[term] = max(weight, best.get(term, 0.0))
    return tuple(best.items())


@cache
def pair_term(role: Term, domain: Term) -> Term:
    """The evidence of a role noun and a domain word found together, as one term."""
    return Term(role.words + domain.words, role.keys + domain.keys, f"{role.text} + {domain.text}")


@cache
def define_skill(key: str, taxonomy: Taxonomy | None = None) -> SkillDef:
    """Compile a skill key: resolve it against the taxonomy, else match it literally."""
    tax = taxonomy or load_taxonomy()
    user_words = tokens(key)
    own = compile_term(key)
    resolved = resolve(user_words, tax)
    strong: list[tuple[Term, float]] = [(own, USER_PHRASE_WEIGHT)] if own else []
    weak: list[Term] = []
    only = not tax.only_words.isdisjoint(user_words)  # "javascript only": no narrower skills
    direct = {s.id: s for r in resolved for s in (r, *(() if only else map(tax.by_id, r.includes)))}
    for skill in direct.values():
        strong += _weighted(skill)
    own_terms = {t for t, _ in strong}
    implied: dict[Term, str] = {}
    for skill in [] if only else list(direct.values()):
        for narrower in tax.implying(skill.id):
            if narrower.id not in direct:
                for term, weight in _weighted(narrower):
                    if term not in own_terms:
                        implied.setdefault(term, narrower.name_en)
                    strong.append((term, weight))
    for skill in resolved:
        weak += [t for p in skill.related if (t := compile_term(p)) is not None]
    pairs = tuple(
        (_terms(s.roles), _terms(s.domains)) for s in direct.values() if s.roles and s.domains
    )
    if len(user_words) > 1:
        weak += [
            t
            for w in user_words
            if w not in tax.stopwords and w not in tax.only_words and len(w) >= 3
            if not w.isdigit()
            if (t := compile_term(w)) is not None
        ]
    strong_terms = _dedupe(strong)
    strong_set = {t for t, _ in strong_terms}
    weak_terms = tuple(dict.fromkeys(t for t in weak if t not in strong_set))
    via = tuple(implied.items())
    return SkillDef(key, tuple(s.id for s in resolved), strong_terms, weak_terms, via, pairs)


def _weighted(skill: TaxonomySkill) -> list[tuple[Term, float]]:
    """A taxonomy skill's strong terms with their weights (phrases weigh more than words)."""
    out = []
    for phrase, language in skill.strong():
        term = compile_term(phrase, language)
        if term is not None:
            out.append((term, PHRASE_WEIGHT if len(term.words) > 1 else WORD_WEIGHT))
    return out


def _terms(phrases: Sequence[str]) -> tuple[Term, ...]:
    """Compiled terms of phrases (both languages' stems)."""
    return tuple(dict.fromkeys(t for p in phrases if (t := compile_term(p)) is not None))
