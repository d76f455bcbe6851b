"""Money units and currencies through the real application: rupiah words stay rupiah, a
budget button never switches the currency, a currency switch converts the minimum budget."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.app.runtime import runtime_of
from bot.store.models import Earning
from tests.support.chat import buttons, running, seen, user_row
from tests.support.memory_bot import MemoryBot

LANGS = ["en", "id"]


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    async for bot in running(db_url):
        yield bot


async def _use_currency(bot: MemoryBot, user: int, code: str, lang: str) -> str:
    await bot.send(user, "/settings", language_code=lang)
    return seen(await bot.press(user, f"se:cur:{code}", language_code=lang))


async def _earnings(bot: MemoryBot, user: int) -> list[tuple[Decimal, str]]:
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        rows = await session.execute(
            select(Earning.amount, Earning.currency).where(Earning.user_id == user)
        )
        return [(a, c) for a, c in rows.all()]


@pytest.mark.parametrize("lang", LANGS)
async def test_rupiah_words_are_rupiah_for_a_dollar_user(mbot: MemoryBot, lang: str) -> None:
    user = 7101
    await _use_currency(mbot, user, "USD", lang)
    text = seen(await mbot.send(user, "/earned 150rb", language_code=lang))
    assert "Rp150.000" in text and "150,000.00" not in text
    await mbot.send(user, "/earned 1,5jt", language_code=lang)
    await mbot.send(user, "/earned 2 juta", language_code=lang)
    await mbot.send(user, "/earned 20", language_code=lang)  # no unit: the user's currency
    assert await _earnings(mbot, user) == [
        (Decimal("150000.00"), "IDR"),
        (Decimal("1500000.00"), "IDR"),
        (Decimal("2000000.00"), "IDR"),
        (Decimal("20.00"), "USD"),
    ]
    budget = seen(await mbot.send(user, "/minbudget 100rb", language_code=lang))
    stored = await user_row(mbot, user)
    assert stored.currency == "USD" and stored.min_budget == Decimal("6.02")
    assert {"en": "$6.02", "id": "US$6,02"}[lang] in budget


@pytest.mark.parametrize("lang", LANGS)
async def test_dollars_are_written_for_the_readers_language(mbot: MemoryBot, lang: str) -> None:
    text = seen(await mbot.send(7102, "/earned 150000 USD", language_code=lang))
    assert {"en": "$150,000.00", "id": "US$150.000"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
async def test_a_budget_button_never_changes_the_currency(mbot: MemoryBot, lang: str) -> None:
    user = 7103
    await mbot.send(user, "/start", language_code=lang)
    await mbot.press(user, "ob:lang:skip", language_code=lang)
    labels = set(buttons(await mbot.press(user, "ob:sk:skip", language_code=lang)))
    # Amounts in what the language thinks in: rupiah in Indonesian, dollars in English.
    offered, other = {"en": ("$10", "Rp100rb"), "id": ("Rp100rb", "$10")}[lang]
    assert offered in labels and other not in labels
    await mbot.press(user, "ob:bud:" + {"en": "u10", "id": "r100"}[lang], language_code=lang)
    stored = await user_row(mbot, user)
    expected = {"en": Decimal("166000.00"), "id": Decimal("100000.00")}[lang]
    assert (stored.currency, stored.min_budget) == ("IDR", expected)
    # A dollar user's rupiah button converts too, and the currency stays.
    await _use_currency(mbot, user, "USD", lang)
    await mbot.press(user, "se:bud:r500", language_code=lang)
    stored = await user_row(mbot, user)
    assert (stored.currency, stored.min_budget) == ("USD", Decimal("30.12"))


@pytest.mark.parametrize("lang", LANGS)
async def test_switching_currency_converts_the_minimum_and_says_so(
    mbot: MemoryBot, lang: str
) -> None:
    user = 7104
    await mbot.send(user, "/minbudget 166rb", language_code=lang)
    text = await _use_currency(mbot, user, "USD", lang)
    stored = await user_row(mbot, user)
    assert (stored.currency, stored.min_budget) == ("USD", Decimal("10.00"))
    assert "Rp166.000 → " + {"en": "$10.00", "id": "US$10"}[lang] in text
    await mbot.send(user, "/settings", language_code=lang)
    await mbot.press(user, "se:cur", language_code=lang)
    back = seen(await mbot.send(user, "IDR", language_code=lang))
    stored = await user_row(mbot, user)
    assert (stored.currency, stored.min_budget) == ("IDR", Decimal("166000.00"))
    assert "Rp166.000" in back
    # Settings show the minimum in the new currency, never the old number with a new sign.
    assert "Rp10" not in seen(await mbot.send(user, "/settings", language_code=lang)).replace(
        "Rp100", ""
    )


@pytest.mark.parametrize("lang", LANGS)
async def test_a_budget_without_a_currency_is_shown_without_a_sign(lang: str) -> None:
    from bot.store.models import GigRow
    from bot.ui.render import budget_text

    gig = GigRow(budget_min=Decimal(250), budget_max=Decimal(400), currency=None)
    gig.budget_type = "fixed"
    text = budget_text(gig, lang)
    assert "$" not in text and "USD" not in text and "250" in text and "400" in text
