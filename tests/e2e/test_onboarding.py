"""/start onboarding, /status, /settings and /filters over real HTTP against the fake Bot
API, with the whole bot running as `sambilan run` starts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from telegram.ext import Application

from bot.app.runtime import runtime_of
from bot.store.models import User
from bot.store.repos import SkillRepo
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(60)
USER = 7001


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
        call.consumed = True  # earlier messages (alerts, digests) are not the answer
    api.user_sends(USER, text, language_code=lang)
    await api.wait_for("sendMessage", chat_id=USER)
    return api.messages(USER)[-1]


async def press(api: FakeBotApi, message: dict, data: str) -> dict:
    """Press a button of a bot message; return the message after the bot edited it."""
    assert data in [b.get("callback_data") for b in buttons(message)], buttons(message)
    api.user_presses(USER, message["message_id"], data)
    await api.wait_for("answerCallbackQuery")
    await api.wait_for("editMessageText", chat_id=USER)
    return current(api, message["message_id"])


def current(api: FakeBotApi, message_id: int) -> dict:
    """A bot message as the user sees it now (after any edits)."""
    return next(m for m in api.messages(USER) if m["message_id"] == message_id)


async def user_row(app: Application) -> tuple[User, list[str]]:
    async with runtime_of(app.bot_data).db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        skills = [s.name for s in await SkillRepo(session).list_for(USER)]
    return user, skills


async def test_five_taps_in_english(api: FakeBotApi, app: Application) -> None:
    first = await say(api, "/start")
    assert "Which language" in first["text"]
    card = await press(api, first, "ob:lang:en")
    assert "What do you do?" in card["text"]
    card = await press(api, card, "ob:sk:3:1")
    assert "✅ logo design" in [b["text"] for b in buttons(card)]
    card = await press(api, card, "ob:sk:done")
    assert "smallest budget" in card["text"]
    card = await press(api, card, "ob:bud:u10")
    assert "time zone" in card["text"]
    card = await press(api, card, "ob:tz:wita")
    assert "You're all set!" in card["text"]
    assert "logo design" in card["text"] and "Rp166.000" in card["text"]
    assert "What happens next" in card["text"] and "/settings" in card["text"]
    user, skills = await user_row(app)
    assert (user.language, user.timezone, user.currency) == ("en", "Asia/Makassar", "IDR")
    # "$10" is converted into the user's rupiah: a budget button never changes the currency.
    assert user.min_budget == Decimal(166000) and skills == ["logo design"]
    assert user.onboarding_step == "done"

    # A returning user gets a short welcome back, with a way to set up again.
    back = await say(api, "/start")
    assert "Welcome back" in back["text"] and "logo design" in back["text"]
    assert "ob:again" in [b.get("callback_data") for b in buttons(back)]
    again = await press(api, back, "ob:again")
    assert "Which language" in again["text"]


async def test_five_taps_in_indonesian(api: FakeBotApi, app: Application) -> None:
    first = await say(api, "/start", lang="id")
    assert "Halo" in first["text"]
    card = await press(api, first, "ob:lang:id")
    assert "Kamu bisa apa?" in card["text"]
    card = await press(api, card, "ob:sk:3:1")
    card = await press(api, card, "ob:sk:done")
    card = await press(api, card, "ob:bud:r100")
    card = await press(api, card, "ob:tz:wib")
    assert "Beres" in card["text"] and "Selanjutnya" in card["text"]
    user, skills = await user_row(app)
    assert skills == ["desain logo"]
    assert (user.min_budget, user.currency, user.timezone) == (
        Decimal(100000),
        "IDR",
        "Asia/Jakarta",
    )


async def test_every_step_can_be_skipped(api: FakeBotApi, app: Application) -> None:
    card = await say(api, "/start", lang="id")
    for data in ("ob:lang:skip", "ob:sk:skip", "ob:bud:skip", "ob:tz:skip"):
        card = await press(api, card, data)
    assert "Beres" in card["text"] and "/subscribe logo" in card["text"]
    user, skills = await user_row(app)
    assert (user.language, user.timezone, user.min_budget, skills) == (
        "id",
        "Asia/Jakarta",
        None,
        [],
    )


async def test_typed_answers_and_mistakes(api: FakeBotApi, app: Application) -> None:
    card = await press(api, await say(api, "/start"), "ob:lang:en")
    added = await say(api, "excel, canva")
    assert "Added “excel”" in added["text"] and "What do you do?" in added["text"]
    budget = await press(api, added, "ob:sk:done")
    assert "smallest budget" in budget["text"]
    wrong = await say(api, "lots of money")
    assert "could not read that amount" in wrong["text"] and "75rb" in wrong["text"]
    zone = await say(api, "75rb")
    assert "time zone" in zone["text"]
    unknown = await say(api, "Mars/Base")
    assert "don't know that time zone" in unknown["text"] and "Asia/Singapore" in unknown["text"]
    done = await say(api, "asia/singapore")
    assert "You're all set!" in done["text"] and "Asia/Singapore" in done["text"]
    user, skills = await user_row(app)
    assert skills == ["excel", "canva"] and user.min_budget == Decimal(75000)
    # Done: a greeting gets what the bot watches for (the user has skills: no "add a skill").
    greeting = (await say(api, "hello"))["text"]
    assert "excel, canva" in greeting and "/subscribe" not in greeting
    # Typed answers got new messages: the first skills card was never edited.
    assert current(api, card["message_id"]) == card


async def test_status_and_settings(api: FakeBotApi, app: Application) -> None:
    await say(api, "/subscribe logo")
    report = (await say(api, "/status"))["text"]
    for part in (
        "Alerts: on",
        "Skills: logo",
        "Alerts sent: 0 today, 0 this week",
        "Active gigs: 0 (no limit)",
        "Earned this month: nothing yet",
        "Quiet hours: off",
        "Digest: off",
    ):
        assert part in report, report
    await say(api, "/earned 150rb")
    await say(api, "/limit 2")
    await say(api, "/quiet 22:00-06:00")
    report = (await say(api, "/status"))["text"]
    assert "Active gigs: 0 of 2" in report and "Rp150.000" in report
    assert "22:00–06:00 every day" in report

    screen = await say(api, "/settings")
    assert "Your settings" in screen["text"]
    picker = await press(api, screen, "se:lim")
    screen = await press(api, picker, "se:lim:3")
    assert "Active gig limit: 3" in screen["text"]
    picker = await press(api, screen, "se:lang")
    screen = await press(api, picker, "se:lang:id")
    assert "Pengaturanmu" in screen["text"]
    picker = await press(api, screen, "se:tz")
    assert "Pilih zona waktumu, atau ketik namanya" in picker["text"]
    assert "se:tz:wita" in [b.get("callback_data") for b in buttons(picker)]
    api.user_sends(USER, "Asia/Tokyo", language_code="id")
    await api.wait_for("sendMessage", chat_id=USER)
    assert "Asia/Tokyo" in api.messages(USER)[-1]["text"]
    user, _skills = await user_row(app)
    assert (user.workload_limit, user.language, user.timezone) == (3, "id", "Asia/Tokyo")


async def test_filters_and_language(api: FakeBotApi, app: Application) -> None:
    shown = await say(api, "/filters exclude crypto, NSFW")
    assert "Excluded words: crypto, nsfw" in shown["text"]
    shown = await say(api, "/filters include crypto")
    assert "Excluded words: nsfw" in shown["text"]
    toggled = await press(api, shown, "fi:t:hourly:0")
    assert "▫️ hourly" in [b["text"] for b in buttons(toggled)]
    again = await say(api, "/filters what")
    assert "did not understand" in again["text"] and "/filters exclude" in again["text"]
    user, _skills = await user_row(app)
    assert user.exclude_words == ["nsfw"]
    assert user.budget_types == ["fixed", "salary", "unknown"]
    picker = await say(api, "/lang")
    changed = await press(api, picker, "lg:id")
    assert "Bahasa Indonesia" in changed["text"]
    assert "Notifikasi: aktif" in (await say(api, "/status"))["text"]
