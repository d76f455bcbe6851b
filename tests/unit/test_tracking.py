"""The pipeline state machine and what users type to move it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain import tracking
from bot.domain.tracking import InputError, Verdict, check
from bot.outbox.reminders import due_reminder

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
JAKARTA = "Asia/Jakarta"


def test_the_happy_path_is_allowed_step_by_step() -> None:
    path = ["saved", "applied", "replied", "won", "delivered", "paid"]
    for current, target in itertools.pairwise(path):
        assert check(current, target) is Verdict.OK


def test_side_exits_and_endings() -> None:
    assert check("applied", "lost") is Verdict.OK
    assert check("won", "withdrawn") is Verdict.OK
    assert check("won", "paid") is Verdict.OK  # paid up front
    for closed in tracking.CLOSED:
        assert tracking.next_steps(closed) == ()
        assert check(closed, "applied") is Verdict.CLOSED


def test_wrong_order_is_explained_not_applied() -> None:
    assert check("applied", "paid") is Verdict.TOO_EARLY
    assert check("replied", "delivered") is Verdict.TOO_EARLY
    assert check("saved", "won") is Verdict.TOO_EARLY
    assert check("saved", "replied") is Verdict.NOT_ALLOWED
    assert check("won", "won") is Verdict.SAME
    with pytest.raises(ValueError):
        tracking.changes("applied", "paid", NOW)


def test_changes_stamp_the_moment_and_close_endings() -> None:
    assert tracking.changes("applied", "won", NOW) == {
        "status": "won",
        "updated_at": NOW,
        "won_at": NOW,
    }
    paid = tracking.changes("delivered", "paid", NOW)
    assert paid["paid_at"] == NOW and paid["closed_at"] == NOW
    assert tracking.changes("won", "paid", NOW)["delivered_at"] == NOW
    assert tracking.changes("applied", "lost", NOW)["closed_at"] == NOW
    assert "closed_at" not in tracking.changes("saved", "applied", NOW)


@pytest.mark.parametrize(
    ("text", "expected_local"),
    [
        ("3d", datetime(2026, 12, 4, 10, 0)),
        ("12h", datetime(2026, 12, 1, 22, 0)),
        ("5j", datetime(2026, 12, 1, 15, 0)),
        ("2026-12-05", datetime(2026, 12, 5, 23, 59)),
        ("2026-12-05 17:00", datetime(2026, 12, 5, 17, 0)),
        ("5/12 17:00", datetime(2026, 12, 5, 17, 0)),
        ("5/12", datetime(2026, 12, 5, 23, 59)),
        ("1/11", datetime(2027, 11, 1, 23, 59)),  # already past this year: next year
    ],
)
def test_deadlines_are_read_in_the_users_time_zone(text: str, expected_local: datetime) -> None:
    from zoneinfo import ZoneInfo

    parsed = tracking.parse_deadline(text, JAKARTA, NOW)
    assert parsed == expected_local.replace(tzinfo=ZoneInfo(JAKARTA))
    assert parsed is not None and parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["kapan-kapan", "31/2", "5/12 25:00", "0d", "2026-13-01", ""])
def test_unreadable_deadlines(text: str) -> None:
    assert tracking.parse_deadline(text, JAKARTA, NOW) is None


def test_won_input() -> None:
    won = tracking.parse_won(["500rb", "3d"], "IDR", JAKARTA, NOW)
    assert won.money == tracking.Money(Decimal("500000.00"), "IDR")
    assert won.deadline_at == NOW + timedelta(days=3)
    usd = tracking.parse_won(["50", "USD", "5/12", "17:00"], "IDR", JAKARTA, NOW)
    assert usd.money.currency == "USD" and usd.deadline_at is not None
    assert tracking.parse_won(["1,5jt"], "IDR", JAKARTA, NOW).deadline_at is None
    for words, reason in [
        ([], "amount"),
        (["banyak"], "amount"),
        (["500rb", "kapan2"], "deadline"),
        (["500rb", "2020-01-01"], "deadline_past"),
        (["50", "XYZ"], "deadline"),
    ]:
        with pytest.raises(InputError) as problem:
            tracking.parse_won(words, "IDR", JAKARTA, NOW)
        assert problem.value.reason == reason


def test_paid_input_takes_the_fee_off() -> None:
    paid = tracking.parse_paid(["500rb", "fee", "50rb"], "IDR")
    assert paid.money.amount == Decimal("500000.00") and paid.fee == Decimal("50000.00")
    assert paid.net == Decimal("450000.00")
    assert tracking.parse_paid(["20", "USD", "biaya", "2"], "IDR").net == Decimal("18.00")
    assert tracking.parse_paid(["150rb"], "IDR").fee == 0
    for words in (["500rb", "fee", "600rb"], ["20", "USD", "fee", "Rp5000"], ["500rb", "fee"]):
        with pytest.raises(InputError):
            tracking.parse_paid(words, "IDR")


def test_reminders_come_once_per_window_and_never_late() -> None:
    assert due_reminder(NOW + timedelta(hours=30), [], NOW) is None
    assert due_reminder(NOW + timedelta(hours=20), [], NOW) == ["24h"]
    assert due_reminder(NOW + timedelta(hours=20), ["24h"], NOW) is None
    assert due_reminder(NOW + timedelta(hours=1), ["24h"], NOW) == ["24h", "2h"]
    assert due_reminder(NOW + timedelta(hours=1), None, NOW) == ["24h", "2h"]
    assert due_reminder(NOW + timedelta(hours=1), ["24h", "2h"], NOW) is None
    assert due_reminder(NOW - timedelta(minutes=1), [], NOW) is None
