"""What a typed skill was understood as: taxonomy skills, what they take in, closest guesses."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.matching.taxonomy import Taxonomy, TaxonomySkill, load_taxonomy
from bot.matching.terms import resolve
from bot.matching.text import skill_key, tokens

MAX_CLOSEST = 3
CLOSE_CUTOFF = 0.75  # difflib ratio a phrase needs to be offered as "closest"
MIN_WORD = 4  # shorter typed words are not compared on their own


@dataclass(frozen=True, slots=True)
class Understanding:
    """A typed skill read against the taxonomy.

    `skills`: the taxonomy skills it names; `covers`: narrower skills whose gigs it also gets
    (React and Vue for JavaScript, logo design for graphic design); `broader`: skills the
    named ones are a kind of, offered as additions; `closest`: for an unknown skill, the known
    skills nearest in spelling.
    """

    skills: tuple[TaxonomySkill, ...]
    covers: tuple[TaxonomySkill, ...]
    broader: tuple[TaxonomySkill, ...]
    closest: tuple[TaxonomySkill, ...]
    only: bool = False  # typed as "X only": the narrower skills are left out

    @property
    def known(self) -> bool:
        """True when the skill resolved to the taxonomy (else it is matched literally)."""
        return bool(self.skills)


def understand(typed: str, taxonomy: Taxonomy | None = None) -> Understanding:
    """Read a typed skill as the matcher will."""
    tax = taxonomy or load_taxonomy()
    words = tokens(skill_key(typed))
    named = tuple(resolve(words, tax))
    only = not tax.only_words.isdisjoint(words)
    ids = {s.id for s in named}
    covers: dict[str, TaxonomySkill] = {}
    for skill in () if only else named:
        for narrower in (*(tax.by_id(i) for i in skill.includes), *tax.implying(skill.id)):
            if narrower.id not in ids:
                covers.setdefault(narrower.id, narrower)
    broader: dict[str, TaxonomySkill] = {}
    for skill in named:
        for broader_id in skill.implies:
            if broader_id not in ids:
                broader.setdefault(broader_id, tax.by_id(broader_id))
    closest = () if named else closest_skills(typed, tax)
    return Understanding(named, tuple(covers.values()), tuple(broader.values()), closest, only)


def closest_skills(typed: str, tax: Taxonomy) -> tuple[TaxonomySkill, ...]:
    """The known skills whose names or terms are spelled most like the typed words."""
    owner: dict[str, TaxonomySkill] = {}
    for skill in tax.skills:
        for phrase, _language in skill.strong():
            owner.setdefault(skill_key(phrase), skill)
    key = skill_key(typed)
    words = [w for w in key.split() if len(w) >= MIN_WORD and w not in tax.stopwords]
    candidates = list(dict.fromkeys([key, *words]))
    scored: dict[str, float] = {}
    for candidate in candidates:
        for phrase in difflib.get_close_matches(candidate, owner, n=10, cutoff=CLOSE_CUTOFF):
            ratio = difflib.SequenceMatcher(None, candidate, phrase).ratio()
            skill_id = owner[phrase].id
            scored[skill_id] = max(ratio, scored.get(skill_id, 0.0))
    best = sorted(scored, key=lambda i: (-scored[i], i))[:MAX_CLOSEST]
    return tuple(tax.by_id(i) for i in best)


def narrow_name(skill: TaxonomySkill, language: str) -> str:
    """The name of a skill without its narrower skills ("JavaScript only")."""
    return f"{skill.name_id} saja" if language.startswith("id") else f"{skill.name_en} only"


def skill_name(skill: TaxonomySkill, language: str) -> str:
    """A taxonomy skill's name in the user's language."""
    return skill.name_id if language.startswith("id") else skill.name_en
