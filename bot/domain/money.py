"""Reading amounts users type, the money limits and currency list; `Rates` re-exported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import list_currencies

from bot.matching.rates import Rates as Rates  # the one class, re-exported for callers
from scrapers.normalize import parse_amount

# Words only rupiah amounts are written with: "150rb", "1,5jt", "2 juta" are rupiah whatever
# the user's own currency ("k" is rupiah only next to "Rp", which names the currency anyway).
RUPIAH_UNIT = re.compile(r"\d\s*(?:rb|rbu|ribu|jt|jta|juta|miliar|milyar)\.?\s*$", re.IGNORECASE)


def read_amount(text: str) -> tuple[Decimal, str | None] | None:
    """(amount, stated currency) from what a user typed: '150rb' is IDR for every user."""
    parsed = parse_amount(text)
    if parsed is None:
        return None
    amount, currency = parsed
    if currency is None and RUPIAH_UNIT.search(text):
        currency = "IDR"
    return amount, currency


def looks_like_amount(text: str) -> bool:
    """True when the text starts with an amount (350rb, 1,5jt, 20 USD)."""
    words = text.split()
    return bool(words) and any(read_amount(" ".join(words[:n])) for n in (2, 1))


MAX_AMOUNT = Decimal("9999999999999")


KNOWN_CURRENCIES = frozenset(list_currencies())


@dataclass(frozen=True)
class EarnedInput:
    """A parsed /earned command."""

    amount: Decimal
    currency: str
    note: str


def within_limits(amount: Decimal) -> bool:
    """True for an amount a money column keeps: more than zero and at most MAX_AMOUNT."""
    return 0 < amount <= MAX_AMOUNT


def split_money(words: list[str], default_currency: str) -> tuple[Decimal, str, list[str]] | None:
    """(amount, currency, the words after it) for an amount at the start of `words`, or None."""
    # Try the longest prefix first so "150 rb" and "20 USD" are read as one amount.
    for width in (2, 1):
        if len(words) < width:
            continue
        parsed = read_amount(" ".join(words[:width]))
        if parsed is None:
            continue
        if width == 2 and parsed == read_amount(words[0]):
            continue  # the second word added nothing to the amount: it is the note
        amount, currency = parsed
        rest = words[width:]
        if currency is None and rest and rest[0].upper() in KNOWN_CURRENCIES:
            currency, rest = rest[0].upper(), rest[1:]
        return amount, (currency or default_currency).upper(), rest
    return None


def parse_earned(args: list[str], default_currency: str) -> EarnedInput | None:
    """Amount (with units like rb/jt and an optional currency) then a free note."""
    found = split_money(args, default_currency)
    if found is None:
        return None
    amount, currency, rest = found
    return EarnedInput(amount, currency, " ".join(rest))
