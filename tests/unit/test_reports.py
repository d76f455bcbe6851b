"""Money reports from plain rows: periods, converted totals, unpaid, win rate, best skill."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.domain.money import Rates
from bot.domain.reports import (
    ApplicationRow,
    EarningRow,
    Period,
    build_report,
    month_starts,
    monthly_received,
    parse_period,
    period_bounds,
)
from bot.handlers.earnings import period_label, report_text
from bot.ui.i18n import translator

UTC = dt.UTC
RATES = Rates({"IDR": Decimal(1), "USD": Decimal(16600)}, dt.date(2026, 11, 1))
# Sunday 29 Nov 2026, 20:00 UTC = Monday 30 Nov 03:00 in Jakarta.
NOW = dt.datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


def at(day: int, month: int = 11, hour: int = 5) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def app(
    id: int, status: str, *, applied: dt.datetime | None = None, **fields: object
) -> ApplicationRow:
    return ApplicationRow(id=id, status=status, applied_at=applied or at(10), **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], Period("month")),
        (["today"], Period("today")),
        (["hari", "ini"], Period("today")),
        (["hariini"], Period("today")),
        (["Minggu"], Period("week")),
        (["bulan"], Period("month")),
        (["tahun", "ini"], Period("year")),
        (["SEMUA"], Period("all")),
        (["all"], Period("all")),
        (["2026-11"], Period("month_of", dt.date(2026, 11, 1))),
        (["2026-3"], Period("month_of", dt.date(2026, 3, 1))),
    ],
)
def test_periods_people_type(words: list[str], expected: Period) -> None:
    assert parse_period(words) == expected


@pytest.mark.parametrize("words", [["kemarin"], ["2026-13"], ["2026-00"], ["11-2026"], ["x", "y"]])
def test_unreadable_periods(words: list[str]) -> None:
    assert parse_period(words) is None


def test_period_bounds_follow_the_users_time_zone() -> None:
    jakarta = "Asia/Jakarta"
    assert period_bounds(Period("today"), jakarta, NOW) == (
        dt.datetime(2026, 11, 29, 17, tzinfo=UTC),
        None,
    )
    assert period_bounds(Period("year"), jakarta, NOW) == (
        dt.datetime(2025, 12, 31, 17, tzinfo=UTC),
        None,
    )
    # An explicit month is that calendar month in the user's zone, end excluded.
    assert period_bounds(Period("month_of", dt.date(2026, 12, 1)), jakarta, NOW) == (
        dt.datetime(2026, 11, 30, 17, tzinfo=UTC),
        dt.datetime(2026, 12, 31, 17, tzinfo=UTC),
    )
    assert period_bounds(Period("all"), jakarta, NOW) == (None, None)
    # A stored zone that no longer exists falls back to UTC instead of failing.
    assert period_bounds(Period("today"), "Mars/Olympus", NOW)[0] == at(29, hour=0)


def test_received_is_converted_and_unknown_currencies_are_named() -> None:
    earnings = [
        EarningRow(Decimal("150000"), "IDR", at(3)),
        EarningRow(Decimal("20"), "USD", at(4)),
        EarningRow(Decimal("5"), "XAU", at(5)),
        EarningRow(Decimal("999"), "IDR", at(30, 10)),  # before the period
    ]
    start, end = period_bounds(Period("month"), "Asia/Jakarta", NOW)
    report = build_report(earnings, [], RATES, "IDR", start, end)
    assert report.received == {
        "IDR": Decimal("150000"),
        "USD": Decimal("20"),
        "XAU": Decimal("5"),
    }
    assert report.entries == {"IDR": 1, "USD": 1, "XAU": 1}
    assert report.total == Decimal("482000.00")
    assert report.converted and report.unconverted == ["XAU"]
    assert report.rates_date == dt.date(2026, 11, 1)


def test_unpaid_gigs_win_rate_average_and_best_skill() -> None:
    applications = [
        app(1, "saved"),
        app(2, "applied"),
        app(3, "lost"),
        app(4, "won", agreed_amount=Decimal("500000"), currency="IDR"),
        app(5, "delivered", agreed_amount=Decimal("30"), currency="USD"),
        app(6, "delivered"),
        app(7, "paid", skill="logo", paid_at=at(20), agreed_amount=Decimal("1")),
        app(8, "paid", skill="artikel", paid_at=at(21), received_amount=Decimal("100000")),
        app(9, "paid", skill="logo", paid_at=at(1, 10), applied=at(1, 9)),  # paid long ago
    ]
    linked = [
        EarningRow(Decimal("20"), "USD", at(20), 7),
        EarningRow(Decimal("50000"), "IDR", at(20), 7),
        EarningRow(Decimal("1"), "USD", at(1, 10), 9),
    ]
    start, end = period_bounds(Period("month"), "Asia/Jakarta", NOW)
    report = build_report([], applications, RATES, "IDR", start, end, linked)
    assert report.unpaid == {"IDR": Decimal("500000"), "USD": Decimal("30")}
    assert report.unpaid_without_amount == 1
    # Applied this month: 2..8 (saved is not an application); won or beyond: 4, 5, 6, 7, 8.
    assert (report.won, report.applied) == (5, 7)
    assert report.win_rate == pytest.approx(5 / 7)
    # Gig 7 brought $20 + Rp50.000 = Rp382.000 (its earnings rows), gig 8 Rp100.000.
    assert report.gigs_paid == 2
    assert report.average_per_gig == Decimal("241000.00")
    assert report.best_skill == ("logo", Decimal("382000.00"))


def test_nothing_applied_means_no_win_rate() -> None:
    report = build_report([], [app(1, "saved")], RATES, "IDR", None, None)
    assert report.win_rate is None
    assert report.best_skill is None and report.average_per_gig is None


def test_six_months_per_calendar_month_in_the_users_zone() -> None:
    assert month_starts("Asia/Jakarta", NOW) == [
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
    ]
    earnings = [
        EarningRow(
            Decimal("100000"), "IDR", dt.datetime(2026, 10, 31, 18, tzinfo=UTC)
        ),  # 1 Nov WIB
        EarningRow(Decimal("1"), "USD", at(15, 7)),
        EarningRow(Decimal("7"), "XAU", at(15, 8)),  # no rate: not charted
        EarningRow(Decimal("9"), "IDR", at(15, 1)),  # too old
    ]
    series = monthly_received(earnings, RATES, "IDR", "Asia/Jakarta", NOW)
    assert [amount for _month, amount in series] == [
        Decimal(0),
        Decimal("16600.00"),
        Decimal(0),
        Decimal(0),
        Decimal(0),
        Decimal("100000.00"),
    ]


def test_report_text_in_english_and_indonesian() -> None:
    earnings = [
        EarningRow(Decimal("150000"), "IDR", at(3)),
        EarningRow(Decimal("20"), "USD", at(4)),
    ]
    applications = [app(1, "applied"), app(2, "won", agreed_amount=Decimal("75000"))]
    report = build_report(earnings, applications, RATES, "IDR", None, None)
    english = report_text(
        report, period_label(Period("all"), translator("en"), "en"), translator("en"), "en"
    )
    assert "Earnings in total" in english
    assert "Rp482.000" in english and "at rates of 1 Nov 2026" in english
    assert "Still unpaid: Rp75.000" in english
    assert "Win rate: 50% (1 of 2)" in english
    _id = translator("id")
    label = period_label(Period("month_of", dt.date(2026, 11, 1)), _id, "id")
    indonesian = report_text(report, label, _id, "id")
    assert "Pendapatan di November 2026" in indonesian
    assert "dengan kurs 1 Nov 2026" in indonesian
    assert "Belum dibayar: Rp75.000" in indonesian


def test_report_text_without_anything_yet() -> None:
    _ = translator("en")
    report = build_report([], [], RATES, "IDR", None, None)
    text = report_text(report, _("today"), _, "en")
    assert "No earnings recorded today" in text
    assert "Win rate: —" in text and "Still unpaid: —" in text
    assert "rates" not in text
