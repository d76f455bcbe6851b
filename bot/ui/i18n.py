"""Translations (gettext catalogues read with Babel) and locale-aware money formatting."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_currency_symbol
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "id")
DEFAULT_LANGUAGE = "en"
BABEL_LOCALE = {"en": "en_US", "id": "id_ID"}

Translate = Callable[[str], str]
PluralTranslate = Callable[[str, str, int], str]


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; translate it where it is shown."""
    return message


def language_for(telegram_code: str | None) -> str:
    """Indonesian for Telegram language codes starting with 'id', otherwise English."""
    return "id" if (telegram_code or "").lower().startswith(("id", "in")) else "en"


@cache
def _translations(language: str) -> NullTranslations:
    """Every .po file of a language (one per area of the bot) as one Babel `Translations`,
    compiled in memory; fuzzy entries are left out. English is the message ids themselves."""
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    merged = Translations()
    for path in sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        merged.merge(Translations(compiled))
    return merged


def _catalogue(language: str) -> dict[str, str]:
    """Every translated singular message of a language: message id -> translation."""
    table = getattr(_translations(language), "_catalog", {})
    return {k: v for k, v in table.items() if isinstance(k, str) and k and v}


def translator(language: str) -> Translate:
    """A function that translates an English message id into `language`."""
    return _translations(language).gettext


def plural_translator(language: str) -> PluralTranslate:
    """`ngettext` for `language`: the singular or plural message for a count, in the
    language's plural rule (Indonesian has one form)."""
    return _translations(language).ngettext


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
