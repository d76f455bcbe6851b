"""Load the micro-gig skill taxonomy (taxonomy.toml) into plain immutable records."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.toml")
SKILL_LIST_FIELDS = (
    "terms_en",
    "terms_id",
    "abbreviations",
    "related",
    "includes",
    "terms_other",
    "implies",
    "roles",
    "domains",
)
SIGNAL_FIELDS = ("scope_words", "negators", "not_typos", "stopwords", "only_words")


@dataclass(frozen=True, slots=True)
class TaxonomySkill:
    """One micro-gig skill: names, strong terms per language, abbreviations, weak terms."""

    id: str
    name_en: str
    name_id: str
    terms_en: tuple[str, ...]
    terms_id: tuple[str, ...]
    abbreviations: tuple[str, ...]
    related: tuple[str, ...]
    includes: tuple[str, ...] = ()
    terms_other: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()  # broader skills this one is a kind of (React -> JavaScript)
    roles: tuple[str, ...] = ()  # role nouns ("penulis") that, with a domain word, are evidence
    domains: tuple[str, ...] = ()  # domain words ("niche") that, with a role noun, are evidence
    source: str = ""  # where the entry's vocabulary came from

    def strong(self) -> list[tuple[str, str | None]]:
        """Every strong term with its language ('en', 'id', or None for abbreviations)."""
        out: list[tuple[str, str | None]] = [(self.name_en, "en"), (self.name_id, "id")]
        out += [(t, "en") for t in self.terms_en]
        out += [(t, "id") for t in self.terms_id]
        out += [(t, None) for t in self.abbreviations + self.terms_other]
        return out


# Compared and hashed by identity: functions cached per taxonomy would otherwise hash every
# skill on each call.
@dataclass(frozen=True, slots=True, eq=False)
class Taxonomy:
    """All skills plus the word lists that steer matching (scope words, negators, …)."""

    skills: tuple[TaxonomySkill, ...]
    scope_words: frozenset[str]
    negators: frozenset[str]
    not_typos: frozenset[str]
    stopwords: frozenset[str]
    only_words: frozenset[str] = frozenset()

    def by_id(self, skill_id: str) -> TaxonomySkill:
        """The skill with this id."""
        return next(s for s in self.skills if s.id == skill_id)

    def implying(self, skill_id: str) -> tuple[TaxonomySkill, ...]:
        """Every skill that implies `skill_id`, directly or through others (nearest first)."""
        found: dict[str, TaxonomySkill] = {}
        frontier = [skill_id]
        while frontier:
            target = frontier.pop(0)
            for skill in self.skills:
                if target in skill.implies and skill.id not in found and skill.id != skill_id:
                    found[skill.id] = skill
                    frontier.append(skill.id)
        return tuple(found.values())


def parse_taxonomy(data: dict[str, Any]) -> Taxonomy:
    """Build a Taxonomy from parsed TOML; raises ValueError on a malformed file."""
    skills = []
    seen: set[str] = set()
    for raw in data.get("skill", []):
        for key in ("id", "name_en", "name_id"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ValueError(f"skill {raw.get('id')!r}: {key} must be a non-empty string")
        if raw["id"] in seen:
            raise ValueError(f"duplicate skill id {raw['id']!r}")
        seen.add(raw["id"])
        lists = {}
        for key in SKILL_LIST_FIELDS:
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ValueError(f"skill {raw['id']!r}: {key} must be a list of strings")
            lists[key] = tuple(value)
        source = raw.get("source", "")
        if not isinstance(source, str):
            raise ValueError(f"skill {raw['id']!r}: source must be a string")
        if bool(lists["roles"]) != bool(lists["domains"]):
            raise ValueError(f"skill {raw['id']!r}: roles and domains go together")
        skills.append(
            TaxonomySkill(raw["id"], raw["name_en"], raw["name_id"], **lists, source=source)
        )
    for skill in skills:
        for key in ("includes", "implies"):
            missing = set(getattr(skill, key)) - seen
            if missing:
                raise ValueError(f"skill {skill.id!r} {key} unknown skills {sorted(missing)}")
    signals = data.get("signals", {})
    words = {key: frozenset(w.casefold() for w in signals.get(key, [])) for key in SIGNAL_FIELDS}
    return Taxonomy(tuple(skills), **words)


@cache
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """The taxonomy parsed from `path` (cached)."""
    with path.open("rb") as fh:
        return parse_taxonomy(tomllib.load(fh))
