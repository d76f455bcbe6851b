"""Indonesian and English names for the common micro-gig skills (a first small set)."""

from __future__ import annotations

from bot.matching.text import skill_key

# Each group lists phrases that mean the same skill; subscribing to one matches all.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("artikel", "article", "penulisan artikel", "article writing", "blog post", "nulis artikel"),
    ("desain logo", "logo design", "design logo", "pembuatan logo", "bikin logo"),
    ("terjemahan", "translation", "translate", "penerjemah", "translator", "menerjemahkan"),
    ("entri data", "data entry", "input data", "entry data"),
    ("copywriting", "copywriter", "penulisan iklan"),
    ("edit video", "video editing", "editing video", "video editor"),
    ("admin sosmed", "social media admin", "admin media sosial", "social media manager"),
    ("asisten virtual", "virtual assistant"),
    ("desain grafis", "graphic design", "graphic designer"),
)

_BY_KEY: dict[str, tuple[str, ...]] = {}
for _group in SYNONYM_GROUPS:
    _keys = tuple(skill_key(p) for p in _group)
    for _k in _keys:
        _BY_KEY[_k] = _keys


def expand(key: str) -> tuple[str, ...]:
    """The skill itself first, then its synonyms in either language."""
    group = _BY_KEY.get(key, ())
    return (key, *[k for k in group if k != key])
