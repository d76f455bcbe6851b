"""The in-memory Bot API keeps Telegram's limits, and the bot's own pacer keeps to them.

The tests that drive the real Application in memory (tests/support/memory_bot.py) run on a
virtual clock shared by the pacer and the limits: these tests show that the limits are live
(a burst past them is refused with 429) and that the real pacer, on that clock, spaces the
bot's own sends so none is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support.memory_bot import (
    TOKEN,
    RecordingRequest,
    VirtualClock,
    memory_bot,
    memory_settings,
)

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
CHAT = 4242
URL = f"https://api.telegram.org/bot{TOKEN}/sendMessage"


async def _send(request: RecordingRequest, chat_id: int, text: str) -> int:
    """One raw sendMessage, past the bot and its pacer; the HTTP status it got."""
    # do_request reads only `json_parameters` (JSON-encoded values, as PTB sends them).
    data = SimpleNamespace(json_parameters={"chat_id": json.dumps(chat_id), "text": text})
    status, body = await request.do_request(URL, "POST", data)  # type: ignore[arg-type]
    assert json.loads(body)["ok"] is (status == 200)
    return status


async def test_a_burst_past_the_per_chat_limit_is_refused(backend: str) -> None:
    clock = VirtualClock()
    request = RecordingRequest(clock)
    statuses = [await _send(request, CHAT, f"m{n}") for n in range(4)]
    assert statuses == [200, 200, 200, 429]  # a burst of three, then about one a second
    assert request.rate_limited_by == {"chat": 1}
    clock.advance(1.0)
    assert await _send(request, CHAT, "later") == 200
    # Another chat has its own bucket.
    assert await _send(request, CHAT + 1, "other") == 200


async def test_more_than_thirty_a_second_overall_is_refused(backend: str) -> None:
    request = RecordingRequest(VirtualClock())
    statuses = [await _send(request, 5000 + n, "hi") for n in range(31)]
    assert statuses.count(429) == 1 and statuses[-1] == 429
    assert request.rate_limited_by == {"overall": 1}


async def test_the_bots_pacer_keeps_its_sends_under_the_limits(
    backend: str, db_url: str, tmp_path: Path
) -> None:
    async with memory_bot(memory_settings(db_url)) as bot:
        clock = bot.request.clock
        started = clock()
        for n in range(8):
            await bot.app.bot.send_message(CHAT, f"message {n}")
        assert bot.request.rate_limited == 0
        sent = [c for c in bot.calls if c.method == "sendMessage" and c.error is None]
        assert len(sent) == 8
        # Three at once, then five more at the pacer's per-chat rate: virtual seconds passed.
        assert clock() - started >= 5 / 1.0


async def test_a_test_that_breaks_the_limits_fails_unless_it_says_so(
    backend: str, db_url: str
) -> None:
    with pytest.raises(AssertionError, match="answered 429"):
        async with memory_bot(memory_settings(db_url)) as bot:
            for n in range(4):
                await _send(bot.request, CHAT, f"raw {n}")
    async with memory_bot(memory_settings(db_url), allow_429=True) as bot:
        for n in range(4):
            await _send(bot.request, CHAT, f"raw {n}")
        assert bot.request.rate_limited == 1
