"""Corrections: Undo on /earned, /paid and every pipeline step; /earnings list deletes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.app.runtime import runtime_of
from bot.store.models import Application, Earning
from tests.support.chat import button, buttons, card_message, deliver, running, seen
from tests.support.memory_bot import MemoryBot

LANGS = ["en", "id"]
UNDO = {"en": "Undo", "id": "Batalkan"}


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    async for bot in running(db_url):
        yield bot


async def _earnings(bot: MemoryBot, user: int) -> list[Decimal]:
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        rows = await session.scalars(
            select(Earning.amount).where(Earning.user_id == user).order_by(Earning.id)
        )
        return list(rows)


async def _app(bot: MemoryBot, user: int) -> Application:
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        app = await session.scalar(select(Application).where(Application.user_id == user))
        assert app is not None
        session.expunge(app)
        return app


@pytest.mark.parametrize("lang", LANGS)
async def test_a_double_entry_is_undone_with_one_tap(mbot: MemoryBot, lang: str) -> None:
    user = 7301
    await mbot.send(user, "/earned 1,5jt", language_code=lang)
    calls = await mbot.send(user, "/earned 1.500.000", language_code=lang)
    assert await _earnings(mbot, user) == [Decimal("1500000.00")] * 2
    undone = seen(await mbot.press(user, button(calls, UNDO[lang]), language_code=lang))
    assert "Rp1.500.000" in undone
    assert await _earnings(mbot, user) == [Decimal("1500000.00")]
    # Pressed again: nothing more goes, and the user is told.
    again = seen(await mbot.press(user, button(calls, UNDO[lang]), language_code=lang))
    assert again and await _earnings(mbot, user) == [Decimal("1500000.00")]


@pytest.mark.parametrize("lang", LANGS)
async def test_earnings_list_deletes_the_tapped_entry(mbot: MemoryBot, lang: str) -> None:
    user = 7302
    for amount in ("150rb", "200rb", "20 USD"):
        await mbot.send(user, f"/earned {amount}", language_code=lang)
    word = {"en": "list", "id": "daftar"}[lang]
    calls = await mbot.send(user, f"/earnings {word}", language_code=lang)
    listing = seen(calls)
    assert "Rp150.000" in listing and "Rp200.000" in listing
    after = await mbot.press(user, button(calls, "Rp200.000"), language_code=lang)
    assert "Rp200.000" not in seen(after).split("\n", 2)[-1]  # gone from the redrawn list
    assert await _earnings(mbot, user) == [Decimal("150000.00"), Decimal("20.00")]
    # Someone else's entry id is refused and nothing is deleted.
    other = await mbot.press(7399, "ed:1", language_code=lang)
    assert seen(other) and await _earnings(mbot, user) == [Decimal("150000.00"), Decimal("20.00")]


@pytest.mark.parametrize("lang", LANGS)
async def test_pipeline_commands_and_buttons_can_be_undone(mbot: MemoryBot, lang: str) -> None:
    user = 7303
    await mbot.send(user, "/help", language_code=lang)
    [gig_id] = await deliver(mbot, user, ["Desain logo kopi"])
    await mbot.press(user, f"ap:{gig_id}", message=await card_message(mbot, user, gig_id))
    won = await mbot.send(
        user, "/won 1 500rb " + {"en": "3 days", "id": "3 hari"}[lang], language_code=lang
    )
    paid = await mbot.send(user, "/paid 1 500rb fee 50rb", language_code=lang)
    assert (await _app(mbot, user)).status == "paid"
    assert await _earnings(mbot, user) == [Decimal("450000.00")]
    await mbot.press(user, button(paid, UNDO[lang]), language_code=lang)
    app = await _app(mbot, user)
    assert (app.status, app.received_amount, app.paid_at) == ("won", None, None)
    assert await _earnings(mbot, user) == []
    # The older Undo (of "won") now works too, since the gig is back where it left it.
    await mbot.press(user, button(won, UNDO[lang]), language_code=lang)
    app = await _app(mbot, user)
    assert (app.status, app.agreed_amount, app.deadline_at) == ("applied", None, None)
    # A button on the card moves it; the Undo that appears takes it back.
    card = await card_message(mbot, user, gig_id)
    moved = await mbot.press(user, f"pc:{app.id}:lo", message=card, language_code=lang)
    assert (await _app(mbot, user)).status == "lost"
    card = await card_message(mbot, user, gig_id)
    await mbot.press(user, button(moved, UNDO[lang]), message=card, language_code=lang)
    assert (await _app(mbot, user)).status == "applied"


@pytest.mark.parametrize("lang", LANGS)
async def test_applied_from_a_card_can_be_undone(mbot: MemoryBot, lang: str) -> None:
    user = 7304
    await mbot.send(user, "/help", language_code=lang)
    [gig_id] = await deliver(mbot, user, ["Desain logo kopi"])
    card = await card_message(mbot, user, gig_id)
    pressed = await mbot.press(user, f"ap:{gig_id}", message=card, language_code=lang)
    assert (await _app(mbot, user)).status == "applied"
    card = await card_message(mbot, user, gig_id)
    undone = await mbot.press(user, button(pressed, UNDO[lang]), message=card, language_code=lang)
    async with runtime_of(mbot.app.bot_data).db.transaction() as session:
        left = await session.scalar(select(Application).where(Application.user_id == user))
    assert left is None
    assert any(data.startswith("ap:") for data in buttons(undone).values())  # card as before
    # A forged Undo that names no real move is refused without an error.
    await mbot.press(user, f"ap:{gig_id}", message=card, language_code=lang)
    app = await _app(mbot, user)
    forged = await mbot.press(user, f"pum:{app.id}:wo:ap", language_code=lang)
    assert seen(forged) and (await _app(mbot, user)).status == "applied"
