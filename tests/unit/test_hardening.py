"""Token redaction in logs and the per-user flood limit."""

from __future__ import annotations

import json
import logging

from bot.app.flood import FloodGuard
from bot.app.logsetup import JsonFormatter, RedactingFilter, redact

TOKEN = "123456789:AAHk-secret-token-abcdefghijklmn"


def test_tokens_are_redacted_from_urls_and_text() -> None:
    url = f"POST https://api.telegram.org/bot{TOKEN}/getUpdates"
    assert TOKEN not in redact(url)
    assert redact(url) == "POST https://api.telegram.org/bot<redacted>/getUpdates"
    assert TOKEN not in redact(f"token={TOKEN}")
    assert redact("order 12345 paid") == "order 12345 paid"


def test_log_records_never_carry_the_token() -> None:
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        'HTTP Request: POST %s "%s"',
        (f"https://api.telegram.org/bot{TOKEN}/sendMessage", "HTTP/1.1 200 OK"),
        None,
    )
    assert RedactingFilter().filter(record)
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert TOKEN not in line
    assert data["logger"] == "httpx" and "bot<redacted>/sendMessage" in data["message"]


def test_flood_guard_allows_a_burst_then_the_rate() -> None:
    now = [0.0]
    guard = FloodGuard(rate=1.0, burst=3, clock=lambda: now[0])
    assert [guard.allow(7) for _ in range(4)] == [True, True, True, False]
    assert guard.should_warn(7) and not guard.should_warn(7)
    assert guard.allow(8)  # other users are not affected
    now[0] += 1.0
    assert guard.allow(7) and not guard.allow(7)
    now[0] += 10_000
    guard.forget_idle(older_than=3600)
    assert guard.allow(7)
