"""A local fake of the Telegram Bot API (aiohttp.web) for end-to-end tests.

The real bot is built with ``ApplicationBuilder().token(TOKEN).base_url(api.base_url)``
(plus ``.base_file_url(api.base_file_url)``) and long-polls this server over real HTTP while
the test plays the user via :meth:`FakeBotApi.user_sends` / :meth:`FakeBotApi.user_presses`
and inspects what the bot did via :meth:`FakeBotApi.wait_for`, :attr:`FakeBotApi.calls` and
:meth:`FakeBotApi.messages`.

How python-telegram-bot (22.x, ``HTTPXRequest``) talks to the API, and therefore what this
server decodes:

* every method is a ``POST {base_url}{token}/{method}``;
* without files the body is ``application/x-www-form-urlencoded``; with files it is
  ``multipart/form-data`` (fields plus one part per file, named after the parameter, e.g.
  ``document``, or after the ``attach://`` name);
* ``str`` values are sent verbatim, every other value (ints, bools, lists, dicts such as
  ``reply_markup`` / ``entities``) is ``json.dumps``-ed into the form field. So ``chat_id=42``
  arrives as ``"42"`` and ``show_alert=True`` as ``"true"``. Parameters that are ``None`` are
  not sent at all.

Telegram's flood limits are enforced on every message the bot sends (sendMessage,
sendPhoto, sendDocument; edits and answers are not counted): at most 30 in any sliding
second overall, a bucket of 3 refilled at 1 per second per private chat, and 20 per
minute per group or channel. A message over a limit is answered 429 with
``retry_after`` (whole seconds until it would be accepted) and counted in
:attr:`FakeBotApi.rate_limited`; the ``api`` fixture fails a test that got any.

The benchmarks use the same server with ``any_chat=True`` (every chat id is a private
chat that exists).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

JSONDict = dict[str, Any]
Predicate = Callable[[JSONDict], bool]

# Parameters that are always strings: they are never JSON-decoded (a text of "42" stays "42").
_RAW_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "action",
        "language_code",
        "description",
        "short_description",
        "name",
        "title",
        "emoji",
        "file_id",
        "photo",
        "document",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "secret_token",
        "ip_address",
    }
)

_MESSAGE_TOO_LONG = 4096
_CAPTION_TOO_LONG = 1024
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a content and reply markup of the current message"
)
_BLOCKED = "Forbidden: bot was blocked by the user"
OVERALL_LIMIT = 30  # messages in any sliding second, all chats together
PAID_LIMIT = 1000  # ... and with allow_paid_broadcast (paid broadcasts), per sliding second
CHAT_BURST = 3.0  # a private chat's bucket ...
CHAT_RATE = 1.0  # ... refilled at one message a second
GROUP_LIMIT = 20  # messages in any sliding minute to one group or channel
LIMITED_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


@dataclass
class UploadedFile:
    """A file part received in a multipart request."""

    field: str
    filename: str | None
    content_type: str
    content: bytes

    @property
    def size(self) -> int:
        """Size of the uploaded content in bytes."""
        return len(self.content)


@dataclass
class RecordedCall:
    """One Bot API call received by the fake (``getUpdates`` is not recorded)."""

    method: str
    params: JSONDict
    time: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    consumed: bool = field(default=False, repr=False)

    @property
    def ok(self) -> bool:
        """Whether the fake answered this call successfully."""
        return self.error_code is None


class ApiError(Exception):
    """An error answer of the fake API (``{"ok": false, ...}``)."""

    def __init__(
        self,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ):
        super().__init__(f"{error_code}: {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def to_json(self) -> JSONDict:
        """The JSON body the real Bot API would send for this error."""
        body: JSONDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return body


class _Signal:
    """A broadcast "something changed" notification usable from sync code."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        event = self._event
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(seconds, 0)):
                await event.wait()


@dataclass
class FloodLimits:
    """Telegram's limits: the overall sliding second, per-chat buckets, per-group minutes."""

    overall: deque[float] = field(default_factory=deque)
    paid: deque[float] = field(default_factory=deque)
    buckets: dict[int, tuple[float, float]] = field(default_factory=dict)
    groups: dict[int, deque[float]] = field(default_factory=dict)

    def check(
        self, chat_id: int, group: bool, now: float, paid: bool = False
    ) -> tuple[int, str] | None:
        """None to accept (and count) the message, else (retry_after, limit that was hit).
        A paid broadcast counts against the paid limit instead of the free overall one."""
        window, limit = (self.paid, PAID_LIMIT) if paid else (self.overall, OVERALL_LIMIT)
        while window and window[0] <= now - 1.0:
            window.popleft()
        waits: dict[str, float] = {}
        if len(window) >= limit:
            waits["paid" if paid else "overall"] = window[-limit] + 1.0 - now
        if group:
            sent = self.groups.setdefault(chat_id, deque())
            while sent and sent[0] <= now - 60.0:
                sent.popleft()
            if len(sent) >= GROUP_LIMIT:
                waits["group"] = sent[-GROUP_LIMIT] + 60.0 - now
            tokens = 0.0
        else:
            tokens, stamp = self.buckets.get(chat_id, (CHAT_BURST, now))
            tokens = min(CHAT_BURST, tokens + (now - stamp) * CHAT_RATE)
            if tokens < 1:
                waits["chat"] = (1 - tokens) / CHAT_RATE
        if waits:
            return max(1, math.ceil(max(waits.values()))), "+".join(sorted(waits))
        window.append(now)
        if group:
            self.groups[chat_id].append(now)
        else:
            self.buckets[chat_id] = (tokens - 1, now)
        return None


@dataclass
class _Chat:
    id: int
    user: JSONDict
    next_message_id: int = 1
    messages: dict[int, JSONDict] = field(default_factory=dict)
    blocked: bool = False
    type: str = "private"
    title: str = ""

    def as_dict(self) -> JSONDict:
        if self.type != "private":
            return {"id": self.id, "type": self.type, "title": self.title}
        chat: JSONDict = {"id": self.id, "type": "private", "first_name": self.user["first_name"]}
        if "username" in self.user:
            chat["username"] = self.user["username"]
        return chat

    def allocate_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def decode_param(name: str, raw: str) -> Any:
    """Decode one form field the way PTB encoded it (JSON unless it is a known string field)."""
    if name in _RAW_STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


# --------------------------------------------------------------------------- HTML parse_mode

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTR_RE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_CHAR_REF_RE = re.compile(r"&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")


def _parse_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(raw):
        value = match.group(2) or ""
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        attrs[match.group(1).lower()] = _unescape(value)
    return attrs


def _unescape(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref[:2] in {"#x", "#X"}:
            return chr(int(ref[2:], 16))
        if ref[0] == "#":
            return chr(int(ref[1:]))
        return _NAMED_ENTITIES.get(ref, match.group(0))

    return _CHAR_REF_RE.sub(repl, text)


def parse_html(source: str) -> tuple[str, list[JSONDict]]:
    """Turn Telegram-HTML into (plain text, entities) like the Bot API; raise ApiError 400."""

    def fail(reason: str, index: int) -> ApiError:
        offset = len(source[:index].encode("utf-8"))
        return ApiError(400, f"Bad Request: can't parse entities: {reason} at byte offset {offset}")

    out: list[str] = []
    out_len = 0
    stack: list[tuple[str, int, JSONDict]] = []
    entities: list[JSONDict] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            end = source.find(">", i)
            if end == -1:
                raise fail("Unclosed start tag", i)
            inner = source[i + 1 : end]
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if not stack:
                    raise fail(f'Unexpected end tag "{name}"', i)
                open_name, start, extra = stack.pop()
                if name != open_name:
                    raise fail(f'Unmatched end tag "{name}", expected "</{open_name}>"', i)
                length = out_len - start
                if length > 0 and not extra.pop("_merged", False):
                    entities.append({"offset": start, "length": length, **extra})
            else:
                match = re.match(r"([a-zA-Z][a-zA-Z0-9-]*)(.*)$", inner, re.S)
                name = match.group(1).lower() if match else ""
                if name not in _HTML_TAGS:
                    raise fail(f'Unsupported start tag "{name}"', i)
                attrs = _parse_attrs(match.group(2)) if match else {}
                extra: JSONDict = {"type": _HTML_TAGS[name]}
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise fail('Tag "span" must have class "tg-spoiler"', i)
                if name == "a":
                    extra["url"] = attrs.get("href", "")
                elif name == "blockquote" and "expandable" in attrs:
                    extra["type"] = "expandable_blockquote"
                elif name == "tg-emoji":
                    extra["custom_emoji_id"] = attrs.get("emoji-id", "")
                elif name == "code" and stack and stack[-1][0] == "pre":
                    language = attrs.get("class", "")
                    if language.startswith("language-"):
                        stack[-1][2]["language"] = language.removeprefix("language-")
                        extra["_merged"] = True
                stack.append((name, out_len, extra))
            i = end + 1
            continue
        if char == "&":
            match = _CHAR_REF_RE.match(source, i)
            if match:
                decoded = _unescape(match.group(0))
                out.append(decoded)
                out_len += utf16_len(decoded)
                i = match.end()
                continue
        out.append(char)
        out_len += utf16_len(char)
        i += 1
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"', len(source))
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _strip_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace like Telegram does, shifting/clipping entities."""
    left_stripped = text.lstrip()
    lead = utf16_len(text) - utf16_len(left_stripped)
    stripped = left_stripped.rstrip()
    total = utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


# --------------------------------------------------------------------------- the server


class FakeBotApi:
    """Fake Telegram Bot API server with long polling and test-side controls."""

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_username: str = "sambilan_test_bot",
        bot_first_name: str = "Sambilan",
        any_chat: bool = False,
        limits: bool = True,
        port: int = 0,
    ) -> None:
        self.token = token
        self.any_chat = any_chat
        self.limits = FloodLimits() if limits else None
        self.rate_limited = 0
        self.rate_limited_by: dict[str, int] = {}
        self.port = port
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.calls: list[RecordedCall] = []
        self.webhook_url = ""
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False
        self._polling = 0
        self._chats: dict[int, _Chat] = {}
        self._updates: list[JSONDict] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._open_callback_queries: set[str] = set()
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._failures: dict[str, list[ApiError]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._files: dict[str, tuple[str, UploadedFile]] = {}
        self._updates_signal = _Signal()
        self._calls_signal = _Signal()
        self._methods: dict[str, tuple[str, Callable[..., Awaitable[Any]]]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "answerCallbackQuery": self._answer_callback_query,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "sendChatAction": self._send_chat_action,
                "getFile": self._get_file,
                "close": self._true,
                "logOut": self._true,
            }.items()
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and start serving."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop serving; pending long polls return immediately. Idempotent."""
        self._closing = True
        self._updates_signal.notify()
        for _ in range(100):  # let the long polls answer before their connections close
            if not self._polling:
                break
            await asyncio.sleep(0.01)
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        """Start the server (``async with FakeBotApi(...) as api``)."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_url`` (PTB appends ``{token}/{method}``)."""
        return f"{self._root()}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``ApplicationBuilder.base_file_url``."""
        return f"{self._root()}/file/bot"

    def _root(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self._port}"

    # ------------------------------------------------------------------ test controls

    def add_user(
        self,
        user_id: int,
        *,
        first_name: str = "Ana",
        language_code: str = "en",
        username: str | None = None,
    ) -> JSONDict:
        """Register (or update) a user/private chat without sending anything; returns the User."""
        user: JSONDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        if username:
            user["username"] = username
        chat = self._chats.get(user_id)
        if chat is None:
            self._chats[user_id] = _Chat(id=user_id, user=user)
        else:
            chat.user = user
        return copy.deepcopy(user)

    def add_group(self, chat_id: int, *, title: str = "Group", kind: str = "group") -> None:
        """Register a group, supergroup or channel chat (20 messages a minute)."""
        user = {"id": chat_id, "is_bot": False, "first_name": title}
        self._chats[chat_id] = _Chat(id=chat_id, user=user, type=kind, title=title)

    def user_sends(
        self, user_id: int, text: str, *, language_code: str = "en", first_name: str = "Ana"
    ) -> JSONDict:
        """Queue a private-chat text message update from the user; returns the update."""
        previous = self._chats.get(user_id)
        username = previous.user.get("username") if previous else None
        self.add_user(
            user_id, first_name=first_name, language_code=language_code, username=username
        )
        chat = self._chats[user_id]
        message: JSONDict = {
            "message_id": chat.allocate_message_id(),
            "from": copy.deepcopy(chat.user),
            "chat": chat.as_dict(),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        chat.messages[message["message_id"]] = message
        return self._queue_update({"message": copy.deepcopy(message)})

    def user_presses(self, user_id: int, message_id: int, data: str) -> JSONDict:
        """Queue a callback_query update for a button of a bot message; returns the update."""
        chat = self._chats.get(user_id)
        message = chat.messages.get(message_id) if chat else None
        if chat is None or message is None or not message["from"]["is_bot"]:
            raise ValueError(f"no bot message {message_id} in chat {user_id}")
        buttons = [
            button
            for row in message.get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
        ]
        if not any(button.get("callback_data") == data for button in buttons):
            raise ValueError(
                f"message {message_id} has no button with callback_data={data!r}; "
                f"buttons: {[b.get('callback_data') for b in buttons]}"
            )
        query_id = f"{user_id}-{next(self._callback_ids)}"
        self._open_callback_queries.add(query_id)
        query = {
            "id": query_id,
            "from": copy.deepcopy(chat.user),
            "message": copy.deepcopy(message),
            "chat_instance": str(user_id * 7919),
            "data": data,
        }
        return self._queue_update({"callback_query": query})

    def block(self, user_id: int) -> None:
        """Make later sends/edits to this chat fail with 403 "bot was blocked by the user"."""
        if user_id not in self._chats:
            self.add_user(user_id)
        self._chats[user_id].blocked = True

    def unblock(self, user_id: int) -> None:
        """Undo :meth:`block`."""
        if user_id in self._chats:
            self._chats[user_id].blocked = False

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next call of ``method`` fail with this error (queued, one call each)."""
        error = ApiError(error_code, description, retry_after, migrate_to_chat_id)
        self._failures.setdefault(method.lower(), []).append(error)

    async def wait_for(
        self,
        method: str,
        *,
        chat_id: int | str | None = None,
        predicate: Predicate | None = None,
        timeout: float = 10,  # noqa: ASYNC109 - the requested public API
    ) -> JSONDict:
        """Wait for the next not-yet-consumed recorded call matching; return its params."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for call in self.calls:
                if call.consumed or call.method.lower() != method.lower():
                    continue
                if chat_id is not None and call.params.get("chat_id") != chat_id:
                    continue
                if predicate is not None and not predicate(call.params):
                    continue
                call.consumed = True
                return call.params
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = [(c.method, c.params.get("chat_id"), c.consumed) for c in self.calls]
                raise AssertionError(
                    f"no {method} call (chat_id={chat_id}) within {timeout}s; "
                    f"recorded (method, chat_id, consumed): {seen}"
                )
            await self._calls_signal.wait(remaining)

    async def wait_updates_confirmed(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until the bot has confirmed (via getUpdates offset) every queued update."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._updates:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"updates never confirmed: {self._updates}")
            await self._updates_signal.wait(min(remaining, 0.05))

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued but not yet confirmed by a later getUpdates offset."""
        return copy.deepcopy(self._updates)

    def messages(self, chat_id: int) -> list[JSONDict]:
        """Current state (after edits) of the bot's messages in a chat, oldest first."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            copy.deepcopy(message)
            for _, message in sorted(chat.messages.items())
            if message["from"]["is_bot"]
        ]

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """Commands currently set via setMyCommands for this scope/language."""
        return copy.deepcopy(self._commands.get(self._commands_key(scope, language_code), []))

    def file_content(self, file_id: str) -> bytes:
        """Content of a file the bot uploaded (by the file_id the fake assigned)."""
        return self._files[file_id][1].content

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if self.token is not None and token != self.token:
            return web.json_response(ApiError(401, "Unauthorized").to_json(), status=401)
        params, files = await self._read_params(request)
        raw_method = request.match_info["method"]
        name, handler = self._methods.get(raw_method.lower(), (raw_method, None))
        call = RecordedCall(method=name, params=params, time=time.time(), files=files)
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            failures = self._failures.get(name.lower())
            if failures:
                raise failures.pop(0)
            self._check_limits(name.lower(), params)
            call.result = await handler(token=token, params=params, files=files, request=request)
        except ApiError as error:
            call.error_code = error.error_code
            call.description = error.description
            response = web.json_response(error.to_json(), status=error.error_code)
        else:
            response = web.json_response({"ok": True, "result": call.result})
        if name != "getUpdates":
            self.calls.append(call)
            self._calls_signal.notify()
        return response

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
        params: JSONDict = {key: decode_param(key, value) for key, value in request.query.items()}
        files: dict[str, UploadedFile] = {}
        if not request.body_exists:
            return params, files
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params, files
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                upload = UploadedFile(
                    field=key,
                    filename=value.filename,
                    content_type=value.content_type,
                    content=value.file.read(),
                )
                files[key] = upload
                params[key] = {
                    "filename": upload.filename,
                    "size": upload.size,
                    "mime_type": upload.content_type,
                }
            else:
                params[key] = decode_param(key, value)
        return params, files

    async def _handle_file(self, request: web.Request) -> web.Response:
        if self.token is not None and request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_path = request.match_info["file_path"]
        for path, upload in self._files.values():
            if path == file_path:
                return web.Response(body=upload.content, content_type=upload.content_type)
        return web.json_response(ApiError(404, "Not Found").to_json(), status=404)

    def sent_messages(self) -> list[RecordedCall]:
        """Every sendMessage that was accepted, in arrival order."""
        return [c for c in self.calls if c.method == "sendMessage" and c.ok]

    # ------------------------------------------------------------------ helpers

    def _check_limits(self, method: str, params: JSONDict) -> None:
        """Refuse a message over Telegram's limits with 429 and retry_after."""
        chat_id = params.get("chat_id")
        if self.limits is None or method not in LIMITED_METHODS or not isinstance(chat_id, int):
            return
        chat = self._chats.get(chat_id)
        group = chat is not None and chat.type != "private"
        paid = params.get("allow_paid_broadcast") in (True, "true", "True")
        refusal = self.limits.check(chat_id, group, time.time(), paid)
        if refusal is not None:
            wait, limit = refusal
            self.rate_limited += 1
            self.rate_limited_by[limit] = self.rate_limited_by.get(limit, 0) + 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    def _queue_update(self, payload: JSONDict) -> JSONDict:
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        self._updates_signal.notify()
        return copy.deepcopy(update)

    def _bot_user(self, token: str) -> JSONDict:
        prefix = (self.token or token).split(":", 1)[0]
        return {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _chat_for_send(self, params: JSONDict) -> _Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None and self.any_chat and isinstance(chat_id, int):
            self.add_user(chat_id, first_name="Bench")
            chat = self._chats[chat_id]
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.blocked:
            raise ApiError(403, _BLOCKED)
        return chat

    def _bot_message_to_edit(self, params: JSONDict) -> JSONDict:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not supported by FakeBotApi")
        chat = self._chat_for_send(params)
        message = chat.messages.get(params.get("message_id"))  # type: ignore[arg-type]
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message["from"]["is_bot"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    @staticmethod
    def _formatted(
        params: JSONDict, key: str, entities_key: str, limit: int, too_long: str
    ) -> tuple[str, list[JSONDict]]:
        raw = params.get(key)
        if not isinstance(raw, str):
            raw = "" if raw is None else str(raw)
        entities = params.get(entities_key)
        if isinstance(entities, list):
            text = raw
        elif str(params.get("parse_mode", "")).lower() == "html":
            text, entities = parse_html(raw)
        else:  # no parse_mode, or Markdown/MarkdownV2 (not interpreted by the fake)
            text, entities = raw, []
        text, entities = _strip_text(text, entities)
        if utf16_len(text) > limit:
            raise ApiError(400, too_long)
        return text, entities

    @staticmethod
    def _inline_markup(params: JSONDict, *, required_inline: bool = False) -> JSONDict | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            if required_inline:
                raise ApiError(400, "Bad Request: inline keyboard expected")
            return None  # reply keyboards / ForceReply are not echoed in the Message
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _new_bot_message(self, token: str, chat: _Chat, params: JSONDict) -> JSONDict:
        message: JSONDict = {
            "message_id": chat.allocate_message_id(),
            "from": self._bot_user(token),
            "chat": chat.as_dict(),
            "date": int(time.time()),
        }
        reply = params.get("reply_parameters")
        if isinstance(reply, dict) and "message_id" in reply:
            target = chat.messages.get(reply["message_id"])
            if target is not None:
                message["reply_to_message"] = {
                    k: v for k, v in copy.deepcopy(target).items() if k != "reply_to_message"
                }
            elif not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
        return message

    def _store(self, chat: _Chat, message: JSONDict) -> JSONDict:
        chat.messages[message["message_id"]] = message
        return copy.deepcopy(message)

    def _store_upload(self, kind: str, upload: UploadedFile) -> tuple[str, str]:
        number = next(self._file_ids)
        file_id = f"fake-{kind}-{number}"
        suffix = ""
        if upload.filename and "." in upload.filename:
            suffix = "." + upload.filename.rsplit(".", 1)[1]
        path = f"{kind}s/file_{number}{suffix}"
        self._files[file_id] = (path, upload)
        return file_id, path

    def _media(self, params: JSONDict, files: dict[str, UploadedFile], kind: str) -> JSONDict:
        upload = files.get(kind)
        value = params.get(kind)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is not None:
            if upload.size == 0:
                raise ApiError(400, "Bad Request: file must be non-empty")
            file_id, _ = self._store_upload(kind, upload)
        elif isinstance(value, str) and value:
            file_id = value
            known = self._files.get(value)
            upload = (
                known[1] if known else UploadedFile(kind, None, "application/octet-stream", b"")
            )
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        base = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": upload.size}
        if kind == "photo":
            return {"photo": [{**base, "width": 800, "height": 600}]}
        document = {**base, "mime_type": upload.content_type}
        if upload.filename:
            document["file_name"] = upload.filename
        return {"document": document}

    @staticmethod
    def _commands_key(scope: JSONDict | None, language_code: str) -> tuple[str, str]:
        return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""

    # ------------------------------------------------------------------ methods

    async def _true(self, **_: Any) -> bool:
        return True

    async def _get_me(self, *, token: str, **_: Any) -> JSONDict:
        return {
            **self._bot_user(token),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, *, params: JSONDict, request: web.Request, **_: Any) -> list:
        self._polling += 1
        try:
            return await self._poll(params, request)
        finally:
            self._polling -= 1

    async def _poll(self, params: JSONDict, request: web.Request) -> list:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
        limit = params.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        timeout = params.get("timeout")
        timeout = float(timeout) if isinstance(timeout, int | float) else 0.0
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list) and allowed:
            self._allowed_updates = allowed
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.notify()  # confirmed updates + conflict detection

        def deliverable(update: JSONDict) -> bool:
            if not self._allowed_updates:
                return True
            return any(kind in update for kind in self._allowed_updates)

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._updates = [u for u in self._updates if deliverable(u)]
            if self._updates or self._closing:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - loop.time()
            if remaining <= 0 or request.transport is None or request.transport.is_closing():
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            await self._updates_signal.wait(min(remaining, 0.25))

    async def _delete_webhook(self, *, params: JSONDict, **_: Any) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    async def _set_webhook(self, *, params: JSONDict, **_: Any) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    async def _get_webhook_info(self, **_: Any) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    async def _set_my_commands(self, *, params: JSONDict, **_: Any) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.match(
                str(command.get("command", ""))
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params.get("scope"), params.get("language_code", ""))
        self._commands[key] = commands
        return True

    async def _get_my_commands(self, *, params: JSONDict, **_: Any) -> list[JSONDict]:
        return self.commands(params.get("scope"), params.get("language_code", ""))

    async def _delete_my_commands(self, *, params: JSONDict, **_: Any) -> bool:
        key = self._commands_key(params.get("scope"), params.get("language_code", ""))
        self._commands.pop(key, None)
        return True

    async def _send_message(self, *, token: str, params: JSONDict, **_: Any) -> JSONDict:
        chat = self._chat_for_send(params)
        text, entities = self._formatted(
            params, "text", "entities", _MESSAGE_TOO_LONG, "Bad Request: message is too long"
        )
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = self._inline_markup(params)
        message = self._new_bot_message(token, chat, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        if markup is not None:
            message["reply_markup"] = markup
        return self._store(chat, message)

    async def _edit_message_text(self, *, params: JSONDict, **_: Any) -> JSONDict:
        message = self._bot_message_to_edit(params)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = self._formatted(
            params, "text", "entities", _MESSAGE_TOO_LONG, "Bad Request: MESSAGE_TOO_LONG"
        )
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = self._inline_markup(params, required_inline=True)
        if (
            text == message["text"]
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(400, _NOT_MODIFIED)
        message["text"] = text
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        self._apply_markup(message, markup)
        return copy.deepcopy(message)

    async def _edit_message_reply_markup(self, *, params: JSONDict, **_: Any) -> JSONDict:
        message = self._bot_message_to_edit(params)
        markup = self._inline_markup(params, required_inline=True)
        if markup == message.get("reply_markup"):
            raise ApiError(400, _NOT_MODIFIED)
        self._apply_markup(message, markup)
        return copy.deepcopy(message)

    @staticmethod
    def _apply_markup(message: JSONDict, markup: JSONDict | None) -> None:
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())

    async def _answer_callback_query(self, *, params: JSONDict, **_: Any) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_callback_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callback_queries.discard(query_id)  # type: ignore[arg-type]
        return True

    async def _send_media(
        self, kind: str, token: str, params: JSONDict, files: dict[str, UploadedFile]
    ) -> JSONDict:
        chat = self._chat_for_send(params)
        caption, caption_entities = self._formatted(
            params,
            "caption",
            "caption_entities",
            _CAPTION_TOO_LONG,
            "Bad Request: message caption is too long",
        )
        markup = self._inline_markup(params)
        media = self._media(params, files, kind)
        message = self._new_bot_message(token, chat, params)
        message.update(media)
        if caption:
            message["caption"] = caption
        if caption_entities:
            message["caption_entities"] = caption_entities
        if markup is not None:
            message["reply_markup"] = markup
        return self._store(chat, message)

    async def _send_photo(
        self, *, token: str, params: JSONDict, files: dict[str, UploadedFile], **_: Any
    ) -> JSONDict:
        return await self._send_media("photo", token, params, files)

    async def _send_document(
        self, *, token: str, params: JSONDict, files: dict[str, UploadedFile], **_: Any
    ) -> JSONDict:
        return await self._send_media("document", token, params, files)

    async def _send_chat_action(self, *, params: JSONDict, **_: Any) -> bool:
        self._chat_for_send(params)
        if not params.get("action"):
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _get_file(self, *, params: JSONDict, **_: Any) -> JSONDict:
        file_id = params.get("file_id")
        stored = self._files.get(file_id)  # type: ignore[arg-type]
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, upload = stored
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": upload.size,
            "file_path": path,
        }


# --------------------------------------------------------------------------- own process


async def _serve_until_signal(port: int, token: str | None) -> JSONDict:
    import signal

    api = FakeBotApi(token=token, any_chat=True, port=port)
    await api.start()
    print(f"fake Bot API on {api.base_url}", flush=True)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, done.set)
    await done.wait()
    await api.stop()
    messages = [
        [c.params.get("chat_id"), str(c.params.get("text", "")), c.time, c.error_code]
        for c in api.calls
        if c.method == "sendMessage"
    ]
    return {
        "rate_limited": api.rate_limited,
        "rate_limited_by": api.rate_limited_by,
        "messages": messages,
    }


def main() -> None:
    """Serve the fake as its own process (the benchmarks do, so that their own work never
    delays its clock): every chat exists; on SIGTERM every sendMessage it was sent (chat,
    text, arrival time, error code) is written as JSON to --stats-file."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", default=None)
    parser.add_argument("--stats-file", type=Path, required=True)
    args = parser.parse_args()
    stats = asyncio.run(_serve_until_signal(args.port, args.token))
    args.stats_file.write_text(json.dumps(stats), encoding="utf-8")


if __name__ == "__main__":
    main()
