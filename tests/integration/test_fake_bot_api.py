"""Drive a real python-telegram-bot Application against FakeBotApi over real HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import io
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.conftest import assert_no_flood
from tests.support.fake_bot_api import FakeBotApi, parse_html

pytestmark = pytest.mark.timeout(30)

TOKEN = "123456789:TEST-fake-token"
USER = 4242


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep httpx away from any proxy configured in the environment."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
async def api(request: pytest.FixtureRequest) -> AsyncIterator[FakeBotApi]:
    """A started fake Bot API server; a test fails if the limits were broken by accident."""
    async with FakeBotApi(token=TOKEN) as server:
        yield server
    assert_no_flood(server, request)


@contextlib.asynccontextmanager
async def running_app(
    api: FakeBotApi, *handlers: BaseHandler, errors: list[BaseException] | None = None
) -> AsyncIterator[Application]:
    """Run a PTB Application with long polling against ``api``; shut it down on exit."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    for handler in handlers:
        app.add_handler(handler)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if errors is not None and context.error is not None:
            errors.append(context.error)

    app.add_error_handler(on_error)
    await app.initialize()
    try:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=5))
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
    finally:
        await app.shutdown()


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user by name."""
    assert update.effective_message and update.effective_user
    await update.effective_message.reply_text(f"Hello {update.effective_user.first_name}!")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send a message with an inline keyboard."""
    assert update.effective_message
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Yes", callback_data="yes"), InlineKeyboardButton("No", "no")]]
    )
    await update.effective_message.reply_text(
        "<b>Pick</b> one &amp; go", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press and edit the message in place (dropping the keyboard)."""
    query = update.callback_query
    assert query and query.message
    await query.answer(f"Got {query.data}")
    await query.edit_message_text(f"{query.message.text} -> {query.data}")


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Upload a CSV document."""
    assert update.effective_message
    await update.effective_message.reply_document(
        document=io.BytesIO(b"gig,pay\nlogo,50\n"), filename="report.csv", caption="Your report"
    )


async def test_start_gets_an_answer(api: FakeBotApi) -> None:
    async with running_app(api, CommandHandler("start", start)):
        update = api.user_sends(USER, "/start", first_name="Ana")
        sent = await api.wait_for("sendMessage", chat_id=USER)
        assert sent["text"] == "Hello Ana!"
        assert sent["chat_id"] == USER  # form field "4242" decoded back to int
        await api.wait_updates_confirmed()

    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    [message] = api.messages(USER)
    assert message["text"] == "Hello Ana!"
    assert message["message_id"] == 2  # the user's /start was message 1 of this chat
    assert message["from"]["id"] == 123456789
    assert message["from"]["is_bot"] is True
    assert api.pending_updates == []
    methods = [call.method for call in api.calls]
    assert "getMe" in methods
    assert "deleteWebhook" in methods
    assert "getUpdates" not in methods


async def test_inline_keyboard_press_edits_message_in_place(api: FakeBotApi) -> None:
    handlers = (CommandHandler("menu", menu), CallbackQueryHandler(pressed))
    async with running_app(api, *handlers):
        api.user_sends(USER, "/menu")
        sent = await api.wait_for("sendMessage", chat_id=USER)
        assert sent["parse_mode"] == "HTML"
        assert sent["reply_markup"]["inline_keyboard"][0][0] == {
            "text": "Yes",
            "callback_data": "yes",
        }
        [shown] = api.messages(USER)
        assert shown["text"] == "Pick one & go"
        assert shown["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
        assert shown["reply_markup"] == sent["reply_markup"]

        with pytest.raises(ValueError, match="no button"):
            api.user_presses(USER, shown["message_id"], "maybe")
        api.user_presses(USER, shown["message_id"], "yes")

        answer = await api.wait_for("answerCallbackQuery")
        assert answer["text"] == "Got yes"
        edit = await api.wait_for("editMessageText", chat_id=USER)
        assert edit["message_id"] == shown["message_id"]

    [edited] = api.messages(USER)
    assert edited["message_id"] == shown["message_id"]
    assert edited["text"] == "Pick one & go -> yes"
    assert "reply_markup" not in edited  # edit without reply_markup removes the keyboard
    assert "edit_date" in edited
    assert all(call.ok for call in api.calls)


async def test_blocked_user_surfaces_as_forbidden(api: FakeBotApi) -> None:
    errors: list[BaseException] = []
    async with running_app(api, CommandHandler("start", start), errors=errors) as app:
        api.user_sends(USER, "/start")
        api.block(USER)
        await api.wait_for("sendMessage", chat_id=USER)
        for _ in range(100):
            if errors:
                break
            await asyncio.sleep(0.05)
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await app.bot.send_chat_action(USER, "typing")

    assert len(errors) == 1
    assert isinstance(errors[0], Forbidden)
    assert api.messages(USER) == []
    blocked = [call for call in api.calls if call.method == "sendMessage"]
    assert blocked[0].error_code == 403


async def test_injected_429_surfaces_as_retry_after(
    api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # retry_after as timedelta, no deprecation
    api.add_user(USER)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    async with running_app(api) as app:
        with pytest.raises(RetryAfter) as caught:
            await app.bot.send_message(USER, "first")
        message = await app.bot.send_message(USER, "second")  # only one call fails

    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert message.text == "second"
    assert [(c.method, c.error_code) for c in api.calls if c.method == "sendMessage"] == [
        ("sendMessage", 429),
        ("sendMessage", None),
    ]


async def test_send_document_upload_is_recorded(api: FakeBotApi) -> None:
    async with running_app(api, CommandHandler("report", report)) as app:
        api.user_sends(USER, "/report")
        params = await api.wait_for("sendDocument", chat_id=USER)
        assert params["document"] == {"filename": "report.csv", "size": 16, "mime_type": "text/csv"}
        assert params["caption"] == "Your report"

        [message] = api.messages(USER)
        file_id = message["document"]["file_id"]
        assert message["document"]["file_name"] == "report.csv"
        assert message["caption"] == "Your report"
        telegram_file = await app.bot.get_file(file_id)
        downloaded = await telegram_file.download_as_bytearray()

    assert bytes(downloaded) == b"gig,pay\nlogo,50\n"
    [call] = [c for c in api.calls if c.method == "sendDocument"]
    assert call.files["document"].content == b"gig,pay\nlogo,50\n"


async def test_realistic_errors_and_commands(api: FakeBotApi) -> None:
    api.add_user(USER)
    async with running_app(api) as app:
        sent = await app.bot.send_message(USER, "same")
        with pytest.raises(BadRequest, match="Message is not modified"):
            await app.bot.edit_message_text("same", chat_id=USER, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await app.bot.send_message(USER, "line<br>break", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="Chat not found"):
            await app.bot.send_message(999, "who?")
        with pytest.raises(EndPointNotFound):
            await app.bot.do_api_request("notARealMethod")
        assert await app.bot.set_my_commands([("start", "Start the bot")], language_code="id")
        commands = await app.bot.get_my_commands(language_code="id")

    assert [(c.command, c.description) for c in commands] == [("start", "Start the bot")]
    expected = [{"command": "start", "description": "Start the bot"}]
    assert api.commands(language_code="id") == expected
    assert api.commands() == []


async def test_long_poll_answers_an_update_and_ends_on_stop() -> None:
    # Both polls ask for 30 s; the module's timeout fails the test if either waits it out.
    server = FakeBotApi()
    await server.start()
    url = f"{server.base_url}{TOKEN}/getUpdates"
    async with aiohttp.ClientSession() as session:
        poll = asyncio.create_task(session.post(url, data={"timeout": "30"}))
        await asyncio.sleep(0.2)
        server.user_sends(USER, "hi")
        async with await poll as response:
            body = await response.json()
        assert body["ok"] is True
        assert [u["message"]["text"] for u in body["result"]] == ["hi"]

        # Confirm via offset, then long-poll again and stop the server underneath it: the
        # poll is answered (empty), not cut off.
        offset = body["result"][-1]["update_id"] + 1
        poll = asyncio.create_task(session.post(url, data={"timeout": "30", "offset": str(offset)}))
        await asyncio.sleep(0.2)
        assert server.pending_updates == []
        await server.stop()
        async with await poll as response:
            assert response.status == 200
            assert (await response.json())["result"] == []


@pytest.mark.allow_429
async def test_flood_limits_answer_429_with_retry_after(api: FakeBotApi) -> None:
    group, channel = -1001, -1002
    api.add_user(USER)
    api.add_group(group, title="Freelancers")
    api.add_group(channel, title="Gigs", kind="channel")
    async with running_app(api) as app:
        bot = app.bot
        for _ in range(3):  # a private chat takes a burst of three ...
            await bot.send_message(USER, "burst")
        with pytest.raises(RetryAfter) as caught:  # ... and then about one a second
            await bot.send_message(USER, "fourth")
        assert caught.value.retry_after == 1 or caught.value.retry_after == dtm.timedelta(1)
        for n in range(20):  # a group takes twenty a minute
            await bot.send_message(group, f"group {n}")
        with pytest.raises(RetryAfter):
            await bot.send_message(group, "21st")
        sent = await bot.send_message(channel, "to the channel")
        assert sent.chat.type == "channel"
        with pytest.raises(RetryAfter):  # 3 + 20 + 1 this second: 30 in a second is the most
            for chat in range(900, 1000):
                api.add_user(chat)
                await bot.send_message(chat, "one each")
    assert api.rate_limited == 3
    assert api.rate_limited_by == {"chat": 1, "group": 1, "overall": 1}
    refused = [c for c in api.calls if c.error_code == 429]
    assert [c.params["chat_id"] for c in refused][:2] == [USER, group]
    assert api.messages(group)[-1]["text"] == "group 19"


async def test_photos_count_as_messages_and_edits_do_not(api: FakeBotApi) -> None:
    api.add_user(USER)
    async with running_app(api) as app:
        photo = await app.bot.send_photo(USER, io.BytesIO(b"\x89PNG fake"), caption="chart")
        text = await app.bot.send_message(USER, "total")
        for n in range(5):  # edits do not take from the chat's bucket
            await app.bot.edit_message_text(f"total {n}", chat_id=USER, message_id=text.message_id)
        await app.bot.send_message(USER, "third")  # the photo took one of the three
        with pytest.raises(RetryAfter):
            await app.bot.send_photo(USER, io.BytesIO(b"\x89PNG fake"))
    assert photo.photo and api.messages(USER)[1]["text"] == "total 4"
    assert api.rate_limited == 1
    api.rate_limited = 0  # that refusal was the point


def test_parse_html_offsets_are_utf16() -> None:
    text, entities = parse_html('😀 <b>bold</b> <a href="https://x.y/?a=1&amp;b=2">link</a>')
    assert text == "😀 bold link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "offset": 8, "length": 4, "url": "https://x.y/?a=1&b=2"},
    ]
