"""When an alert goes out now and when it waits: quiet hours, digests, limits, pauses.

Pure functions over plain values: no database, no Telegram, no clock of their own (every
function takes `now`), so every rule is tested with fixed moments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot.domain.dates import zone

PAUSED = "paused"
DIGEST = "digest"
QUIET = "quiet"
LIMIT = "limit"
BATCH = "batch"
HOLD_REASONS = (PAUSED, DIGEST, QUIET, LIMIT, BATCH)

EVERY_DAY = "all"
WEEKDAYS = "weekdays"

# Three or more alerts for one user within this window go out as one message.
BURST_SIZE = 3
BURST_WINDOW = timedelta(seconds=60)

MAX_QUIET_RANGES = 6
MAX_LIMIT = 50
JAKARTA = "Asia/Jakarta"  # the zone quiet hours and digests fall back to

_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b|\bsampai\b|\bs/d\b)\s*")
_DAY_WORDS = {
    WEEKDAYS: ("weekdays", "weekday", "hari kerja", "workdays", "senin-jumat"),
    EVERY_DAY: ("every day", "everyday", "daily", "setiap hari", "tiap hari", "all days"),
}
# Words that turn a setting off (quiet hours, limits, /minbudget, /maxbids, /maxage).
OFF_WORDS = frozenset({"off", "none", "no", "mati", "tidak", "nonaktif", "hapus", "0"})


class RuleInputError(ValueError):
    """Text that cannot be read as a time, a range or a limit."""


@dataclass(frozen=True, slots=True)
class QuietRange:
    """A daily quiet period in local time; `end` before `start` crosses midnight."""

    start: time
    end: time
    days: str = EVERY_DAY

    def as_dict(self) -> dict[str, str]:
        """The JSON form stored in users.quiet_hours."""
        return {"start": clock_text(self.start), "end": clock_text(self.end), "days": self.days}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> QuietRange:
        """Read the stored JSON form back."""
        return cls(
            parse_clock(data["start"]), parse_clock(data["end"]), data.get("days", EVERY_DAY)
        )

    @property
    def crosses_midnight(self) -> bool:
        """True for ranges like 22:00-06:00."""
        return self.end <= self.start


def clock_text(moment: time) -> str:
    """'08:05'."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def parse_clock(text: str) -> time:
    """'19:30', '19.30', '7:05' or '7' as a time of day; RuleInputError otherwise."""
    match = _CLOCK.match(text.strip())
    if not match:
        raise RuleInputError(text)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise RuleInputError(text)
    return time(hour, minute)


def _split_days(text: str) -> tuple[str, str]:
    """Take a trailing (or leading) 'weekdays' / 'every day' off the text."""
    folded = " ".join(text.casefold().split())
    for days, words in _DAY_WORDS.items():
        for word in sorted(words, key=len, reverse=True):
            if folded.endswith(word):
                return folded[: -len(word)].strip(" ,"), days
            if folded.startswith(word):
                return folded[len(word) :].strip(" ,"), days
    return folded, EVERY_DAY


def parse_quiet(text: str) -> list[QuietRange]:
    """'08:00-12:00, 13:00-17:00 weekdays' as ranges; RuleInputError when unreadable."""
    body, days = _split_days(text)
    parts = [p for p in re.split(r"\s*(?:,|;|\band\b|\bdan\b)\s*", body) if p]
    if not parts or len(parts) > MAX_QUIET_RANGES:
        raise RuleInputError(text)
    ranges = []
    for part in parts:
        ends = _RANGE_SPLIT.split(part)
        if len(ends) != 2:
            raise RuleInputError(part)
        start, end = parse_clock(ends[0]), parse_clock(ends[1])
        if start == end:
            raise RuleInputError(part)
        ranges.append(QuietRange(start, end, days))
    return ranges


def parse_limit(text: str) -> int | None:
    """'3' → 3; '0' or 'off' → None (no limit); RuleInputError for anything else."""
    word = text.strip().casefold()
    if word in OFF_WORDS:
        return None
    if not (word.isascii() and word.isdigit()) or int(word) > MAX_LIMIT:
        raise RuleInputError(text)
    return int(word) or None


def ranges_of(stored: Sequence[dict[str, str]] | None) -> list[QuietRange]:
    """users.quiet_hours as ranges; unreadable entries are ignored."""
    ranges = []
    for item in stored or []:
        try:
            ranges.append(QuietRange.from_dict(item))
        except (KeyError, RuleInputError, TypeError):
            continue
    return ranges


def _applies(days: str, day: datetime) -> bool:
    return days != WEEKDAYS or day.weekday() < 5


def _periods_around(
    ranges: Iterable[QuietRange], local: datetime
) -> list[tuple[datetime, datetime]]:
    """Concrete quiet periods starting yesterday, today or tomorrow (local, aware)."""
    zone = local.tzinfo
    periods = []
    for offset in (-1, 0, 1):
        day = (local + timedelta(days=offset)).date()
        for item in ranges:
            begin = datetime.combine(day, item.start, tzinfo=zone)
            if not _applies(item.days, begin):
                continue
            end_day = day + timedelta(days=1) if item.crosses_midnight else day
            periods.append((begin, datetime.combine(end_day, item.end, tzinfo=zone)))
    return sorted(periods)


def _not_after(a: datetime, b: datetime) -> bool:
    return a.astimezone(UTC) <= b.astimezone(UTC)


def is_quiet(ranges: Sequence[QuietRange], timezone: str | None, now: datetime) -> bool:
    """True when `now` falls in one of the quiet ranges (a range belongs to the day it starts)."""
    return quiet_until(ranges, timezone, now) is not None


def quiet_until(
    ranges: Sequence[QuietRange], timezone: str | None, now: datetime
) -> datetime | None:
    """When the current quiet time ends (UTC), joining ranges that touch; None if not quiet."""
    if not ranges:
        return None
    local = now.astimezone(zone(timezone, JAKARTA))
    end: datetime | None = None
    for begin, finish in _periods_around(ranges, local):
        if end is None:
            if _not_after(begin, local) and local.astimezone(UTC) < finish.astimezone(UTC):
                end = finish
        elif _not_after(begin, end) and finish.astimezone(UTC) > end.astimezone(UTC):
            end = finish
    return end.astimezone(UTC) if end is not None else None


def last_digest_slot(digest_time: str, timezone: str | None, now: datetime) -> datetime:
    """The most recent scheduled digest moment at or before `now` (UTC)."""
    at = parse_clock(digest_time)
    local = now.astimezone(zone(timezone, JAKARTA))
    slot = datetime.combine(local.date(), at, tzinfo=local.tzinfo)
    if slot.astimezone(UTC) > now.astimezone(UTC):
        slot = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=local.tzinfo)
    return slot.astimezone(UTC)


def next_digest_at(digest_time: str, timezone: str | None, now: datetime) -> datetime:
    """The next scheduled digest moment after `now` (UTC)."""
    last = last_digest_slot(digest_time, timezone, now).astimezone(zone(timezone, JAKARTA))
    upcoming = datetime.combine(last.date() + timedelta(days=1), last.time(), tzinfo=last.tzinfo)
    return upcoming.astimezone(UTC)


def digest_due(
    digest_time: str | None, timezone: str | None, last_digest_at: datetime | None, now: datetime
) -> bool:
    """True when a digest moment has passed since the last digest was sent."""
    if not digest_time:
        return False
    try:
        slot = last_digest_slot(digest_time, timezone, now)
    except RuleInputError:
        return False
    return last_digest_at is None or last_digest_at < slot


@dataclass(frozen=True, slots=True)
class UserRules:
    """Everything about a user that decides whether an alert waits."""

    timezone: str | None = None
    paused: bool = False
    quiet: tuple[QuietRange, ...] = ()
    digest_time: str | None = None
    last_digest_at: datetime | None = None
    workload_limit: int | None = None
    active_gigs: int = 0

    @property
    def at_limit(self) -> bool:
        """True when the user has as many active gigs as they want at once."""
        return self.workload_limit is not None and self.active_gigs >= self.workload_limit


def hold_reason(rules: UserRules, now: datetime, *, burst: int = 1) -> str | None:
    """Why an alert due now must wait (paused, digest, quiet, limit, batch), or None to send.

    `burst` is how many alerts for this user are due or were sent within BURST_WINDOW,
    this one included; a burst goes out as one small digest.
    """
    if rules.paused:
        return PAUSED
    if rules.digest_time:
        return DIGEST
    if is_quiet(rules.quiet, rules.timezone, now):
        return QUIET
    if rules.at_limit:
        return LIMIT
    if burst >= BURST_SIZE:
        return BATCH
    return None


def releasable(rules: UserRules, now: datetime) -> frozenset[str]:
    """Which held alerts may go out now, as one digest message.

    Paused alerts never leave by themselves (the user chooses at /resume). Digest-held
    ones leave at the digest time; quiet-held ones when quiet time is over; limit-held
    ones when the user is below the limit again (or at the digest time); batches at once.
    """
    if rules.paused:
        return frozenset()
    due = digest_due(rules.digest_time, rules.timezone, rules.last_digest_at, now)
    if rules.digest_time:
        return frozenset({DIGEST, QUIET, LIMIT, BATCH}) if due else frozenset({BATCH})
    reasons = {BATCH}
    if not is_quiet(rules.quiet, rules.timezone, now):
        reasons |= {QUIET, DIGEST}  # DIGEST: alerts left over after /digest off
        if not rules.at_limit:
            reasons.add(LIMIT)
    return frozenset(reasons)
