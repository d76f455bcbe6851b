"""A conversation that forgives: amounts without the reply gesture, hints that fit the user,
an answer to photos and stickers, and /settings questions that expire."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.app.runtime import runtime_of
from bot.store.models import Application, User, utcnow
from tests.support.chat import card_message, deliver, running, seen, user_row
from tests.support.memory_bot import MemoryBot

LANGS = ["en", "id"]


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    async for bot in running(db_url):
        yield bot


async def _status(bot: MemoryBot, user: int) -> tuple[str, Decimal | None]:
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        app = await session.scalar(select(Application).where(Application.user_id == user))
        assert app is not None
        return app.status, app.agreed_amount


def _media_message(bot: MemoryBot, user: int, lang: str, **content: Any) -> dict[str, Any]:
    return {
        "message": {
            "message_id": bot.request.allocate_message_id(user),
            "from": bot.tg_user(user, lang),
            "chat": {"id": user, "type": "private", "first_name": "U"},
            "date": int(time.time()),
            **content,
        }
    }


@pytest.mark.parametrize("lang", LANGS)
async def test_an_amount_right_after_the_prompt_answers_it(mbot: MemoryBot, lang: str) -> None:
    user = 7501
    await mbot.send(user, "/subscribe logo, caption, artikel, edit video", language_code=lang)
    [gig_id] = await deliver(mbot, user, ["Desain logo kopi"])
    await mbot.press(user, f"ap:{gig_id}", message=await card_message(mbot, user, gig_id))
    async with runtime_of(mbot.app.bot_data).db.transaction() as session:
        app_id = await session.scalar(select(Application.id).where(Application.user_id == user))
    card = await card_message(mbot, user, gig_id)
    await mbot.press(user, f"pc:{app_id}:wn", message=card, language_code=lang)
    # Typed as a new message, not as a reply to the prompt.
    text = seen(await mbot.send(user, "350rb", language_code=lang))
    assert "Rp350.000" in text and "/subscribe" not in text
    assert await _status(mbot, user) == ("won", Decimal("350000.00"))
    # Once answered, another amount is not read as that answer again.
    hint = seen(await mbot.send(user, "200rb", language_code=lang))
    assert "/earned 200rb" in hint and "/won 1 200rb" in hint


@pytest.mark.parametrize("lang", LANGS)
async def test_hints_fit_the_users_state(mbot: MemoryBot, lang: str) -> None:
    user = 7502
    first = seen(await mbot.send(user, "halo", language_code=lang))
    assert "/subscribe" in first  # no skills yet: how to add one
    await mbot.send(user, "/subscribe logo, caption, artikel, edit video", language_code=lang)
    greeting = seen(await mbot.send(user, "halo", language_code=lang))
    assert "/subscribe" not in greeting and "logo, caption, artikel, edit video" in greeting
    amount = seen(await mbot.send(user, "350rb", language_code=lang))
    assert "/earned 350rb" in amount and "/subscribe" not in amount
    other = seen(await mbot.send(user, "gimana caranya", language_code=lang))
    assert "/help" in other and "/subscribe" not in other


@pytest.mark.parametrize("lang", LANGS)
async def test_photos_stickers_and_voice_get_a_short_answer(mbot: MemoryBot, lang: str) -> None:
    user = 7503
    photo = [{"file_id": "p1", "file_unique_id": "up1", "width": 10, "height": 10}]
    sticker = {
        "file_id": "s1",
        "file_unique_id": "us1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    voice = {"file_id": "v1", "file_unique_id": "uv1", "duration": 3}
    for content in ({"photo": photo}, {"sticker": sticker}, {"voice": voice}):
        calls = await mbot.process(_media_message(mbot, user, lang, **content))
        answer = seen(calls)
        assert {"en": "only read text", "id": "hanya bisa membaca teks"}[lang] in answer


@pytest.mark.parametrize("lang", LANGS)
async def test_a_settings_question_expires_after_ten_minutes(mbot: MemoryBot, lang: str) -> None:
    user = 7504
    await mbot.send(user, "/settings", language_code=lang)
    await mbot.press(user, "se:tz", language_code=lang)
    async with runtime_of(mbot.app.bot_data).db.transaction() as session:
        await session.execute(
            update(User).where(User.id == user).values(prompt_at=utcnow() - timedelta(minutes=11))
        )
    late = seen(await mbot.send(user, "Asia/Singapore", language_code=lang))
    assert "/settings" in late and "10" in late
    assert (await user_row(mbot, user)).timezone == "Asia/Jakarta"
    # Asked again and answered in time, the answer is taken.
    await mbot.press(user, "se:tz", language_code=lang)
    await mbot.send(user, "Asia/Singapore", language_code=lang)
    assert (await user_row(mbot, user)).timezone == "Asia/Singapore"
