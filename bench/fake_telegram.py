"""A local fake Telegram Bot API for the benchmarks that ENFORCES Telegram's flood limits.

Rules (checked when a request arrives, after half of the simulated latency):

* Only ``sendMessage`` and ``editMessageText`` are limited ("messages"); everything else
  (getMe, getUpdates, setMyCommands, answerCallbackQuery, …) is always answered.
* Overall: at most ``OVERALL_LIMIT`` = 30 accepted messages in any sliding 1-second window.
  A message that would be the 31st inside the last second is refused.
* Per chat: a token bucket of ``CHAT_BURST`` = 3 tokens refilled at ``CHAT_RATE`` = 1 token/s.
  Each accepted message to a chat takes one token; with none left it is refused. So a chat
  can take a burst of 3, and 1 message per second sustained.
* A refused message gets HTTP 429 with ``{"ok": false, "error_code": 429, "description":
  "Too Many Requests: retry after N", "parameters": {"retry_after": N}}``, N being the
  whole seconds (at least 1) until the message would be accepted. Refused messages do not
  use up the overall window or the chat's tokens.
* Every chat id exists and is a private chat; nothing is ever blocked.

Every sendMessage is recorded (chat id, text, arrival time on ``time.time()``, 200 or 429,
retry_after). ``getUpdates`` long-polls and answers ``[]`` when its timeout ends or the
server stops.

In-process::

    async with FakeTelegram(latency=0.02) as api:
        ...  # api.base_url is the value for [telegram] api_base_url

From another process (stats written as JSON to the file on SIGTERM or SIGINT)::

    python bench/fake_telegram.py --port 8081 --stats-file stats.json [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import random
import signal
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

from aiohttp import web

OVERALL_LIMIT = 30
OVERALL_WINDOW = 1.0
CHAT_BURST = 3.0
CHAT_RATE = 1.0
LIMITED = frozenset({"sendmessage", "editmessagetext"})
# Form fields PTB sends as plain strings: never JSON-decoded.
RAW_STRINGS = frozenset({"text", "parse_mode", "callback_query_id", "language_code"})
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Sambilan", "username": "bench_bot"}


@dataclass
class SentMessage:
    """One sendMessage the fake received."""

    chat_id: int
    text: str
    time: float
    status: int
    retry_after: int | None = None
    message_id: int | None = None
    # For a 429: "overall" (30 in the last second) and/or "chat" (the chat's bucket empty).
    reason: str | None = None


@dataclass
class Limiter:
    """The overall sliding window and the per-chat token buckets."""

    overall: deque[float] = field(default_factory=deque)
    buckets: dict[int, tuple[float, float]] = field(default_factory=dict)

    def check(self, chat_id: int, now: float) -> tuple[int, str] | None:
        """Accept (None) or refuse: (whole seconds to wait, which limit was hit)."""
        while self.overall and self.overall[0] <= now - OVERALL_WINDOW:
            self.overall.popleft()
        waits: dict[str, float] = {}
        if len(self.overall) >= OVERALL_LIMIT:
            oldest = self.overall[len(self.overall) - OVERALL_LIMIT]
            waits["overall"] = oldest + OVERALL_WINDOW - now
        tokens, stamp = self.buckets.get(chat_id, (CHAT_BURST, now))
        tokens = min(CHAT_BURST, tokens + (now - stamp) * CHAT_RATE)
        if tokens < 1:
            waits["chat"] = (1 - tokens) / CHAT_RATE
        if waits:
            return max(1, math.ceil(max(waits.values()))), "+".join(sorted(waits))
        self.overall.append(now)
        self.buckets[chat_id] = (tokens - 1, now)
        return None


class FakeTelegram:
    """The fake Bot API server; see the module docstring for the rules it enforces."""

    def __init__(self, *, latency: float = 0.0, jitter: float = 0.0, port: int = 0) -> None:
        self.latency = latency
        self.jitter = jitter
        self.port = port
        self.limiter = Limiter()
        self.sent: list[SentMessage] = []
        self.calls: dict[str, int] = {}
        self.refused = 0
        self.refusals: dict[str, int] = {}
        self._message_ids: dict[int, int] = {}
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._listeners: list[asyncio.Event] = []

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Serve on 127.0.0.1 (a free port unless one was given)."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop serving; pending long polls answer at once."""
        self._stopping.set()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop serving."""
        await self.stop()

    @property
    def base_url(self) -> str:
        """The value for ``[telegram] api_base_url``."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------------ inspection

    def accepted(self) -> list[SentMessage]:
        """sendMessage calls that were answered 200, in arrival order."""
        return [m for m in self.sent if m.status == 200]

    def too_many(self) -> int:
        """How many messages were answered 429."""
        return self.refused

    def stats(self) -> dict[str, Any]:
        """Everything recorded, as plain JSON-able data."""
        return {
            "calls": dict(self.calls),
            "refused_429": self.refused,
            "refused_by_limit": dict(self.refusals),
            "sent": [asdict(m) for m in self.sent],
        }

    async def wait_for_text(self, needle: str, timeout: float) -> SentMessage:  # noqa: ASYNC109
        """The first accepted sendMessage whose text contains `needle`."""
        event = asyncio.Event()
        self._listeners.append(event)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    for message in self.sent:
                        if message.status == 200 and needle in message.text:
                            return message
                    event.clear()
                    await event.wait()
        finally:
            self._listeners.remove(event)

    # ------------------------------------------------------------------ HTTP

    async def _delay(self) -> None:
        if self.latency or self.jitter:
            await asyncio.sleep(max(0.0, (self.latency + random.uniform(0, self.jitter)) / 2))

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        self.calls[method] = self.calls.get(method, 0) + 1
        params: dict[str, Any] = {}
        if request.body_exists:
            if request.content_type == "application/json":
                params = dict(await request.json())
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, str):
                        params[key] = value if key in RAW_STRINGS else _json_or_raw(value)
        await self._delay()
        body: dict[str, Any]
        status = 200
        if method == "getupdates":
            timeout = params.get("timeout")
            seconds = float(timeout) if isinstance(timeout, int | float) else 0.0
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await self._stopping.wait()
            body = {"ok": True, "result": []}
        elif method in LIMITED:
            body, status = self._message(method, params)
        elif method == "getme":
            body = {"ok": True, "result": {**BOT_USER, "can_join_groups": True}}
        else:  # deleteWebhook, setMyCommands, answerCallbackQuery, close, …
            body = {"ok": True, "result": True}
        await self._delay()
        return web.json_response(body, status=status)

    def _message(self, method: str, params: dict[str, Any]) -> tuple[dict[str, Any], int]:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            return {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: chat not found",
            }, 400
        now = time.time()
        refusal = self.limiter.check(chat_id, now)
        text = str(params.get("text", ""))
        record = method == "sendmessage"
        if refusal is not None:
            wait, reason = refusal
            self.refused += 1
            self.refusals[reason] = self.refusals.get(reason, 0) + 1
            if record:
                self.sent.append(SentMessage(chat_id, text, now, 429, wait, reason=reason))
                self._notify()
            error = {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {wait}",
                "parameters": {"retry_after": wait},
            }
            return error, 429
        if record:
            message_id = self._message_ids.get(chat_id, 0) + 1
            self._message_ids[chat_id] = message_id
            self.sent.append(SentMessage(chat_id, text, now, 200, message_id=message_id))
            self._notify()
        else:
            message_id = (
                params.get("message_id") if isinstance(params.get("message_id"), int) else 1
            )
        message = {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
            "date": int(now),
            "text": unescape(text),
        }
        return {"ok": True, "result": message}, 200

    def _notify(self) -> None:
        for event in self._listeners:
            event.set()


def _json_or_raw(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _serve(port: int, stats_file: Path, latency: float, jitter: float) -> dict[str, Any]:
    api = FakeTelegram(latency=latency, jitter=jitter, port=port)
    await api.start()
    print(f"fake Telegram on {api.base_url} (stats to {stats_file} on SIGTERM)", flush=True)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, done.set)
    await done.wait()
    await api.stop()
    return api.stats()


def main() -> None:
    """Run the fake as its own process until SIGTERM, then write the stats file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--stats-file", type=Path, required=True, help="JSON written on SIGTERM")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every answer")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="random extra latency")
    args = parser.parse_args()
    stats = asyncio.run(
        _serve(args.port, args.stats_file, args.latency_ms / 1000, args.jitter_ms / 1000)
    )
    args.stats_file.write_text(json.dumps(stats), encoding="utf-8")


if __name__ == "__main__":
    main()
