"""Token redaction in logs, which links may be followed, and the per-user flood limit."""

from __future__ import annotations

import json
import logging

import pytest

from bot.flood import FloodGuard
from bot.logsetup import JsonFormatter, RedactingFilter, redact
from bot.netsafety import UnsafeLink, check_address, check_public_url, check_url_shape

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


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.4",
        "169.254.1.1",
        "::1",
        "0.0.0.0",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
        "100.64.0.1",
    ],
)
def test_private_and_special_addresses_are_refused(address: str) -> None:
    with pytest.raises(UnsafeLink):
        check_address(address)


def test_public_addresses_pass() -> None:
    check_address("93.184.216.34")
    check_address("2606:4700:4700::1111")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/x", "http"),
        ("file:///etc/passwd", "http"),
        ("javascript:alert(1)", "http"),
        ("https://user:pw@example.com/", "user name"),
        ("https:///nohost", "no host"),
        ("http://example.com:99999/", "port"),
    ],
)
def test_link_shapes(url: str, reason: str) -> None:
    with pytest.raises(UnsafeLink, match=reason):
        check_url_shape(url)


async def test_links_to_this_machine_are_refused_even_by_name() -> None:
    with pytest.raises(UnsafeLink):
        await check_public_url("http://localhost:8080/admin")
    with pytest.raises(UnsafeLink):
        await check_public_url("http://127.0.0.1/")
    await check_public_url("https://93.184.216.34/gig")  # literal public address: no lookup


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
