"""Groups, supergroups and channels: one line pointing to the private chat, nothing changed.

The real application (bot.app.application.build_application) handles updates shaped as
Telegram sends them from a group, a supergroup and a channel.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app.jobs import DELIVERY_KEY
from bot.app.runtime import runtime_of
from bot.store.models import Skill, User
from bot.store.repos import GigRepo
from tests.support.factories import gig, match_new_gigs
from tests.support.memory_bot import BOT_USERNAME, Call, MemoryBot, memory_bot, memory_settings

pytestmark = pytest.mark.timeout(60)
ANA, BUDI = 8101, 8102
GROUP = -1001234567890
LINK = f"https://t.me/{BOT_USERNAME}"


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[MemoryBot]:
    async with memory_bot(memory_settings(db_url)) as running:
        yield running


def in_chat(bot: MemoryBot, user_id: int, text: str, chat: dict[str, Any]) -> dict[str, Any]:
    """A message from the user in another chat (group, supergroup)."""
    message = bot.message(user_id, text)
    return {**message, "chat": chat, "message_id": int(time.time() * 1000) % 10**6}


def group(kind: str = "supergroup") -> dict[str, Any]:
    return {"id": GROUP, "type": kind, "title": "Freelancer Jakarta"}


async def user_row(bot: MemoryBot, user_id: int) -> tuple[Any, ...] | None:
    db = runtime_of(bot.app.bot_data).db
    async with db.transaction() as session:
        user = await session.get(User, user_id)
        skills = await session.scalar(select(func.count(Skill.id)).where(Skill.user_id == user_id))
        if user is None:
            return None
        return (user.chat_id, user.language, user.updated_at, user.onboarding_step, skills)


def only_pointer(calls: list[Call], chat_id: int) -> str:
    """The calls are one message to `chat_id`; its text."""
    assert [(c.method, c.params.get("chat_id")) for c in calls] == [("sendMessage", chat_id)]
    text = calls[0].text or ""
    assert LINK in text and "\n" not in text.strip()
    assert "reply_markup" not in calls[0].params
    return text


@pytest.mark.parametrize("kind", ["group", "supergroup"])
async def test_commands_in_a_group_point_to_the_private_chat_and_create_nobody(
    bot: MemoryBot, kind: str
) -> None:
    for command in ("/start", "/settings", "/subscribe logo", "/earnings", "/delete_me"):
        calls = await bot.process({"message": in_chat(bot, ANA, command, group(kind))})
        assert "private chat" in only_pointer(calls, GROUP)
    assert await user_row(bot, ANA) is None
    assert bot.errors == []


async def test_a_known_user_is_answered_in_their_language_and_nothing_changes(
    bot: MemoryBot,
) -> None:
    await bot.send(ANA, "/start", language_code="id")
    await bot.send(ANA, "/subscribe logo", language_code="id")
    before = await user_row(bot, ANA)
    assert before is not None and before[0] == ANA and before[1] == "id" and before[4] == 1
    for command in ("/settings", "/unsubscribe logo", "/lang", "/pause", "/skills"):
        message = in_chat(bot, ANA, command, group())
        message["from"]["language_code"] = "en"  # the stored choice wins
        calls = await bot.process({"message": message})
        assert "chat pribadi" in only_pointer(calls, GROUP)
    assert await user_row(bot, ANA) == before  # same chat, language, skills, updated_at


async def test_buttons_pressed_in_a_group_do_nothing(bot: MemoryBot) -> None:
    await bot.send(ANA, "/start")
    calls = await bot.send(ANA, "/settings")
    data = bot.last_markup_data(calls)
    assert data, "settings offer buttons"
    before = await user_row(bot, ANA)
    settings_message = bot.request.bot_message(ANA, calls[-1].message_id or 1)
    shown_in_group = {**settings_message, "chat": group()}
    for presser in (ANA, BUDI):
        for pressed in data:
            calls = await bot.press(presser, pressed, message=shown_in_group)
            assert [c.method for c in calls] == ["answerCallbackQuery"]
            assert LINK in calls[0].params["text"]
    assert await user_row(bot, ANA) == before
    assert await user_row(bot, BUDI) is None
    assert bot.errors == []


async def test_other_group_traffic_is_ignored(bot: MemoryBot) -> None:
    for text in ("halo semua, ada yang butuh logo?", "/start@another_bot", "150rb"):
        assert await bot.process({"message": in_chat(bot, ANA, text, group())}) == []
    addressed = await bot.process({"message": in_chat(bot, ANA, f"/help@{BOT_USERNAME}", group())})
    only_pointer(addressed, GROUP)
    assert await user_row(bot, ANA) is None


async def test_a_command_posted_in_a_channel_gets_the_pointer_only(bot: MemoryBot) -> None:
    channel = {"id": -1009876543210, "type": "channel", "title": "Loker Kita"}
    post = {
        "message_id": 77,
        "sender_chat": channel,
        "chat": channel,
        "date": int(time.time()),
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }
    calls = await bot.process({"channel_post": post})
    only_pointer(calls, channel["id"])
    db = runtime_of(bot.app.bot_data).db
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(User.id))) == 0


async def test_alerts_go_to_the_private_chat_after_a_group_command(bot: MemoryBot) -> None:
    await bot.send(BUDI, "/start")
    await bot.send(BUDI, "/subscribe logo")
    only_pointer(
        await bot.process({"message": in_chat(bot, BUDI, "/subscribe logo", group())}), GROUP
    )
    db = runtime_of(bot.app.bot_data).db
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert([gig("grp-1", "Desain logo kedai kopi")])
    assert await match_new_gigs(db, rows) == 1
    before = len(bot.calls)
    stats = await bot.app.bot_data[DELIVERY_KEY].run_once()
    sent = [c for c in bot.calls[before:] if c.method == "sendMessage"]
    assert stats.sent == 1
    assert [c.params["chat_id"] for c in sent] == [BUDI]
    assert "Desain logo kedai kopi" in (sent[0].text or "")
