"""The real Sambilan application, run in memory: Bot API calls answered without a network.

``RecordingRequest`` stands in for PTB's HTTP layer. It answers every Bot API method with a
plausible result, records each call (method and decoded parameters) and refuses what
Telegram refuses (unparsable HTML, empty or too long texts, an edit that changes nothing), so
a handler bug shows up as the same ``BadRequest`` it would get in production.

``memory_bot`` builds the application with ``bot.app.application.build_application`` and runs
``initialize`` and ``open_resources`` (post_init), but never starts the application or its
job queue: tests feed updates one at a time with ``MemoryBot.send`` / ``MemoryBot.press``,
which call ``Application.process_update`` and return the calls that update caused.

Telegram's limits hold here as in the HTTP fake (``FloodLimits``: 30 messages a second, a
short burst then about one a second per private chat, 20 a minute per group), answered
with 429 and retry_after. The bot's own pacer runs as in production, on a ``VirtualClock``
that both share: time passes only when the pacer sleeps, so pacing costs no real time and a
send that breaks a limit is still refused. ``memory_bot`` fails on any 429 unless told that
the test provokes one.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.app.application import PACER_KEY, build_application, close_resources, open_resources
from bot.app.config import Settings
from bot.outbox.pacing import Pacer
from scrapers.sources import SOURCES
from tests.support.fake_bot_api import (
    LIMITED_METHODS,
    ApiError,
    FloodLimits,
    decode_param,
    parse_html,
    utf16_len,
)

TOKEN = "123456789:TEST-sambilan-token-0123456789"
BOT_USERNAME = "sambilan_test_bot"
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
NOT_MODIFIED = "Bad Request: message is not modified"
# Methods that carry a message text or caption a user reads.
TEXT_FIELDS = {
    "sendMessage": "text",
    "editMessageText": "text",
    "sendPhoto": "caption",
    "sendDocument": "caption",
    "editMessageCaption": "caption",
}
JSONDict = dict[str, Any]


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: JSONDict
    error: str | None = None
    result: Any = None

    @property
    def message_id(self) -> int | None:
        """The id of the message this call sent or edited, if it did."""
        return self.result.get("message_id") if isinstance(self.result, dict) else None

    @property
    def text(self) -> str | None:
        """The message text or caption as sent (HTML source), if the method has one."""
        name = TEXT_FIELDS.get(self.method)
        value = self.params.get(name) if name else None
        return value if isinstance(value, str) else None


@dataclass
class _Chat:
    next_id: int = 1
    # message id → (plain text, entities, reply markup) as the user sees it now
    messages: dict[int, tuple[str, list[JSONDict], Any]] = field(default_factory=dict)


class VirtualClock:
    """Seconds that pass only when someone sleeps on this clock (or `advance` is called)."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        """The current virtual time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.now += max(seconds, 0.0)

    async def sleep(self, seconds: float) -> None:
        """Let `seconds` pass at once, then give other tasks their turn."""
        self.advance(seconds)
        await asyncio.sleep(0)


class RecordingRequest(BaseRequest):
    """A Bot API that lives in memory: answers, validates and records every call."""

    def __init__(self, clock: VirtualClock | None = None) -> None:
        self.clock = clock or VirtualClock()
        self.limits = FloodLimits()
        # 429 answers given, by the limit that was hit.
        self.rate_limited_by: dict[str, int] = {}
        self.calls: list[Call] = []
        self._chats: dict[int, _Chat] = {}
        self._files = itertools.count(1)
        self.bot_user: JSONDict = {
            "id": int(TOKEN.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Sambilan",
            "username": BOT_USERNAME,
        }

    @property
    def read_timeout(self) -> float | None:
        """No network, so no timeout."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def chat(self, chat_id: int) -> _Chat:
        """The private chat with this id (created on first use)."""
        return self._chats.setdefault(chat_id, _Chat())

    def allocate_message_id(self, chat_id: int) -> int:
        """A new message id in a chat, shared by the user's and the bot's messages."""
        chat = self.chat(chat_id)
        message_id, chat.next_id = chat.next_id, chat.next_id + 1
        return message_id

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call as Telegram would, and record it."""
        name = url.rsplit("/", 1)[-1]
        raw = request_data.json_parameters if request_data is not None else {}
        params = {key: decode_param(key, value) for key, value in raw.items()}
        if name == "getUpdates":
            return 200, json.dumps({"ok": True, "result": []}).encode()
        call = Call(name, params)
        self.calls.append(call)
        try:
            self._check_limits(name, params)
            result = self._answer(name, params)
        except ApiError as error:
            call.error = error.description
            return error.error_code, json.dumps(error.to_json()).encode()
        call.result = result
        return 200, json.dumps({"ok": True, "result": result}).encode()

    @property
    def rate_limited(self) -> int:
        """How many calls were answered 429."""
        return sum(self.rate_limited_by.values())

    def _check_limits(self, name: str, params: JSONDict) -> None:
        """Refuse a message over Telegram's limits with 429 and retry_after, as Telegram does."""
        chat_id = params.get("chat_id")
        if name.lower() not in LIMITED_METHODS or not isinstance(chat_id, int):
            return
        paid = params.get("allow_paid_broadcast") in (True, "true", "True")
        refusal = self.limits.check(chat_id, chat_id < 0, self.clock(), paid)
        if refusal is not None:
            wait, limit = refusal
            self.rate_limited_by[limit] = self.rate_limited_by.get(limit, 0) + 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    # ------------------------------------------------------------------ answers

    def _answer(self, name: str, params: JSONDict) -> Any:
        if name == "getMe":
            return self.bot_user
        if name == "sendMessage":
            text, entities = self._formatted(params, "text", MESSAGE_LIMIT)
            if not text:
                raise ApiError(400, "Bad Request: message text is empty")
            return self._new_message(params, {"text": text, "entities": entities})
        if name == "editMessageText":
            return self._edit_text(params)
        if name in ("sendPhoto", "sendDocument"):
            caption, entities = self._formatted(params, "caption", CAPTION_LIMIT)
            media = self._media(name)
            return self._new_message(
                params, {**media, "caption": caption, "caption_entities": entities}
            )
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook, sendChatAction, …

    @staticmethod
    def _formatted(params: JSONDict, key: str, limit: int) -> tuple[str, list[JSONDict]]:
        raw = params.get(key)
        raw = "" if raw is None else str(raw)
        if str(params.get("parse_mode", "")).lower() == "html":
            text, entities = parse_html(raw)
        else:
            text, entities = raw, []
        text = text.strip()
        if utf16_len(text) > limit:
            what = "message" if key == "text" else "message caption"
            raise ApiError(400, f"Bad Request: {what} is too long")
        return text, entities

    def _media(self, name: str) -> JSONDict:
        file_id = f"file-{next(self._files)}"
        base = {"file_id": file_id, "file_unique_id": f"u-{file_id}"}
        if name == "sendPhoto":
            return {"photo": [{**base, "width": 800, "height": 400}]}
        return {"document": {**base, "file_name": "export.csv", "mime_type": "text/csv"}}

    def _chat_id(self, params: JSONDict) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _new_message(self, params: JSONDict, content: JSONDict) -> JSONDict:
        chat_id = self._chat_id(params)
        message_id = self.allocate_message_id(chat_id)
        markup = params.get("reply_markup")
        inline = markup if isinstance(markup, dict) and "inline_keyboard" in markup else None
        self.chat(chat_id).messages[message_id] = (
            content.get("text", content.get("caption", "")),
            content.get("entities") or content.get("caption_entities") or [],
            inline,
        )
        message = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": {"id": chat_id, "type": "private", "first_name": "User"},
            "date": int(time.time()),
            **{key: value for key, value in content.items() if value not in ("", [], None)},
        }
        if inline is not None:
            message["reply_markup"] = inline
        return message

    def _edit_text(self, params: JSONDict) -> JSONDict | bool:
        if "inline_message_id" in params:
            return True
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise ApiError(400, "Bad Request: message to edit not found")
        text, entities = self._formatted(params, "text", MESSAGE_LIMIT)
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = params.get("reply_markup")
        new = (text, entities, markup)
        # Messages made outside this fake (a test's own) are editable as if they existed.
        if self.chat(chat_id).messages.get(message_id) == new:
            raise ApiError(400, NOT_MODIFIED)
        self.chat(chat_id).messages[message_id] = new
        message = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": {"id": chat_id, "type": "private", "first_name": "User"},
            "date": int(time.time()),
            "edit_date": int(time.time()),
            "text": text,
        }
        if entities:
            message["entities"] = entities
        if markup is not None:
            message["reply_markup"] = markup
        return message

    def bot_message(self, chat_id: int, message_id: int) -> JSONDict:
        """A bot message of a chat as Telegram would put it in a callback query."""
        text, entities, markup = self.chat(chat_id).messages.get(message_id, ("…", [], None))
        message: JSONDict = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": {"id": chat_id, "type": "private", "first_name": "User"},
            "date": int(time.time()),
            "text": text or "…",
        }
        if entities:
            message["entities"] = copy.deepcopy(entities)
        if markup is not None:
            message["reply_markup"] = copy.deepcopy(markup)
        return message


def memory_settings(db_url: str, **extra: Any) -> Settings:
    """Settings for an in-memory bot: the test token, this database, every source off.

    The per-user flood limit is lifted unless `extra` sets `bot`: tests send far more
    updates a second than a person could.
    """
    extra.setdefault("bot", {"commands_per_second": 1e9, "command_burst": 10**9})
    return Settings(
        telegram={"token": TOKEN},
        database={"url": db_url},
        sources={name: {"enabled": False} for name in SOURCES},
        **extra,
    )


class MemoryBot:
    """A running in-memory bot and the user side of its chats."""

    def __init__(self, application: Application, request: RecordingRequest) -> None:
        self.app = application
        self.request = request
        self.errors: list[BaseException] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    @property
    def calls(self) -> list[Call]:
        """Every Bot API call made so far."""
        return self.request.calls

    @staticmethod
    def tg_user(user_id: int, language_code: str = "en") -> JSONDict:
        """A Telegram user as it appears in updates."""
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "language_code": language_code,
        }

    def message(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str = "en",
        reply_to: JSONDict | None = None,
    ) -> JSONDict:
        """A private text message from the user, shaped like FakeBotApi.user_sends makes it."""
        message: JSONDict = {
            "message_id": self.request.allocate_message_id(user_id),
            "from": self.tg_user(user_id, language_code),
            "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    def callback(
        self,
        user_id: int,
        data: str,
        *,
        message: JSONDict | None = None,
        language_code: str = "en",
    ) -> JSONDict:
        """A button press, shaped like FakeBotApi.user_presses makes it."""
        if message is None:
            last = max(self.request.chat(user_id).messages, default=None)
            message = self.request.bot_message(user_id, last or 1)
        return {
            "id": f"{user_id}-{next(self._query_ids)}",
            "from": self.tg_user(user_id, language_code),
            "message": message,
            "chat_instance": str(user_id * 7919),
            "data": data,
        }

    async def process(self, payload: JSONDict) -> list[Call]:
        """Handle one update (``{"message": …}`` or ``{"callback_query": …}``); its calls."""
        before = len(self.request.calls)
        update = Update.de_json({"update_id": next(self._update_ids), **payload}, self.app.bot)
        await self.app.process_update(update)
        return self.request.calls[before:]

    async def send(self, user_id: int, text: str, **kwargs: Any) -> list[Call]:
        """The user sends a text; the bot's calls in answer."""
        return await self.process({"message": self.message(user_id, text, **kwargs)})

    async def press(self, user_id: int, data: str, **kwargs: Any) -> list[Call]:
        """The user presses a button with this callback data; the bot's calls in answer."""
        return await self.process({"callback_query": self.callback(user_id, data, **kwargs)})

    def last_markup_data(self, calls: list[Call]) -> list[str]:
        """Every callback_data on buttons the given calls sent or edited."""
        found = []
        for call in calls:
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict):
                for row in markup.get("inline_keyboard", []):
                    found += [b["callback_data"] for b in row if "callback_data" in b]
        return found


@asynccontextmanager
async def memory_bot(settings: Settings, *, allow_429: bool = False) -> AsyncIterator[MemoryBot]:
    """The whole bot built as `sambilan run` builds it, handling updates only when told.
    Fails on leaving when the bot was answered 429, unless `allow_429`."""
    clock = VirtualClock()
    request = RecordingRequest(clock)
    application = build_application(settings, request=request)
    pacer: Pacer = application.bot_data[PACER_KEY]
    pacer.clock, pacer.sleep = clock, clock.sleep
    bot = MemoryBot(application, request)

    async def record_error(update: object, context: Any) -> None:
        bot.errors.append(context.error)

    application.add_error_handler(record_error)
    await application.initialize()
    try:
        await open_resources(application)
        yield bot
    finally:
        await close_resources(application)
        await application.shutdown()
    if not allow_429:
        assert request.rate_limited == 0, f"the bot was answered 429: {request.rate_limited_by}"
