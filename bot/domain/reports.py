"""Money reports from plain rows: periods, totals, unpaid work, win rate, monthly series."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.domain.dates import zone
from bot.domain.money import Rates
from bot.domain.tracking import APPLIED_OR_BEYOND, PAID, UNPAID, WON_OR_BEYOND
from bot.store.models import utcnow

ZERO = Decimal(0)
CENT = Decimal("0.01")

# What people type after /earnings, in English and Indonesian.
PERIOD_WORDS = {
    "today": "today",
    "hari ini": "today",
    "hariini": "today",
    "week": "week",
    "this week": "week",
    "minggu": "week",
    "minggu ini": "week",
    "month": "month",
    "this month": "month",
    "bulan": "month",
    "bulan ini": "month",
    "year": "year",
    "this year": "year",
    "tahun": "year",
    "tahun ini": "year",
    "all": "all",
    "semua": "all",
}
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """A reporting period: 'today', 'week', 'month', 'year', 'all', or one calendar month."""

    kind: str
    month: dt.date | None = None  # first day of an explicit month (kind "month_of")


@dataclass(frozen=True)
class EarningRow:
    """One earnings row as the reports need it."""

    amount: Decimal
    currency: str
    earned_at: dt.datetime
    application_id: int | None = None


@dataclass(frozen=True)
class ApplicationRow:
    """One application as the reports need it."""

    id: int
    status: str
    applied_at: dt.datetime
    skill: str | None = None
    agreed_amount: Decimal | None = None
    currency: str | None = None
    received_amount: Decimal | None = None
    paid_at: dt.datetime | None = None


@dataclass
class Report:
    """Everything /earnings shows for one period, in the user's currency where converted."""

    currency: str
    rates_date: dt.date
    received: dict[str, Decimal] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)
    total: Decimal = ZERO
    converted: bool = False  # True when some amount needed a rate to reach `currency`
    unconverted: list[str] = field(default_factory=list)
    unpaid: dict[str, Decimal] = field(default_factory=dict)
    unpaid_without_amount: int = 0
    gigs_paid: int = 0
    average_per_gig: Decimal | None = None
    won: int = 0
    applied: int = 0
    best_skill: tuple[str, Decimal] | None = None

    @property
    def win_rate(self) -> float | None:
        """Won ÷ applied, or None when nothing was applied."""
        return self.won / self.applied if self.applied else None


def parse_period(words: Sequence[str]) -> Period | None:
    """The period in /earnings arguments (month when none); None when it cannot be read."""
    text = " ".join(w.casefold() for w in words).strip()
    if not text:
        return Period("month")
    if text in PERIOD_WORDS:
        return Period(PERIOD_WORDS[text])
    found = MONTH_RE.match(text)
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return Period("month_of", dt.date(year, month, 1))
    return None


def _first_of_next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(dt.UTC)


def period_bounds(
    period: Period, timezone: str, now: dt.datetime
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[start, end) of a period in UTC, computed in the user's time zone; None = open."""
    tz = zone(timezone, "UTC")
    today = now.astimezone(tz).date()
    if period.kind == "all":
        return None, None
    if period.kind == "month_of" and period.month is not None:
        first = period.month
        return _local_midnight(first, tz), _local_midnight(_first_of_next_month(first), tz)
    if period.kind == "today":
        start = today
    elif period.kind == "week":
        start = today - dt.timedelta(days=today.weekday())
    elif period.kind == "year":
        start = today.replace(month=1, day=1)
    else:
        start = today.replace(day=1)
    return _local_midnight(start, tz), None


def _within(moment: dt.datetime | None, start: dt.datetime | None, end: dt.datetime | None) -> bool:
    if moment is None:
        return False
    return (start is None or moment >= start) and (end is None or moment < end)


def _add(totals: dict[str, Decimal], currency: str, amount: Decimal) -> None:
    totals[currency] = totals.get(currency, ZERO) + amount


def _convert_all(
    amounts: dict[str, Decimal], rates: Rates, target: str
) -> tuple[Decimal, list[str]]:
    """Sum of amounts in `target` and the currencies that had no rate."""
    total, missing = ZERO, []
    for currency, amount in sorted(amounts.items()):
        value = rates.convert(amount, currency, target)
        if value is None:
            missing.append(currency)
        else:
            total += value
    return total.quantize(CENT), missing


def gig_money(
    application: ApplicationRow, linked: Sequence[EarningRow], default_currency: str
) -> dict[str, Decimal]:
    """What a paid gig brought in: its earnings rows, else what was received, else agreed."""
    if linked:
        money: dict[str, Decimal] = {}
        for row in linked:
            _add(money, row.currency.upper(), row.amount)
        return money
    amount = application.received_amount or application.agreed_amount
    if amount is None:
        return {}
    return {(application.currency or default_currency).upper(): amount}


def build_report(
    earnings: Iterable[EarningRow],
    applications: Iterable[ApplicationRow],
    rates: Rates,
    currency: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    linked_earnings: Iterable[EarningRow] = (),
) -> Report:
    """Totals for [start, end): received, unpaid now, gigs paid, win rate and best skill.

    `linked_earnings` are the rows recorded for paid applications (whenever they were
    earned), which say what each paid gig brought in.
    """
    currency = currency.upper()
    report = Report(currency=currency, rates_date=rates.as_of)
    for row in earnings:
        if _within(row.earned_at, start, end):
            code = row.currency.upper()
            _add(report.received, code, row.amount)
            report.entries[code] = report.entries.get(code, 0) + 1
    report.total, report.unconverted = _convert_all(report.received, rates, currency)
    report.converted = any(code != currency for code in report.received)

    linked: dict[int, list[EarningRow]] = {}
    for row in linked_earnings:
        if row.application_id is not None:
            linked.setdefault(row.application_id, []).append(row)
    paid_total = ZERO
    by_skill: dict[str, Decimal] = {}
    for app in applications:
        if app.status in UNPAID:
            if app.agreed_amount is None:
                report.unpaid_without_amount += 1
            else:
                _add(report.unpaid, (app.currency or currency).upper(), app.agreed_amount)
        if _within(app.applied_at, start, end) and app.status in APPLIED_OR_BEYOND:
            report.applied += 1
            report.won += app.status in WON_OR_BEYOND
        if app.status == PAID and _within(app.paid_at, start, end):
            report.gigs_paid += 1
            money = gig_money(app, linked.get(app.id, []), currency)
            value, _missing = _convert_all(money, rates, currency)
            paid_total += value
            if app.skill:
                by_skill[app.skill] = by_skill.get(app.skill, ZERO) + value
    if report.gigs_paid:
        report.average_per_gig = (paid_total / report.gigs_paid).quantize(CENT)
    if by_skill:
        best = max(sorted(by_skill), key=lambda skill: by_skill[skill])
        if by_skill[best] > 0:
            report.best_skill = (best, by_skill[best])
    return report


def month_starts(timezone: str, now: dt.datetime, months: int = 6) -> list[dt.date]:
    """First days of the last `months` calendar months, oldest first, ending with this one."""
    today = now.astimezone(zone(timezone, "UTC")).date()
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def monthly_received(
    earnings: Iterable[EarningRow],
    rates: Rates,
    currency: str,
    timezone: str,
    now: dt.datetime,
    months: int = 6,
) -> list[tuple[dt.date, Decimal]]:
    """Money received per calendar month (user's time zone), in `currency`; no-rate rows skipped."""
    tz = zone(timezone, "UTC")
    starts = month_starts(timezone, now, months)
    totals = dict.fromkeys(starts, ZERO)
    for row in earnings:
        local = row.earned_at.astimezone(tz).date().replace(day=1)
        if local not in totals:
            continue
        value = rates.convert(row.amount, row.currency, currency)
        if value is not None:
            totals[local] += value
    return [(month, totals[month].quantize(CENT)) for month in starts]


def period_start(period: str, timezone: str, now: datetime | None = None) -> datetime | None:
    """Start of today, this week (Monday), month or year in the user's zone, as UTC; None = all."""
    start, _end = period_bounds(Period(period), timezone, now or utcnow())
    return start
