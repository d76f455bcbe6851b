"""Translations (gettext catalogues read with Babel) and locale-aware money formatting."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_currency_symbol

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "id")
DEFAULT_LANGUAGE = "en"
BABEL_LOCALE = {"en": "en_US", "id": "id_ID"}

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; translate it where it is shown."""
    return message


def language_for(telegram_code: str | None) -> str:
    """Indonesian for Telegram language codes starting with 'id', otherwise English."""
    return "id" if (telegram_code or "").lower().startswith(("id", "in")) else "en"


@cache
def _catalogue(language: str) -> dict[str, str]:
    """Every .po file of a language merged (one file per area of the bot)."""
    table: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        table.update(
            {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}
        )
    return table


def translator(language: str) -> Translate:
    """A function that translates an English message id into `language`."""
    table = _catalogue(language) if language != DEFAULT_LANGUAGE else {}
    return lambda message: table.get(message, message)


def format_money(amount: Decimal, currency: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Money as the reader writes it: Rp150.000; $20.00 in English, US$20 in Indonesian."""
    currency = currency.upper()
    whole = amount == amount.to_integral_value()
    if currency == "IDR":
        pattern = "#,##0" if whole else "#,##0.00"
        return "Rp" + format_decimal(amount, format=pattern, locale="id_ID")
    if language == "id":
        symbol = get_currency_symbol(currency, locale="id_ID")
        pattern = "#,##0" if whole else "#,##0.00"
        number = format_decimal(amount, format=pattern, locale="id_ID")
        return f"{symbol}{number}" if symbol != currency else f"{number} {currency}"
    symbol = get_currency_symbol(currency, locale="en_US")
    number = format_decimal(amount, format="#,##0.00", locale="en_US")
    return f"{symbol}{number}" if len(symbol) == 1 else f"{number} {currency}"


def format_plain(amount: Decimal, language: str = DEFAULT_LANGUAGE) -> str:
    """An amount without a currency (a budget whose currency the listing does not say)."""
    whole = amount == amount.to_integral_value()
    pattern = "#,##0" if whole else "#,##0.00"
    return format_decimal(amount, format=pattern, locale=BABEL_LOCALE.get(language, "en_US"))
