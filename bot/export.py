"""A user's applications and earnings as one CSV file that Excel and spreadsheets open right."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from bot.i18n import N_, Translate
from bot.reports import zone
from bot.store.models import Application, Earning

APPLICATION_COLUMNS = (
    N_("id"),
    N_("title"),
    N_("link"),
    N_("status"),
    N_("skill"),
    N_("agreed amount"),
    N_("currency"),
    N_("received amount"),
    N_("fee"),
    N_("applied at"),
    N_("replied at"),
    N_("won at"),
    N_("delivered at"),
    N_("paid at"),
    N_("closed at"),
    N_("deadline"),
    N_("note"),
)
EARNING_COLUMNS = (
    N_("id"),
    N_("received at"),
    N_("amount"),
    N_("currency"),
    N_("note"),
    N_("application id"),
)
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_filename(now: datetime, timezone: str) -> str:
    """sambilan-export-YYYY-MM-DD.csv, dated in the user's time zone."""
    return f"sambilan-export-{now.astimezone(zone(timezone)).date().isoformat()}.csv"


def _text(value: str | None) -> str:
    """Text as written, defused so a scraped title can never become a formula."""
    value = value or ""
    return "'" + value if value.startswith(FORMULA_START) else value


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _moment(value: datetime | None, timezone: str) -> str:
    return "" if value is None else value.astimezone(zone(timezone)).isoformat(timespec="seconds")


def application_row(app: Application, timezone: str) -> list[str]:
    """One application as CSV cells, in APPLICATION_COLUMNS order."""
    return [
        str(app.number or ""),
        _text(app.title),
        _text(app.url),
        app.status,
        _text(app.skill),
        _amount(app.agreed_amount),
        app.currency or "",
        _amount(app.received_amount),
        _amount(app.fee_amount),
        _moment(app.applied_at, timezone),
        _moment(app.replied_at, timezone),
        _moment(app.won_at, timezone),
        _moment(app.delivered_at, timezone),
        _moment(app.paid_at, timezone),
        _moment(app.closed_at, timezone),
        _moment(app.deadline_at, timezone),
        _text(app.note),
    ]


def earning_row(earning: Earning, timezone: str) -> list[str]:
    """One earnings row as CSV cells, in EARNING_COLUMNS order."""
    return [
        str(earning.id),
        _moment(earning.earned_at, timezone),
        _amount(earning.amount),
        earning.currency,
        _text(earning.note),
        "" if earning.application_id is None else str(earning.application_id),
    ]


def export_csv(
    applications: Sequence[Application],
    earnings: Sequence[Earning],
    timezone: str,
    _: Translate,
) -> bytes:
    """Two sections, applications then earnings, as UTF-8 with a BOM (for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Applications")])
    writer.writerow([_(column) for column in APPLICATION_COLUMNS])
    writer.writerows(application_row(app, timezone) for app in applications)
    writer.writerow([])
    writer.writerow([_("Earnings")])
    writer.writerow([_(column) for column in EARNING_COLUMNS])
    writer.writerows(earning_row(earning, timezone) for earning in earnings)
    return out.getvalue().encode("utf-8-sig")
