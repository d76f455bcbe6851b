"""The /delete_me confirmation buttons: their data is read strictly and fits Telegram's 64 bytes.

(The whole /delete_me flow over the fake Bot API is in tests/e2e/test_money.py.)
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.handlers import account


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("delme:y:6001:1795881234123456", account.DeleteChoice(True, 6001, 1795881234123456)),
        ("delme:n:6001:5", account.DeleteChoice(False, 6001, 5)),
        ("delme:x:6001:5", None),
        ("delme:y:-1:5", None),
        ("delme:y:6001", None),
        ("delme:y:6001:5:6", None),
        ("delme:y:99999999999999999999:5", None),
        ("ap:12", None),
        (None, None),
    ],
)
def test_confirmation_data_is_read_strictly(
    data: str | None, expected: account.DeleteChoice | None
) -> None:
    assert account.parse_delete_data(data) == expected


def test_confirmation_data_fits_telegram() -> None:
    stamp = account.creation_stamp(datetime(2026, 11, 28, 16, 30, 1, 123456, tzinfo=UTC))
    data = account.delete_data(True, 9_999_999_999, stamp)
    assert len(data.encode()) <= 64
    assert account.parse_delete_data(data) == account.DeleteChoice(True, 9_999_999_999, stamp)
