"""Telegram Mini App initData validation, exactly as Telegram documents it.

The data-check-string is every received field except ``hash``, sorted by key, written as
``key=value`` and joined by line feeds; the secret key is HMAC-SHA256 of the bot token with
the key "WebAppData"; ``hash`` must be the hex HMAC-SHA256 of the data-check-string with
that secret. The comparison is constant-time, and ``auth_date`` may not be older than the
configured age.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

SCHEME = "tma"
WEBAPP_KEY = b"WebAppData"
# A signature from a clock a little ahead of ours is fine; one far in the future is not.
FUTURE_SKEW_SECONDS = 300
MAX_INIT_DATA_BYTES = 4096


class InitDataError(ValueError):
    """initData that does not prove who the user is; `reason` says why (for logs only)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user an initData was signed for."""

    id: int
    first_name: str
    language_code: str | None
    auth_date: int


def secret_key(bot_token: str) -> bytes:
    """HMAC-SHA256 of the bot token with the key "WebAppData"."""
    return hmac.new(WEBAPP_KEY, bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    """Every field but `hash`, sorted by key, as key=value lines."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The hash Telegram puts into initData for these fields."""
    message = data_check_string(fields).encode()
    return hmac.new(secret_key(bot_token), message, hashlib.sha256).hexdigest()


def parse_authorization(header: str | None) -> str:
    """The initData in an `Authorization: tma <initData>` header."""
    if not header:
        raise InitDataError("missing")
    scheme, _space, value = header.strip().partition(" ")
    if scheme.lower() != SCHEME or not value.strip():
        raise InitDataError("malformed")
    return value.strip()


def _fields(init_data: str) -> dict[str, str]:
    if len(init_data) > MAX_INIT_DATA_BYTES:
        raise InitDataError("malformed")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise InitDataError("malformed") from exc
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("malformed")  # a field given twice
    return fields


def _user(fields: dict[str, str], auth_date: int) -> WebAppUser:
    try:
        data = json.loads(fields["user"])
    except (KeyError, ValueError) as exc:
        raise InitDataError("malformed") from exc
    user_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InitDataError("malformed")
    name = data.get("first_name")
    language = data.get("language_code")
    return WebAppUser(
        id=user_id,
        first_name=name if isinstance(name, str) else "",
        language_code=language if isinstance(language, str) else None,
        auth_date=auth_date,
    )


def validate(
    init_data: str, bot_token: str, max_age_seconds: int, now: float | None = None
) -> WebAppUser:
    """The user an initData string was signed for; InitDataError when it proves nothing."""
    fields = _fields(init_data)
    given = fields.get("hash", "")
    if len(given) != 64:
        raise InitDataError("malformed")
    expected = sign(fields, bot_token)
    if not hmac.compare_digest(expected.encode(), given.lower().encode()):
        raise InitDataError("signature")
    raw_date = fields.get("auth_date", "")
    if not (raw_date.isascii() and raw_date.isdigit()):
        raise InitDataError("malformed")
    auth_date = int(raw_date)
    current = time.time() if now is None else now
    if current - auth_date > max_age_seconds:
        raise InitDataError("expired")
    if auth_date - current > FUTURE_SKEW_SECONDS:
        raise InitDataError("expired")
    return _user(fields, auth_date)
