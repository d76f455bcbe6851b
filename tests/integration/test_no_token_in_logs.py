"""The bot token never reaches the logs, even with every HTTP request logged in full.

httpx logs each request's URL at INFO, and a Bot API URL carries the token
(``…/bot123456789:AAH…/sendMessage``). The bot runs end to end against the fake Bot API with
the production logging setup (``setup_logging(verbose=True)``) and httpx turned up to DEBUG;
everything the log handler writes is captured and searched for the token.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.app.logsetup import REDACTED, setup_logging
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import TOKEN, running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(60)

USER = 7301
SECRET = TOKEN.split(":", 1)[1]
NOISY = ("httpx", "httpcore", "telegram", "apscheduler")


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Production logging, written to a buffer; the previous logging setup is put back."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_levels = {name: logging.getLogger(name).level for name in NOISY}
    setup_logging(verbose=True)
    [handler] = root.handlers
    buffer = io.StringIO()
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    # setup_logging quietens httpx to WARNING; its request lines are what carry the token.
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    logging.getLogger("httpcore").setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)


async def test_token_is_redacted_from_every_log_line(
    api: FakeBotApi, db_url: str, captured_logs: io.StringIO
) -> None:
    settings = settings_for_fakes(api, db_url, {})
    async with running_bot(settings):
        for text in ("/start", "/subscribe logo", "/status", "/settings"):
            api.user_sends(USER, text)
            await api.wait_for("sendMessage", chat_id=USER)
        menu = api.messages(USER)[-1]
        api.user_presses(USER, menu["message_id"], "se:lang")
        await api.wait_for("answerCallbackQuery")
        # A call that fails: the answer to /help is refused, the error handler logs the
        # failure with its traceback and tells the user something went wrong.
        api.fail_next("sendMessage", 400, "Bad Request: chat not found")
        api.user_sends(USER, "/help")
        await api.wait_for(
            "sendMessage", chat_id=USER, predicate=lambda p: "Something went wrong" in p["text"]
        )
        logging.getLogger("sambilan.test").error("a token in a message: %s", TOKEN)

    refused = [c for c in api.calls if c.method == "sendMessage" and not c.ok]
    assert [(c.error_code, c.description) for c in refused] == [
        (400, "Bad Request: chat not found")
    ]
    output = captured_logs.getvalue()
    lines = output.splitlines()
    assert len(lines) > 20, output
    records = [json.loads(line) for line in lines]
    failure = [r for r in records if r["message"] == "update failed"]
    assert len(failure) == 1 and "BadRequest: Chat not found" in failure[0]["error"], failure
    request_lines = [r for r in records if r["logger"] == "httpx"]
    assert any("/sendMessage" in line["message"] for line in request_lines), output[:2000]
    assert TOKEN not in output
    assert SECRET not in output
    assert TOKEN.replace(":", "%3A") not in output
    assert f"{REDACTED}/sendMessage" in output
    # Every request httpx logged went to the fake Bot API, and each shows the redaction.
    assert all(api.base_url.split("/bot")[0] in line["message"] for line in request_lines)
    assert all(f"/{REDACTED}/" in line["message"] for line in request_lines), output[:2000]
