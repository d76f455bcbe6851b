"""Every message the bot can show exists in Indonesian, with the same placeholders."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from babel.messages.extract import extract_from_dir

import bot
from bot.ui.i18n import _catalogue, format_money, language_for, translator

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _source_messages() -> set[str]:
    root = Path(bot.__file__).parent
    found = extract_from_dir(
        str(root), method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
    )
    return {message for _file, _line, message, _comments, _context in found}


def test_every_message_has_an_indonesian_translation() -> None:
    messages = _source_messages()
    catalogue = _catalogue("id")
    assert len(messages) > 40
    missing = sorted(m for m in messages if not catalogue.get(m))
    assert missing == []


def test_translations_keep_their_placeholders() -> None:
    for message, translated in _catalogue("id").items():
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(translated)), message


def test_translator_falls_back_to_english() -> None:
    assert translator("id")("Applied") == "Sudah melamar"
    assert translator("en")("Applied") == "Applied"
    assert translator("id")("a message nobody wrote") == "a message nobody wrote"


def test_language_from_telegram_code() -> None:
    assert language_for("id") == "id"
    assert language_for("id-ID") == "id"
    assert language_for("en-GB") == "en"
    assert language_for(None) == "en"


def test_money_is_written_the_way_each_currency_is_read() -> None:
    assert format_money(Decimal("150000"), "IDR") == "Rp150.000"
    assert format_money(Decimal("1500000.50"), "IDR") == "Rp1.500.000,50"
    assert format_money(Decimal("20"), "USD") == "$20.00"
    assert format_money(Decimal("5.5"), "EUR") == "€5.50"
    assert format_money(Decimal("7"), "SGD") == "7.00 SGD"


def test_plurals_follow_each_languages_rule() -> None:
    from bot.ui.i18n import plural_translator

    en, id_ = plural_translator("en"), plural_translator("id")
    assert en("{n} bid", "{n} bids", 1).format(n=1) == "1 bid"
    assert en("{n} bid", "{n} bids", 4).format(n=4) == "4 bids"
    assert id_("{n} bid", "{n} bids", 1).format(n=1) == "1 penawaran"
    assert id_("{n} entry", "{n} entries", 3).format(n=3) == "3 catatan"
    assert en("{n} day", "{n} days", 1).format(n=1) == "1 day"
    assert id_("{n} day", "{n} days", 5).format(n=5) == "5 hari"
