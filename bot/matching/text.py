"""Text normalisation for matching: case folding, word tokens, light stemming."""

from __future__ import annotations

import re
import unicodedata

# Word characters plus the symbols that make "c++" and "c#" distinct words.
_TOKEN = re.compile(r"[^\W_]+(?:[+#]+)?", re.UNICODE)


def fold(text: str) -> str:
    """Unicode-normalise and case-fold text."""
    return unicodedata.normalize("NFKC", text).casefold()


def stem(token: str) -> str:
    """A light English plural stem: 'articles' -> 'article'; short words are left alone."""
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Folded, stemmed word tokens; punctuation and hashtags split words apart."""
    return [stem(t) for t in _TOKEN.findall(fold(text))]


def skill_key(text: str) -> str:
    """The canonical form of a skill phrase, used to store and compare skills."""
    return " ".join(_TOKEN.findall(fold(text)))
