"""Deadlines as Indonesian and English users type them, read in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.dates import parse_deadline

JAKARTA = "Asia/Jakarta"
# Monday 7 December 2026, 10:00 in Jakarta.
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(JAKARTA))


PHRASES = [
    # durations count from now
    ("3d", local(2026, 12, 10, 10, 0)),
    ("3 hari", local(2026, 12, 10, 10, 0)),
    ("3 hari lagi", local(2026, 12, 10, 10, 0)),
    ("dalam 3 hari", local(2026, 12, 10, 10, 0)),
    ("tiga hari", local(2026, 12, 10, 10, 0)),
    ("3 days", local(2026, 12, 10, 10, 0)),
    ("in 3 days", local(2026, 12, 10, 10, 0)),
    ("2 minggu", local(2026, 12, 21, 10, 0)),
    ("seminggu", local(2026, 12, 14, 10, 0)),
    ("2 weeks", local(2026, 12, 21, 10, 0)),
    ("a week", local(2026, 12, 14, 10, 0)),
    ("12 jam", local(2026, 12, 7, 22, 0)),
    ("12h", local(2026, 12, 7, 22, 0)),
    ("5j", local(2026, 12, 7, 15, 0)),
    # named days end at 23:59 unless a time is given
    ("besok", local(2026, 12, 8, 23, 59)),
    ("Besok", local(2026, 12, 8, 23, 59)),
    ("deadline besok", local(2026, 12, 8, 23, 59)),
    ("besok jam 17.00", local(2026, 12, 8, 17, 0)),
    ("tomorrow", local(2026, 12, 8, 23, 59)),
    ("tomorrow 5pm", local(2026, 12, 8, 17, 0)),
    ("lusa", local(2026, 12, 9, 23, 59)),
    ("day after tomorrow", local(2026, 12, 9, 23, 59)),
    ("hari ini", local(2026, 12, 7, 23, 59)),
    ("today 17:00", local(2026, 12, 7, 17, 0)),
    ("minggu depan", local(2026, 12, 14, 23, 59)),
    ("next week", local(2026, 12, 14, 23, 59)),
    # weekdays: the coming one
    ("Jumat", local(2026, 12, 11, 23, 59)),
    ("jum'at", local(2026, 12, 11, 23, 59)),
    ("hari Jumat", local(2026, 12, 11, 23, 59)),
    ("jumat depan", local(2026, 12, 11, 23, 59)),
    ("Friday", local(2026, 12, 11, 23, 59)),
    ("next friday 09:00", local(2026, 12, 11, 9, 0)),
    ("Minggu", local(2026, 12, 13, 23, 59)),
    ("Senin", local(2026, 12, 14, 23, 59)),  # said on a Monday: next Monday
    ("senin ini", local(2026, 12, 7, 23, 59)),
    # dates
    ("12/12", local(2026, 12, 12, 23, 59)),
    ("12/12/2026", local(2026, 12, 12, 23, 59)),
    ("12-12-26", local(2026, 12, 12, 23, 59)),
    ("12 Des", local(2026, 12, 12, 23, 59)),
    ("12 Desember", local(2026, 12, 12, 23, 59)),
    ("12 des 17:00", local(2026, 12, 12, 17, 0)),
    ("tgl 12 Des 2026", local(2026, 12, 12, 23, 59)),
    ("Dec 12", local(2026, 12, 12, 23, 59)),
    ("December 12, 2026", local(2026, 12, 12, 23, 59)),
    ("12 Dec", local(2026, 12, 12, 23, 59)),
    ("5 Jan", local(2027, 1, 5, 23, 59)),  # already past this year: next year
    ("1/1", local(2027, 1, 1, 23, 59)),
    ("2026-12-20 17:00", local(2026, 12, 20, 17, 0)),
    ("20 Agustus", local(2027, 8, 20, 23, 59)),
]


@pytest.mark.parametrize(("text", "expected"), PHRASES)
def test_real_phrasings(text: str, expected: datetime) -> None:
    assert parse_deadline(text, JAKARTA, NOW) == expected


@pytest.mark.parametrize(
    "text", ["", "halo", "31/2", "12/13", "besok jam 25", "0 hari", "kapan saja", "5", "999 hari"]
)
def test_what_is_not_a_deadline(text: str) -> None:
    assert parse_deadline(text, JAKARTA, NOW) is None


def test_the_users_zone_decides_the_day() -> None:
    moment = parse_deadline("besok", "Asia/Jayapura", NOW)
    assert moment == datetime(2026, 12, 8, 23, 59, tzinfo=ZoneInfo("Asia/Jayapura"))
