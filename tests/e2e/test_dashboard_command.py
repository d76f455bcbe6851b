"""Entry points of the dashboard: with server.public_url the menu button opens it and
/dashboard sends a button that does; without it /dashboard says how to switch it on."""

from __future__ import annotations

import pytest

from tests.support.chat import seen
from tests.support.dashboard import PUBLIC_URL
from tests.support.memory_bot import memory_bot, memory_settings

USER = 9101
APP_URL = f"{PUBLIC_URL}/app/"


@pytest.mark.parametrize(
    ("language", "opens"), [("en", "Open the dashboard"), ("id", "Buka dasbor")]
)
async def test_with_a_public_url_the_menu_and_dashboard_open_the_app(
    db_url: str, language: str, opens: str
) -> None:
    settings = memory_settings(db_url, server={"public_url": PUBLIC_URL + "/"})
    async with memory_bot(settings) as bot:
        menu = [c.params for c in bot.calls if c.method == "setChatMenuButton"]
        assert menu == [
            {"menu_button": {"type": "web_app", "text": "Dashboard", "web_app": {"url": APP_URL}}}
        ]
        commands = [c.params for c in bot.calls if c.method == "setMyCommands"]
        assert all(
            "dashboard" in [command["command"] for command in call["commands"]] for call in commands
        )
        calls = await bot.send(USER, "/dashboard", language_code=language)
        assert bot.errors == []
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1
    button = sent[0].params["reply_markup"]["inline_keyboard"][0][0]
    assert button["web_app"] == {"url": APP_URL} and opens in button["text"]


@pytest.mark.parametrize(
    ("language", "says"),
    [("en", "The dashboard is not switched on"), ("id", "Dasbor belum diaktifkan")],
)
async def test_without_a_public_url_dashboard_says_how_to_switch_it_on(
    db_url: str, language: str, says: str
) -> None:
    async with memory_bot(memory_settings(db_url)) as bot:
        assert not [c for c in bot.calls if c.method == "setChatMenuButton"]
        calls = await bot.send(USER, "/dashboard", language_code=language)
        assert bot.errors == []
    text = seen(calls)
    assert says in text and "server.public_url" in text and "SAMBILAN_SERVER__PUBLIC_URL" in text
    assert all("reply_markup" not in c.params for c in calls if c.method == "sendMessage")
