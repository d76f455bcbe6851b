"""Mini App initData validation as Telegram documents it: signature, age, shape."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.webapp.auth import InitDataError, data_check_string, parse_authorization, validate
from tests.support.dashboard import init_data
from tests.support.memory_bot import TOKEN

NOW = 1_800_000_000
DAY = 86_400


def fields_of(data: str) -> dict[str, str]:
    return dict(parse_qsl(data, keep_blank_values=True))


def test_a_signed_init_data_names_its_user() -> None:
    user = validate(init_data(42, language="id", auth_date=NOW - 60), TOKEN, DAY, now=NOW)
    assert (user.id, user.language_code, user.first_name, user.auth_date) == (
        42,
        "id",
        "Ana",
        NOW - 60,
    )


def test_the_data_check_string_is_sorted_key_value_lines_without_the_hash() -> None:
    fields = {"user": '{"id":1}', "auth_date": "5", "hash": "ff", "query_id": "Q"}
    assert data_check_string(fields) == 'auth_date=5\nquery_id=Q\nuser={"id":1}'


def test_the_secret_is_the_token_signed_with_web_app_data() -> None:
    # Computed by hand from Telegram's description, independently of the helper.
    fields = {"auth_date": str(NOW), "user": json.dumps({"id": 7, "first_name": "B"})}
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = f"auth_date={NOW}\nuser={fields['user']}"
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert validate(urlencode(fields), TOKEN, DAY, now=NOW).id == 7
    # Upper-case hex is the same hash.
    fields["hash"] = fields["hash"].upper()
    assert validate(urlencode(fields), TOKEN, DAY, now=NOW).id == 7


def tampered_user(data: str, user_id: int) -> str:
    fields = fields_of(data)
    user = json.loads(fields["user"])
    user["id"] = user_id
    fields["user"] = json.dumps(user, separators=(",", ":"))
    return urlencode(fields)


def with_field(data: str, **extra: str) -> str:
    return data + "&" + urlencode(extra)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (init_data(42, token="987654321:another-bots-token-abcdefghij"), "signature"),
        (tampered_user(init_data(42, auth_date=NOW), 43), "signature"),
        (with_field(init_data(42, auth_date=NOW), extra="1"), "signature"),
        (init_data(42, auth_date=NOW - DAY - 1), "expired"),
        (init_data(42, auth_date=NOW + 3600), "expired"),
        ("", "malformed"),
        ("no-equals-sign", "malformed"),
        ("auth_date=1&user=%7B%7D", "malformed"),  # no hash
        (urlencode({**fields_of(init_data(42)), "hash": "abc"}), "malformed"),
        (with_field(init_data(42, auth_date=NOW), auth_date=str(NOW)), "malformed"),
        ("x" * 5000, "malformed"),
    ],
    ids=[
        "other-bot",
        "other-user",
        "added-field",
        "expired",
        "future",
        "empty",
        "not-a-query",
        "no-hash",
        "short-hash",
        "field-twice",
        "too-long",
    ],
)
def test_init_data_that_proves_nothing_is_refused(data: str, reason: str) -> None:
    with pytest.raises(InitDataError) as refused:
        validate(data, TOKEN, DAY, now=NOW)
    assert refused.value.reason == reason


def test_a_signed_init_data_without_a_usable_user_is_refused() -> None:
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    for user in ("not json", json.dumps({"id": "7"}), json.dumps({"id": True}), "[]"):
        fields = {"auth_date": str(NOW), "user": user}
        check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
        fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
        with pytest.raises(InitDataError, match="malformed"):
            validate(urlencode(fields), TOKEN, DAY, now=NOW)


def test_the_age_limit_is_configurable() -> None:
    data = init_data(42, auth_date=NOW - 4000)
    assert validate(data, TOKEN, 5000, now=NOW).id == 42
    with pytest.raises(InitDataError, match="expired"):
        validate(data, TOKEN, 3600, now=NOW)


@pytest.mark.parametrize(
    ("header", "reason"),
    [(None, "missing"), ("", "missing"), ("Bearer abc", "malformed"), ("tma", "malformed")],
)
def test_only_the_tma_scheme_is_read(header: str | None, reason: str) -> None:
    with pytest.raises(InitDataError) as refused:
        parse_authorization(header)
    assert refused.value.reason == reason


def test_the_tma_header_carries_the_init_data() -> None:
    assert parse_authorization("tma a=1&b=2") == "a=1&b=2"
    assert parse_authorization("TMA  a=1") == "a=1"
