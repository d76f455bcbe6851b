"""Recognise the same gig seen twice: on two sources, or reposted with small edits."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Hashable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words that carry no identity in gig titles ("[Hiring]", "urgent", "dicari" …).
_NOISE = frozenset(
    [
        "hiring",
        "task",
        "urgent",
        "asap",
        "needed",
        "wanted",
        "dicari",
        "butuh",
        "dibutuhkan",
        "cari",
        "segera",
        "new",
        "baru",
        "remote",
        "freelance",
        "freelancer",
        "job",
        "project",
        "proyek",
        "lowongan",
        "a",
        "an",
        "the",
        "for",
        "untuk",
        "di",
        "ke",
        "dan",
        "and",
        "of",
        "to",
        "in",
        "with",
        "dengan",
        "yang",
    ]
)
TEXT_PREFIX_CHARS = 600


def words(text: str) -> list[str]:
    """Folded words with the noise words removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in _WORD.findall(folded) if w not in _NOISE]


def fingerprint(title: str) -> str:
    """A short hash of a title's words regardless of order, case, punctuation and noise."""
    key = " ".join(sorted(set(words(title))))
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    """Overlapping word triples of the start of a text, for near-duplicate detection."""
    tokens = words(text[:TEXT_PREFIX_CHARS])
    if len(tokens) < size:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def jaccard(a: AbstractSet[Hashable], b: AbstractSet[Hashable]) -> float:
    """Share of common members, 0 when both are empty."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True, slots=True)
class Signature:
    """What one gig is compared by."""

    fingerprint: str
    title_words: frozenset[str]
    text_shingles: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, title: str, text: str) -> Signature:
        """Build the signature of a gig's title and text."""
        return cls(fingerprint(title), frozenset(words(title)), shingles(text))


TITLE_SIMILAR = 0.8
TEXT_SIMILAR = 0.6


def same_gig(a: Signature, b: Signature) -> bool:
    """True when two listings are the same gig: equal titles with similar (or no) text,
    or nearly equal titles with clearly similar text."""
    if not a.title_words or not b.title_words:
        return False
    both_texts = bool(a.text_shingles) and bool(b.text_shingles)
    text_score = jaccard(a.text_shingles, b.text_shingles) if both_texts else None
    if a.fingerprint == b.fingerprint:
        return text_score is None or text_score >= TEXT_SIMILAR / 2
    if jaccard(a.title_words, b.title_words) >= TITLE_SIMILAR:
        return text_score is not None and text_score >= TEXT_SIMILAR
    return False


def find_original(candidate: Signature, earlier: Iterable[tuple[int, Signature]]) -> int | None:
    """The id of the first earlier gig that `candidate` duplicates, if any."""
    for gig_id, signature in earlier:
        if same_gig(candidate, signature):
            return gig_id
    return None
