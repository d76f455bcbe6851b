"""Reading /earned arguments and the periods of /earnings."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.domain.money import EarnedInput, parse_earned
from bot.domain.reports import period_start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150000", EarnedInput(Decimal("150000"), "IDR", "")),
        ("150rb", EarnedInput(Decimal("150000"), "IDR", "")),
        ("150 rb logo Budi", EarnedInput(Decimal("150000"), "IDR", "logo Budi")),
        ("1,5jt", EarnedInput(Decimal("1500000"), "IDR", "")),
        ("20 USD", EarnedInput(Decimal("20"), "USD", "")),
        ("20 usd caption job", EarnedInput(Decimal("20"), "USD", "caption job")),
        ("$12.50 tip", EarnedInput(Decimal("12.50"), "USD", "tip")),
        ("Rp 150.000 artikel", EarnedInput(Decimal("150000"), "IDR", "artikel")),
        (
            "75000 translation for Sari",
            EarnedInput(Decimal("75000"), "IDR", "translation for Sari"),
        ),
    ],
)
def test_amounts_people_type(text: str, expected: EarnedInput) -> None:
    result = parse_earned(text.split(), "IDR")
    assert result is not None
    assert result.amount == expected.amount
    assert (result.currency, result.note) == (expected.currency, expected.note)


@pytest.mark.parametrize("text", ["", "banyak", "abc 20", "-5", "0"])
def test_unreadable_amounts(text: str) -> None:
    assert parse_earned(text.split(), "IDR") is None


def test_periods_start_in_the_users_time_zone() -> None:
    # Sunday 2026-11-29 20:00 UTC is Monday 30 Nov 03:00 in Jakarta (UTC+7).
    now = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    week = period_start("week", "Asia/Jakarta", now)
    month = period_start("month", "Asia/Jakarta", now)
    assert week == datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # Monday 00:00 WIB
    assert month == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)  # 1 Nov 00:00 WIB
    assert period_start("all", "Asia/Jakarta", now) is None


def test_today_and_year_start_in_the_users_time_zone() -> None:
    now = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # Monday 30 Nov 03:00 in Jakarta
    assert period_start("today", "Asia/Jakarta", now) == datetime(2026, 11, 29, 17, tzinfo=UTC)
    assert period_start("year", "Asia/Jakarta", now) == datetime(2025, 12, 31, 17, tzinfo=UTC)
    assert period_start("today", "UTC", now) == datetime(2026, 11, 29, tzinfo=UTC)
