"""/subscribe says what it understood, over HTTP against the fake Bot API, in both languages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram.ext import Application

from bot.app.runtime import runtime_of
from bot.store.repos import SkillRepo
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(60)
USER = 7101


@pytest.fixture
async def app(api: FakeBotApi, db_url: str) -> AsyncIterator[Application]:
    async with running_bot(settings_for_fakes(api, db_url, {})) as application:
        yield application


def buttons(message: dict) -> list[dict]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b for row in rows for b in row]


async def say(api: FakeBotApi, text: str, lang: str = "en") -> dict:
    """Send text as the user; return the bot's answer message."""
    for call in api.calls:
        call.consumed = True
    api.user_sends(USER, text, language_code=lang)
    await api.wait_for("sendMessage", chat_id=USER)
    return api.messages(USER)[-1]


async def skill_names(app: Application) -> list[str]:
    async with runtime_of(app.bot_data).db.transaction() as session:
        return [s.name for s in await SkillRepo(session).list_for(USER)]


async def test_a_known_skill_names_what_it_takes_in(api: FakeBotApi, app: Application) -> None:
    answer = await say(api, "/subscribe javascript")
    text = answer["text"]
    assert "Subscribed to “javascript”" in text
    assert "I will look for JavaScript, incl." in text
    assert "React" in text and "Vue.js" in text and "Node.js" in text
    # Nothing broader to add; the narrower skills can be dropped.
    assert [b["text"] for b in buttons(answer)] == ["➖ only JavaScript"]


async def press(api: FakeBotApi, message: dict, label: str) -> str:
    """Press the button with this label; return the bot's answer text."""
    data = {b["text"]: b["callback_data"] for b in buttons(message)}[label]
    for call in api.calls:
        call.consumed = True
    api.user_presses(USER, message["message_id"], data)
    await api.wait_for("answerCallbackQuery")
    await api.wait_for("sendMessage", chat_id=USER)
    return api.messages(USER)[-1]["text"]


async def test_drop_and_restore_the_narrower_skills(api: FakeBotApi, app: Application) -> None:
    answer = await say(api, "/subscribe javascript")
    dropped = await press(api, answer, "➖ only JavaScript")
    assert "Subscribed to “JavaScript only”" in dropped
    assert "JavaScript itself, without the narrower skills" in dropped
    assert await skill_names(app) == ["JavaScript only"]
    narrowed = api.messages(USER)[-1]
    # The answer to the button has no buttons; typing the narrow form offers them back.
    assert buttons(narrowed) == []
    again = await say(api, "/subscribe js only")
    assert "➕ with React, Vue.js, Angular …" in [b["text"] for b in buttons(again)]
    restored = await press(api, again, "➕ with React, Vue.js, Angular …")
    assert "Subscribed to “JavaScript”" in restored and "incl. React" in restored
    assert await skill_names(app) == ["JavaScript"]


async def test_indonesian_drop_button(api: FakeBotApi, app: Application) -> None:
    answer = await say(api, "/subscribe desain grafis", lang="id")
    dropped = await press(api, answer, "➖ hanya desain grafis")
    assert "“desain grafis saja”" in dropped and "tanpa keahlian turunannya" in dropped


async def test_a_framework_offers_its_language_and_the_button_adds_it(
    api: FakeBotApi, app: Application
) -> None:
    answer = await say(api, "/subscribe reactjs")
    assert "I will look for React, incl. Next.js." in answer["text"]
    assert "➕ JavaScript" in [b["text"] for b in buttons(answer)]
    added = await press(api, answer, "➕ JavaScript")
    assert "Subscribed to “JavaScript”" in added and "incl. React" in added
    assert await skill_names(app) == ["reactjs", "JavaScript"]


async def test_an_unknown_skill_is_literal_with_closest_known_skills(
    api: FakeBotApi, app: Application
) -> None:
    answer = await say(api, "/subscribe edit poto", lang="id")
    text = answer["text"]
    assert "“edit poto”" in text
    assert "Aku belum mengenal keahlian ini" in text
    assert "Keahlian terdekat yang kukenal: fotografi dan edit foto." in text
    assert [b["text"] for b in buttons(answer)] == ["➕ fotografi dan edit foto"]
    plain = await say(api, "/subscribe ternak lele", lang="id")
    assert "Aku belum mengenal keahlian ini" in plain["text"]
    assert "terdekat" not in plain["text"] and buttons(plain) == []


async def test_indonesian_answer_for_a_known_skill(api: FakeBotApi, app: Application) -> None:
    answer = await say(api, "/subscribe desain grafis", lang="id")
    assert "Aku akan mencari desain grafis, termasuk desain logo" in answer["text"]
