"""Quiet hours, digest times, limits and bursts decide whether an alert waits."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.schedule_rules import (
    BATCH,
    DIGEST,
    LIMIT,
    PAUSED,
    QUIET,
    WEEKDAYS,
    QuietRange,
    RuleInputError,
    UserRules,
    digest_due,
    hold_reason,
    is_quiet,
    next_digest_at,
    parse_clock,
    parse_limit,
    parse_quiet,
    quiet_until,
    ranges_of,
    releasable,
)

JAKARTA = "Asia/Jakarta"  # UTC+7, no daylight saving
# Monday 2026-11-30; 12:00 UTC is 19:00 in Jakarta.
MONDAY_NOON_UTC = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def jakarta(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment given in Jakarta wall time (November/December 2026), as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def test_parse_quiet_ranges_and_days() -> None:
    assert parse_quiet("08:00-17:00") == [QuietRange(time(8), time(17))]
    assert parse_quiet("08:00-12:00, 13:00-17:00 weekdays") == [
        QuietRange(time(8), time(12), WEEKDAYS),
        QuietRange(time(13), time(17), WEEKDAYS),
    ]
    assert parse_quiet("22.00 - 6.30 setiap hari")[0] == QuietRange(time(22), time(6, 30))
    assert parse_quiet("8-17 hari kerja")[0].days == WEEKDAYS
    assert parse_quiet("22:00–06:00 every day")[0].crosses_midnight


@pytest.mark.parametrize(
    "text", ["25:00-26:00", "08:00", "08:00-08:00", "lunch", "", "8:60-9:00", "7pm-9pm"]
)
def test_parse_quiet_refuses_nonsense(text: str) -> None:
    with pytest.raises(RuleInputError):
        parse_quiet(text)


def test_stored_form_round_trips_and_ignores_garbage() -> None:
    ranges = parse_quiet("22:00-06:00 weekdays")
    stored = [r.as_dict() for r in ranges]
    assert stored == [{"start": "22:00", "end": "06:00", "days": "weekdays"}]
    assert ranges_of([*stored, {"start": "xx"}, {"nope": 1}]) == ranges


def test_daytime_range_in_user_zone() -> None:
    office = parse_quiet("08:00-17:00")
    assert is_quiet(office, JAKARTA, jakarta(30, 8, 0))
    assert is_quiet(office, JAKARTA, jakarta(30, 16, 59))
    assert not is_quiet(office, JAKARTA, jakarta(30, 17, 0))
    assert not is_quiet(office, JAKARTA, jakarta(30, 7, 59))
    # The same UTC moment is 08:00 in Jakarta but 10:00 in Jayapura (UTC+9).
    assert is_quiet(office, "Asia/Jayapura", jakarta(30, 8, 0))
    assert not is_quiet(office, "Europe/London", jakarta(30, 8, 0))


def test_range_across_midnight() -> None:
    night = parse_quiet("22:00-06:00")
    assert is_quiet(night, JAKARTA, jakarta(30, 23, 30))
    assert is_quiet(night, JAKARTA, jakarta(30, 2, 0))
    assert not is_quiet(night, JAKARTA, jakarta(30, 6, 0))
    assert quiet_until(night, JAKARTA, jakarta(30, 23, 30)) == jakarta(30, 6) + timedelta(days=1)


def test_weekdays_only_and_crossing_midnight_belongs_to_start_day() -> None:
    office = parse_quiet("08:00-17:00 weekdays")
    saturday, monday = 28, 30
    assert is_quiet(office, JAKARTA, jakarta(monday, 9))
    assert not is_quiet(office, JAKARTA, jakarta(saturday, 9))
    night = parse_quiet("22:00-06:00 weekdays")
    friday_night_after_midnight = jakarta(saturday, 2)  # started Friday 22:00
    assert is_quiet(night, JAKARTA, friday_night_after_midnight)
    assert not is_quiet(night, JAKARTA, jakarta(saturday, 23))


def test_touching_ranges_join_into_one_quiet_time() -> None:
    ranges = parse_quiet("08:00-12:00, 12:00-17:00")
    assert quiet_until(ranges, JAKARTA, jakarta(30, 9)) == jakarta(30, 17)
    split = parse_quiet("08:00-12:00, 13:00-17:00")
    assert quiet_until(split, JAKARTA, jakarta(30, 9)) == jakarta(30, 12)
    assert quiet_until(split, JAKARTA, jakarta(30, 12, 30)) is None


def test_parse_clock_and_limit() -> None:
    assert parse_clock("19:30") == time(19, 30)
    assert parse_clock("7.05") == time(7, 5)
    for bad in ("7pm?", "24:30", "19:3", "abc"):
        with pytest.raises(RuleInputError):
            parse_clock(bad)
    assert parse_limit("3") == 3
    assert parse_limit("0") is None
    assert parse_limit("off") is None
    for bad in ("-3", "2.5", "lots", "51"):
        with pytest.raises(RuleInputError):
            parse_limit(bad)


def test_digest_due_times_in_user_zone() -> None:
    # 19:30 in Jakarta is 12:30 UTC.
    before = datetime(2026, 11, 30, 12, 29, tzinfo=UTC)
    after = datetime(2026, 11, 30, 12, 31, tzinfo=UTC)
    set_in_morning = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert not digest_due("19:30", JAKARTA, set_in_morning, before)
    assert digest_due("19:30", JAKARTA, set_in_morning, after)
    assert not digest_due("19:30", JAKARTA, after, after + timedelta(hours=5))
    assert digest_due("19:30", JAKARTA, after, after + timedelta(days=1))
    assert not digest_due(None, JAKARTA, None, after)
    assert next_digest_at("19:30", JAKARTA, before) == datetime(2026, 11, 30, 12, 30, tzinfo=UTC)
    assert next_digest_at("19:30", JAKARTA, after) == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)


def test_hold_reasons_in_order() -> None:
    now = MONDAY_NOON_UTC  # 19:00 in Jakarta
    evening = tuple(parse_quiet("18:00-21:00"))
    assert hold_reason(UserRules(JAKARTA), now) is None
    assert hold_reason(UserRules(JAKARTA, paused=True, quiet=evening), now) == PAUSED
    assert hold_reason(UserRules(JAKARTA, quiet=evening, digest_time="07:00"), now) == DIGEST
    assert hold_reason(UserRules(JAKARTA, quiet=evening), now) == QUIET
    assert hold_reason(UserRules(JAKARTA, workload_limit=1, active_gigs=1), now) == LIMIT
    assert hold_reason(UserRules(JAKARTA, workload_limit=2, active_gigs=1), now) is None
    assert hold_reason(UserRules(JAKARTA), now, burst=3) == BATCH
    assert hold_reason(UserRules(JAKARTA), now, burst=2) is None


def test_what_may_leave_when() -> None:
    now = MONDAY_NOON_UTC
    evening = tuple(parse_quiet("18:00-21:00"))
    assert releasable(UserRules(JAKARTA, paused=True), now) == frozenset()
    assert QUIET not in releasable(UserRules(JAKARTA, quiet=evening), now)
    assert QUIET in releasable(UserRules(JAKARTA), now)
    at_limit = UserRules(JAKARTA, workload_limit=1, active_gigs=1)
    assert LIMIT not in releasable(at_limit, now)
    assert LIMIT in releasable(UserRules(JAKARTA, workload_limit=2, active_gigs=1), now)
    waiting = UserRules(JAKARTA, digest_time="19:30", last_digest_at=now - timedelta(hours=1))
    assert DIGEST not in releasable(waiting, now)
    due = UserRules(JAKARTA, digest_time="18:30", last_digest_at=now - timedelta(hours=1))
    assert {DIGEST, QUIET, LIMIT} <= releasable(due, now)
    assert PAUSED not in releasable(due, now)
