"""Reading the settings users type: time zones (WIB, WITA, WIT or IANA names), minimum
budgets and currency codes."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from zoneinfo import available_timezones

from bot.domain.money import KNOWN_CURRENCIES, parse_earned, within_limits
from bot.domain.schedule_rules import OFF_WORDS

ZONES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}


ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


CURRENCIES = ("IDR", "USD")


@cache
def _zones_by_fold() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_zone(text: str) -> str | None:
    """'WITA', 'asia/singapore' or 'Europe/Berlin' as an IANA name; None when unknown."""
    word = text.strip()
    if word.casefold() in ZONES:
        return ZONES[word.casefold()]
    return _zones_by_fold().get(word.replace(" ", "_").casefold())


def zone_label(name: str) -> str:
    """'Asia/Jakarta (WIB)'."""
    short = ZONE_LABELS.get(name)
    return f"{name} ({short})" if short else name


def parse_budget(text: str, default_currency: str) -> tuple[Decimal | None, str | None] | None:
    """'75rb', '20 USD', 'none' → (amount, currency); (None, None) for no minimum; None if bad."""
    words = text.split()
    if not words:
        return None
    if " ".join(words).casefold() in OFF_WORDS | {"no minimum", "tanpa minimum", "tidak ada"}:
        return None, None
    parsed = parse_earned(words, default_currency)
    if parsed is None or parsed.note or parsed.currency not in KNOWN_CURRENCIES:
        return None
    if not within_limits(parsed.amount):
        return None
    return parsed.amount, parsed.currency


def parse_currency(text: str) -> str | None:
    """A three-letter currency code, or None."""
    code = text.strip().upper()
    if code in {"RP", "RUPIAH"}:
        return "IDR"
    if code in {"$", "DOLLAR", "DOLAR"}:
        return "USD"
    return code if code in KNOWN_CURRENCIES else None
