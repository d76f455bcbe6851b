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
    r"(?:\s?/\s?(?:hr|hrs|hour|h|jam|yr|year|annum|month|mo|bulan|bln|thn|tahun|project)(?![a-z])"
    r"|\sper\s(?:hour|hr|jam|year|annum|month|bulan|tahun|project)(?![a-z])"
    r"|\san\shour|\sa\s(?:year|month)"
    r"|\s(?:hourly|sejam|monthly|yearly|annually)(?![a-z])|\sp\.a\.)"
)
_KEYWORD = (
    r"(?<![a-z])(?:budget|budjet|fee|pay|paying|payment|rate|price|salary|compensation|reward"
    r"|bayaran|upah|harga|gaji|honor|honorarium|komisi|imbalan|biaya|dibayar)(?![a-z])"
)
# Not a budget when the number goes on ("$1.1B", "10%") or is scaled past pay ("$71M").
_NOT_AFTER = r"(?![\d%]|[.,]\d|\s?(?:m|b|bn|mn|mio|million|billion)(?![a-z]))"
_MONEY_RE = re.compile(
    rf"(?:(?P<kw>{_KEYWORD})[\s:=\-]{{0,3}})?(?P<bound>{_BOUND})?"
    rf"(?P<low>{_AMOUNT})(?:{_RANGE}(?P<high>{_AMOUNT}))?{_NOT_AFTER}(?P<plus>\+)?"
    rf"(?P<period>{_PERIOD})?",
    re.IGNORECASE,
)
# Where a stated budget can begin, scanned on lower-cased text (much faster than IGNORECASE);
# `_MONEY_RE` then checks each candidate in the original text.
_START_WORDS = (
    r"[$€£₹]|\b(?:\d|budget|budjet|fee|pay|rate|price|salary|compensation|reward|bayaran"
    r"|upah|harga|gaji|honor|komisi|imbalan|biaya|dibayar|up\s?to|max|maks|under|from|min"
    r"|mulai|starting|at\s+least|(?:us|s|a|c)\$|rp|idr|usd|eur|gbp|sgd|myr|aud|cad|inr)"
)
_START_RE = re.compile(_START_WORDS)
_START_CI_RE = re.compile(_START_WORDS, re.IGNORECASE)
# In long prose only the neighbourhood of a currency or rupiah unit is scanned (much cheaper).
_ANCHOR_WORDS = (
    r"[$€£₹]|(?<![a-z])(?:rp|idr|usd|eur|gbp|sgd|myr|aud|cad|inr|rupiah|dollars?|dolar|euros?)"
    r"(?![a-z])|\d\s?(?:rb|rbu|ribu|jt|jta|juta)(?![a-z])"
)
_ANCHOR_RE = re.compile(_ANCHOR_WORDS)
_ANCHOR_CI_RE = re.compile(_ANCHOR_WORDS, re.IGNORECASE)
_LOOK_BACK = 40  # characters before an anchor where its amount (or pay word) may start
_HAS_CUR_RE = re.compile(rf"{_CUR}|{_CUR_AFTER}", re.IGNORECASE)
_IDR_MULT_RE = re.compile(r"\d\s?(?:rb|rbu|ribu|jt|jta|juta)(?![a-z])", re.IGNORECASE)
_DOUBLE_CUR_RE = re.compile(r"(?:usd|us\$)\s?\$", re.IGNORECASE)
_US_DOLLARS_RE = re.compile(r"\bus\s(?:dollars?)\b", re.IGNORECASE)
# A pay word a little before an amount, in the same sentence ("Budget for this: $300").
_LABEL_BEFORE_RE = re.compile(
    r"\b(?:budget|salary|rate|pay|paid|compensation|comp|gaji|upah|honor|fee|bayaran)\b"
    r"[^.\n]{0,25}$",
    re.IGNORECASE,
)
_SALARY_CURRENCIES = frozenset({"USD", "EUR", "GBP", "AUD", "CAD", "SGD", "CHF"})
# Without a period word, an amount this big in a Western currency is a yearly salary.
_SALARY_FLOOR = Decimal(20_000)


def _is_stated(match: re.Match[str], text: str, lone_amounts: bool) -> bool:
    """Whether a money match reads as pay rather than some other number."""
    low, high = match["low"], match["high"] or ""
    has_currency = _HAS_CUR_RE.search(low + high) is not None
    if not (has_currency or _IDR_MULT_RE.search(low + high) or match["kw"]):
        return False
    if lone_amounts or match["kw"] or match["high"] or match["period"] or match["bound"]:
        return True
    return _LABEL_BEFORE_RE.search(text, max(0, match.start() - 40), match.start()) is not None


def _amount_text(match: re.Match[str]) -> str:
    """The matched amount rewritten in the shape `parse_budget` reads."""
    if match["high"]:
        amount = f"{match['low']} - {match['high']}"  # "from $400-$4,000": the range wins
    else:
        amount = (match["bound"] or "") + match["low"] + (match["plus"] or "")
    amount = _US_DOLLARS_RE.sub("USD", _DOUBLE_CUR_RE.sub("$", amount))
    return amount + (match["period"] or "")


def _starts(text: str, lone_amounts: bool) -> Iterator[int]:
    """Offsets where a stated budget may begin, left to right."""
    lowered = text.lower()
    if len(lowered) == len(text):
        haystack, start_re, anchor_re = lowered, _START_RE, _ANCHOR_RE
    else:  # lower() changed the length: scan the original text case-insensitively
        haystack, start_re, anchor_re = text, _START_CI_RE, _ANCHOR_CI_RE
    if lone_amounts:
        yield from (m.start() for m in start_re.finditer(haystack))
        return
    scanned = 0
    for anchor in anchor_re.finditer(haystack):
        begin = max(scanned, anchor.start() - _LOOK_BACK)
        yield from (m.start() for m in start_re.finditer(haystack, begin, anchor.end()))
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
