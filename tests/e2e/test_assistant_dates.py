"""Deadlines typed in words reach the pipeline: "350rb 3 hari" as an answer, /won … besok."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.app.runtime import runtime_of
from bot.store.models import Application, utcnow
from tests.support.chat import card_message, deliver, running, seen, sent_message
from tests.support.memory_bot import MemoryBot

LANGS = ["en", "id"]


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    async for bot in running(db_url):
        yield bot


async def _app(bot: MemoryBot, user: int) -> Application:
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        app = await session.scalar(select(Application).where(Application.user_id == user))
        assert app is not None
        return app


@pytest.mark.parametrize(
    ("lang", "answer", "days"),
    [("id", "350rb 3 hari", 3), ("en", "350rb 3 days", 3), ("id", "350rb 2 minggu", 14)],
)
async def test_a_deadline_in_words_answers_the_prompt(
    mbot: MemoryBot, lang: str, answer: str, days: int
) -> None:
    user = 7401
    await mbot.send(user, "/help", language_code=lang)
    [gig_id] = await deliver(mbot, user, ["Desain logo kopi"])
    await mbot.press(user, f"ap:{gig_id}", message=await card_message(mbot, user, gig_id))
    app = await _app(mbot, user)
    prompt = await mbot.press(
        user, f"pc:{app.id}:wn", message=await card_message(mbot, user, gig_id), language_code=lang
    )
    before = utcnow()
    calls = await mbot.send(user, answer, language_code=lang, reply_to=sent_message(prompt))
    assert "Rp350.000" in seen(calls)
    app = await _app(mbot, user)
    assert app.status == "won" and app.agreed_amount == Decimal("350000.00")
    assert app.deadline_at is not None
    assert abs(app.deadline_at - (before + timedelta(days=days))) < timedelta(minutes=1)


@pytest.mark.parametrize(("lang", "word"), [("id", "besok"), ("en", "tomorrow")])
async def test_won_with_a_named_day(mbot: MemoryBot, lang: str, word: str) -> None:
    user = 7402
    await mbot.send(user, "/help", language_code=lang)
    [gig_id] = await deliver(mbot, user, ["Desain logo roti"])
    await mbot.press(user, f"ap:{gig_id}", message=await card_message(mbot, user, gig_id))
    refused = seen(await mbot.send(user, "/won 1 500rb kapan-kapan", language_code=lang))
    assert {"en": "3 days, tomorrow, Friday", "id": "3 hari, besok, Jumat"}[lang] in refused
    text = seen(await mbot.send(user, f"/won 1 500rb {word}", language_code=lang))
    assert "🏆" in text
    app = await _app(mbot, user)
    assert app.deadline_at is not None
    assert timedelta(0) < app.deadline_at - utcnow() < timedelta(days=2)
