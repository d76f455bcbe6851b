"""The one budget finder for free text in English or Indonesian ("fee 200rb", "$50/hr")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType
from scrapers.normalize import parse_budget

__all__ = ["find_budget"]

_CUR = (
    r"(?:us\$|s\$|a\$|c\$|\$|€|£|₹"
    r"|(?<![a-z])(?:rp\.?|idr|usd|eur|gbp|sgd|myr|aud|cad|inr)(?![a-z]))"
)
_CUR_AFTER = r"(?:rupiah|idr|usd|(?:us\s)?dollars?|dolar|eur|euros?|gbp|sgd|myr)(?![a-z])"
_MULT = r"(?:k|rb|rbu|ribu|jt|jta|juta)(?![a-z])"
_NUM = r"\d(?:[\d.,]*\d)?"
# "USD $1800" names the currency twice; parse_budget wants it once.
_AMOUNT = rf"(?:(?:{_CUR}\s?){{1,2}}|(?<![\w.,])){_NUM}(?:\s?{_MULT})?(?:\s?{_CUR_AFTER})?"
_RANGE = r"\s?(?:-|–|—|~|to|sampai|hingga|s/d)\s?"
_BOUND = (
    r"(?:up\s?to|max(?:imum)?|maks(?:imal)?|under|from|min(?:imum)?|minimal"
    r"|mulai(?:\s+dari)?|starting\s+at|at\s+least)\s"
)
# Only the period words that `parse_budget` understands.
_PERIOD = (
    r"(?:\s?p?/\s?(?:hr|hrs|hour|h|jam|yr|year|annum|month|mo|bulan|bln|thn|tahun|project)(?![a-z])"
    r"|\sper\s(?:hour|hr|jam|year|annum|month|bulan|tahun|project)(?![a-z])"
    r"|\san\shour|\sa\s(?:year|month)"
    r"|\s(?:hourly|sejam|monthly|yearly|annually)(?![a-z])|\sp\.a\.)"
)
# Words that say an amount is pay, English and Indonesian.
_PAY_WORDS = (
    "budget", "budjet", "fee", "pay", "paying", "payment", "paid", "rate", "price", "salary",
    "compensation", "comp", "reward", "bayaran", "upah", "harga", "dihargai", "tarif", "gaji",
    "honor", "honorarium", "komisi", "imbalan", "biaya", "dibayar",
)  # fmt: skip
_CURRENCY_CODES = ("rp", "idr", "usd", "eur", "gbp", "sgd", "myr", "aud", "cad", "inr")
_CURRENCY_WORDS = ("rupiah", "dollar", "dollars", "dolar", "euro", "euros")
_BOUND_WORDS = ("max", "maks", "under", "from", "min", "mulai", "starting")


def _one_of(words: tuple[str, ...]) -> str:
    """A regex group matching any of `words`, grouped by first letter (a much faster scan)."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    return "(?:" + "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in by_first.items()) + ")"


_KEYWORD = rf"(?<![a-z]){_one_of(_PAY_WORDS)}(?![a-z])"
# Not a budget when the number goes on ("$1.1B", "10%") or is scaled past pay ("$71M").
_NOT_AFTER = r"(?![\d%]|[.,]\d|\s?(?:m|b|bn|mn|mio|million|billion)(?![a-z]))"
_MONEY_RE = re.compile(
    rf"(?:(?P<kw>{_KEYWORD})[\s:=\-]{{0,3}})?(?P<bound>{_BOUND})?"
    rf"(?P<low>{_AMOUNT})(?:{_RANGE}(?P<high>{_AMOUNT}))?{_NOT_AFTER}(?P<plus>\+)?"
    rf"(?P<period>{_PERIOD})?(?P<per_unit>\s?(?:/|per\s)\s?[a-z]+)?",
    re.IGNORECASE,
)
# Where a stated budget can begin, scanned on lower-cased text (much faster than IGNORECASE);
# `_MONEY_RE` then checks each candidate in the original text.
_START_WORDS = (
    rf"[$€£₹]|\b(?:\d|{_one_of(_PAY_WORDS + _CURRENCY_CODES + _BOUND_WORDS)}"
    r"|up\s?to|at\s+least|(?:us|s|a|c)\$)"
)
_START_RE = re.compile(_START_WORDS)
_START_CI_RE = re.compile(_START_WORDS, re.IGNORECASE)
# In long prose only the neighbourhood of a currency or rupiah unit is scanned (much cheaper).
_ANCHOR_WORDS = (*_CURRENCY_CODES, *_CURRENCY_WORDS)
# Case-sensitive with the usual spellings listed: much faster than IGNORECASE on long texts.
_ANCHOR_RE = re.compile(
    r"[$€£₹]|(?<![A-Za-z])"
    + _one_of(tuple(v for w in _ANCHOR_WORDS for v in (w, w.upper(), w.capitalize())))
    + r"(?![a-z])|\d\s?(?:rb|rbu|ribu|jt|jta|juta|Rb|Jt|Juta|RB|JT)(?![a-z])"
)
_LOOK_BACK = 40  # characters before an anchor where its amount (or pay word) may start
_HAS_CUR_RE = re.compile(rf"{_CUR}|{_CUR_AFTER}", re.IGNORECASE)
_IDR_MULT_RE = re.compile(r"\d\s?(?:rb|rbu|ribu|jt|jta|juta)(?![a-z])", re.IGNORECASE)
_P_SLASH_RE = re.compile(r"^\s?p/", re.IGNORECASE)  # "$30p/h": "p/h" is "/h"
_DOUBLE_CUR_RE = re.compile(r"(?:usd|us\$)\s?\$", re.IGNORECASE)
_US_DOLLARS_RE = re.compile(r"\bus\s(?:dollars?)\b", re.IGNORECASE)
# A pay word a little before an amount, in the same sentence ("Budget for this: $300").
_LABEL_BEFORE_RE = re.compile(rf"\b{_one_of(_PAY_WORDS)}\b[^.\n]{{0,25}}$", re.IGNORECASE)
_SALARY_CURRENCIES = frozenset({"USD", "EUR", "GBP", "AUD", "CAD", "SGD", "CHF"})
# Without a period word, an amount this big in a Western currency is a yearly salary.
_SALARY_FLOOR = Decimal(20_000)


def _is_stated(match: re.Match[str], text: str, lone_amounts: bool) -> bool:
    """Whether a money match reads as pay rather than some other number."""
    low, high = match["low"], match["high"] or ""
    has_currency = _HAS_CUR_RE.search(low + high) is not None
    if not (has_currency or _IDR_MULT_RE.search(low + high) or match["kw"]):
        return False
    if lone_amounts or any(match[g] for g in ("kw", "high", "period", "per_unit", "bound")):
        return True
    return _LABEL_BEFORE_RE.search(text, max(0, match.start() - 40), match.start()) is not None


def _amount_text(match: re.Match[str]) -> str:
    """The matched amount rewritten in the shape `parse_budget` reads."""
    if match["high"]:
        amount = f"{match['low']} - {match['high']}"  # "from $400-$4,000": the range wins
    else:
        amount = (match["bound"] or "") + match["low"] + (match["plus"] or "")
    amount = _US_DOLLARS_RE.sub("USD", _DOUBLE_CUR_RE.sub("$", amount))
    return amount + _P_SLASH_RE.sub(" /", match["period"] or "")


def _starts(text: str, lone_amounts: bool) -> Iterator[int]:
    """Offsets where a stated budget may begin, left to right."""
    if lone_amounts:
        lowered = text.lower()
        if len(lowered) == len(text):
            yield from (m.start() for m in _START_RE.finditer(lowered))
        else:  # lower() changed the length: scan the original text case-insensitively
            yield from (m.start() for m in _START_CI_RE.finditer(text))
        return
    scanned = 0
    for anchor in _ANCHOR_RE.finditer(text):
        begin = max(scanned, anchor.start() - _LOOK_BACK)
        window = text[begin : anchor.end()]
        lowered = window.lower()
        starts = (
            _START_RE.finditer(lowered)
            if len(lowered) == len(window)
            else _START_CI_RE.finditer(window)
        )
        yield from (begin + m.start() for m in starts)
        scanned = max(scanned, anchor.end())


def find_budget(
    text: str, *, default_currency: str | None = None, lone_amounts: bool = True
) -> Budget:
    """The first stated budget in free text ("fee 200rb", "$20/hr"); else UNKNOWN_BUDGET.

    An amount counts when it has a currency, an Indonesian unit ("rb", "jt") or a pay word
    just before it ("fee 50k"). With `lone_amounts=False` (long prose such as job-board
    feeds, where "$5 coffee" is not pay) a single amount also needs a period ("/hr"), a
    bound ("up to") or a pay word shortly before it, ranges always count, and only amounts
    near a currency or rupiah unit are looked at.
    """
    if not text:
        return UNKNOWN_BUDGET
    text = text.replace("\xa0", " ")
    consumed = 0
    for start in _starts(text, lone_amounts):
        if start < consumed:
            continue
        match = _MONEY_RE.match(text, start)
        if match is None:
            continue
        consumed = match.end()
        if not _is_stated(match, text, lone_amounts):
            continue
        currency = default_currency
        if not _HAS_CUR_RE.search(match["low"] + (match["high"] or "")) and _IDR_MULT_RE.search(
            match.group(0)
        ):
            currency = "IDR"
        budget = parse_budget(_amount_text(match), default_currency=currency)
        if budget.is_known:
            return _salary_when_large(budget, has_period=bool(match["period"]))
    return UNKNOWN_BUDGET


def _salary_when_large(budget: Budget, *, has_period: bool) -> Budget:
    """A fixed amount of yearly-salary size in a Western currency is a salary."""
    top = budget.max if budget.max is not None else budget.min
    if (
        budget.type is BudgetType.FIXED
        and not has_period
        and budget.currency in _SALARY_CURRENCIES
        and top is not None
        and top >= _SALARY_FLOOR
    ):
        return Budget(budget.min, budget.max, budget.currency, BudgetType.SALARY)
    return budget
