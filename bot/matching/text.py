"""Text normalisation for matching: folding, tokens, bilingual stems, hashtags, typos."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from functools import lru_cache

import snowballstemmer

# Word characters (plus Thai vowel/tone marks, which are not "word" characters) and the
# symbols that make "c++" and "c#" distinct words.
_TOKEN = re.compile(r"(?:[^\W_]|[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+(?:[+#]+)?", re.UNICODE)
# The same tokens, about twice as fast, for text without Thai marks (most text).
_PLAIN_TOKEN = re.compile(r"[^\W_]+(?:[+#]+)?", re.UNICODE)
_THAI_MARK = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_HASHTAG = re.compile(r"#((?:[^\W_])+)")
_PLAIN_WORD = re.compile(r"[a-z]+")

_EN = snowballstemmer.stemmer("english")
_ID = snowballstemmer.stemmer("indonesian")

MIN_STEM_INPUT = 4  # shorter words are never stemmed
MIN_EN_STEM = 3  # an English stem shorter than this is rejected
MIN_ID_STEM = 4  # an Indonesian stem shorter than this is rejected (over-stemming guard)
MIN_TYPO_LENGTH = 6  # words shorter than this must match exactly


def fold(text: str) -> str:
    """Unicode-normalise (NFKC) and case-fold text."""
    return unicodedata.normalize("NFKC", text).casefold()


def _find_tokens(folded: str) -> list[str]:
    """The word tokens of folded text."""
    if _THAI_MARK.search(folded) is not None:
        return _TOKEN.findall(folded)
    # Tokens never span whitespace, and a chunk of word characters only is one token
    # (str.isalnum is the regex's [^\W_]): only the other chunks need the regex.
    out: list[str] = []
    append, extend, find = out.append, out.extend, _PLAIN_TOKEN.findall
    for chunk in folded.split():
        if chunk.isalnum():
            append(chunk)
        else:
            extend(find(chunk))
    return out


def raw_tokens(text: str) -> list[str]:
    """Folded word tokens without stemming; punctuation and '#' split words apart."""
    return _find_tokens(fold(text))


def tokens(text: str, compounds: Container[str] | None = None) -> list[str]:
    """Folded word tokens; with `compounds`, a hashtag like #desainlogo is split in known words."""
    folded = fold(text)
    if compounds is None or "#" not in folded:
        return _find_tokens(folded)

    def split_tag(match: re.Match[str]) -> str:
        parts = split_compound(match.group(1), compounds)
        return " " + " ".join(parts) + " " if parts else match.group(0)

    return _find_tokens(_HASHTAG.sub(split_tag, folded))


def split_compound(word: str, known: Container[str]) -> list[str] | None:
    """Split a run-together word into two or three known words ('desainlogo'), or None."""
    if word in known:
        return None
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        if head not in known:
            continue
        if tail in known:
            return [head, tail]
        for j in range(3, len(tail) - 2):
            if tail[:j] in known and tail[j:] in known:
                return [head, tail[:j], tail[j:]]
    return None


@lru_cache(maxsize=200_000)
def stem_en(token: str) -> str:
    """The English Snowball stem of a plain word, or the word itself when unsafe to stem."""
    if len(token) < MIN_STEM_INPUT or not _PLAIN_WORD.fullmatch(token):
        return token
    stemmed = _EN.stemWord(token)
    return stemmed if len(stemmed) >= MIN_EN_STEM else token


@lru_cache(maxsize=200_000)
def stem_id(token: str) -> str:
    """The Indonesian Snowball stem of a plain word, or the word itself when unsafe to stem."""
    if len(token) < MIN_STEM_INPUT or not _PLAIN_WORD.fullmatch(token):
        return token
    stemmed = _ID.stemWord(token)
    return stemmed if len(stemmed) >= MIN_ID_STEM else token


def forms(token: str, language: str | None = None) -> frozenset[str]:
    """A token and its stems ('en:…', 'id:…'): English for 'en', Indonesian for 'id', or both.

    Stems are tagged with their language, so an Indonesian stem never equals an English word
    ("pelabelan" -> id:label does not match English "label").
    """
    out = {token}
    if language != "id":
        out.add("en:" + stem_en(token))
    if language != "en":
        out.add("id:" + stem_id(token))
    return frozenset(out)


def typo_candidate(token: str) -> bool:
    """True for words long enough (and plain enough) to be matched with one typo."""
    return len(token) >= MIN_TYPO_LENGTH and token.isalpha()


def one_edit(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one insert, delete, substitution or swap."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]


def typo_match(term_word: str, gig_word: str, not_typos: Container[str]) -> bool:
    """True when `gig_word` is a safe one-edit typo of `term_word` (same first letter)."""
    return (
        typo_candidate(term_word)
        and typo_candidate(gig_word)
        and term_word[0] == gig_word[0]
        and gig_word not in not_typos
        and one_edit(term_word, gig_word)
    )


def deletions(word: str) -> list[str]:
    """Every string made by deleting one letter of `word` (for a typo index)."""
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def skill_key(text: str) -> str:
    """The canonical form of a skill phrase, used to store and compare skills."""
    return " ".join(_find_tokens(fold(text)))
