"""Deadlines as people type them, in Indonesian and English: "3 hari", "besok", "Jumat",
"minggu depan", "12/12", "12 Des 17:00", "3 days", "tomorrow", "next Friday", "Dec 12".

Pure functions; no I/O. Dates and times are read in the user's time zone; a day without a
time means 23:59 that day; a duration counts from now.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

END_OF_DAY = time(23, 59)
MAX_DAYS_AHEAD = 366  # a micro-gig deadline further out is a typo

MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "aug", "agu", "agt", "ags"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
WEEKDAYS = {
    **dict.fromkeys(("senin", "monday", "mon"), 0),
    **dict.fromkeys(("selasa", "tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("rabu", "wednesday", "wed"), 2),
    **dict.fromkeys(("kamis", "thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("jumat", "jum'at", "jumaat", "friday", "fri"), 4),
    **dict.fromkeys(("sabtu", "saturday", "sat"), 5),
    **dict.fromkeys(("minggu", "ahad", "sunday", "sun"), 6),
}
NUMBER_WORDS = {
    "se": 1,
    "satu": 1,
    "one": 1,
    "a": 1,
    "an": 1,
    "dua": 2,
    "two": 2,
    "tiga": 3,
    "three": 3,
    "empat": 4,
    "four": 4,
    "lima": 5,
    "five": 5,
    "enam": 6,
    "six": 6,
    "tujuh": 7,
    "seven": 7,
    "delapan": 8,
    "eight": 8,
    "sembilan": 9,
    "nine": 9,
    "sepuluh": 10,
    "ten": 10,
}
# unit word → (days, hours) per one
UNITS = {
    **dict.fromkeys(("d", "hari", "hr", "day", "days"), (1, 0)),
    **dict.fromkeys(("w", "mg", "minggu", "pekan", "week", "weeks", "wk", "wks"), (7, 0)),
    **dict.fromkeys(("h", "j", "jam", "hour", "hours", "hrs"), (0, 1)),
}
NAMED_DAYS = {
    "hari ini": 0,
    "today": 0,
    "besok": 1,
    "besuk": 1,
    "tomorrow": 1,
    "lusa": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
    "minggu depan": 7,
    "pekan depan": 7,
    "next week": 7,
}
FILLER = re.compile(
    r"^(?:deadline|tenggat|tenggatnya|batas|dalam|in|within|by|before|sebelum|on|pada|"
    r"paling lambat|max|maks|tgl|tanggal)\s+"
)
_WEEKDAY = re.compile(r"(?:hari\s+)?(?:(next|this|coming)\s+)?([a-z']+)(?:\s+(depan|ini))?")
_CLOCK = re.compile(
    r"(?:^|\s+)(?:(?:jam|pukul|pkl\.?|at|@)\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|wib|wita|wit)?$"
)
_DURATION = re.compile(r"^(\d{1,3}|[a-z]+)\s*-?\s*([a-z]+)(?:\s+lagi|\s+from now)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\s+([a-z']+)\.?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z']+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")


def zone(name: str | None, fallback: str | None) -> ZoneInfo:
    """The time zone called `name`; `fallback` when it is empty or unknown (None: raise)."""
    if fallback is None:
        return ZoneInfo(name or "")
    try:
        return ZoneInfo(name or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def _clean(text: str) -> str:
    text = " ".join(text.casefold().replace(",", " , ").split()).replace(" ,", ",")
    text = text.strip(" .!")
    while (stripped := FILLER.sub("", text)) != text:
        text = stripped
    return text


def _split_clock(text: str) -> tuple[str, time | None] | None:
    """Separate a time of day at the end ("17:00", "jam 5", "5pm"); None when it is invalid."""
    match = _CLOCK.search(text)
    if match is None:
        return text, None
    has_marker = bool(re.search(r"(jam|pukul|pkl|at|@)\s*\d", match.group(0)))
    if match.group(2) is None and match.group(3) not in ("am", "pm") and not has_marker:
        return text, None  # a bare number belongs to the date ("12 des"), not a time
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) == "pm" and hour < 12:
        hour += 12
    if match.group(3) == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return text[: match.start()].strip(" ,"), time(hour, minute)


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _duration(text: str) -> timedelta | None:
    """'3 hari', '2 minggu', '12 jam', '3d', 'seminggu', 'two weeks' as a timedelta."""
    compact = re.fullmatch(r"se(hari|minggu|pekan|jam)", text)
    if compact:
        text = "1 " + compact.group(1)
    match = _DURATION.fullmatch(text)
    if match is None:
        return None
    amount, unit = _number(match.group(1)), UNITS.get(match.group(2))
    if amount is None or unit is None or amount <= 0:
        return None
    return timedelta(days=unit[0] * amount, hours=unit[1] * amount)


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def _on_or_after(day: int, month: int, year: int | None, today: date) -> date | None:
    """That date; without a year the next one that is not in the past."""
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate >= today else date(today.year + 1, month, day)
    except ValueError:
        return None  # 31/2


def _day(text: str, today: date) -> date | None:
    """A calendar day named by `text`, or None."""
    if text in NAMED_DAYS:
        return today + timedelta(days=NAMED_DAYS[text])
    weekday = _WEEKDAY.fullmatch(text)
    if weekday and weekday.group(2) in WEEKDAYS:
        ahead = (WEEKDAYS[weekday.group(2)] - today.weekday()) % 7
        this_one = weekday.group(1) == "this" or weekday.group(3) == "ini"
        # The coming one; named on that very day it means a week from now, unless "ini/this".
        return today + timedelta(days=ahead or (0 if this_one else 7))
    if match := _ISO_DATE.fullmatch(text):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    if match := _NUMERIC_DATE.fullmatch(text):
        day, month = int(match.group(1)), int(match.group(2))
        return _on_or_after(day, month, _year(match.group(3)), today)
    if (match := _DAY_MONTH.fullmatch(text)) and match.group(2) in MONTHS:
        day, month = int(match.group(1)), MONTHS[match.group(2)]
        return _on_or_after(day, month, _year(match.group(3)), today)
    if (match := _MONTH_DAY.fullmatch(text)) and match.group(1) in MONTHS:
        day, month = int(match.group(2)), MONTHS[match.group(1)]
        return _on_or_after(day, month, _year(match.group(3)), today)
    return None


def parse_deadline(text: str, timezone: str, now: datetime) -> datetime | None:
    """A deadline as a timezone-aware datetime (in `now`'s zone), or None when unreadable."""
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > 60:
        return None
    if (delta := _duration(cleaned)) is not None:
        return now + delta if delta <= timedelta(days=MAX_DAYS_AHEAD) else None
    split = _split_clock(cleaned)
    if split is None:
        return None
    head, clock = split
    tz = zone(timezone, None)
    local_now = now.astimezone(tz)
    day = _day(head, local_now.date()) if head else local_now.date()
    if day is None:
        return None
    if clock is not None and not head and datetime.combine(day, clock, tz) <= local_now:
        day += timedelta(days=1)  # "17:00" said after five means tomorrow
    moment = datetime.combine(day, clock or END_OF_DAY, tz).astimezone(now.tzinfo)
    if moment - now > timedelta(days=MAX_DAYS_AHEAD):
        return None
    return moment
