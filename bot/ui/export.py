"""A user's applications and earnings as two CSV files that spreadsheets read right.

One file per table; dates as ISO "YYYY-MM-DD HH:MM:SS" in the user's time zone; amounts as
plain numbers with a decimal point; statuses in the user's language. Comma-separated for
English spreadsheets, semicolon-separated for Indonesian ones (whose decimal mark is the
comma, so they split comma files wrongly).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.domain.dates import zone
from bot.store.models import Application, Earning
from bot.ui.i18n import N_, Translate
from bot.ui.render import STATUS_NAMES

APPLICATION_COLUMNS = (
    N_("number"),
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
    N_("received at"),
    N_("amount"),
    N_("currency"),
    N_("note"),
    N_("application number"),
)
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COMMA, SEMICOLON = ",", ";"
MOMENT_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class ExportFile:
    """One file to send: its name and bytes."""

    filename: str
    data: bytes


def export_filename(kind: str, now: datetime, timezone: str, delimiter: str = COMMA) -> str:
    """sambilan-<kind>-YYYY-MM-DD.csv (with '-semicolon' for the semicolon variant)."""
    day = now.astimezone(zone(timezone, "UTC")).date().isoformat()
    variant = "-semicolon" if delimiter == SEMICOLON else ""
    return f"sambilan-{kind}-{day}{variant}.csv"


def _text(value: str | None) -> str:
    """Text as written, defused so a scraped title can never become a formula."""
    value = value or ""
    return "'" + value if value.startswith(FORMULA_START) else value


def plain_number(value: Decimal | None) -> str:
    """150000 → '150000', 20.5 → '20.50': no thousands marks, a decimal point only if needed."""
    if value is None:
        return ""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _moment(value: datetime | None, timezone: str) -> str:
    return "" if value is None else value.astimezone(zone(timezone, "UTC")).strftime(MOMENT_FORMAT)


def application_row(app: Application, timezone: str, _: Translate) -> list[str]:
    """One application as CSV cells, in APPLICATION_COLUMNS order."""
    status = _(STATUS_NAMES[app.status][1]) if app.status in STATUS_NAMES else app.status
    return [
        "" if app.number is None else str(app.number),
        _text(app.title),
        _text(app.url),
        status,
        _text(app.skill),
        plain_number(app.agreed_amount),
        app.currency or "",
        plain_number(app.received_amount),
        plain_number(app.fee_amount),
        _moment(app.applied_at, timezone),
        _moment(app.replied_at, timezone),
        _moment(app.won_at, timezone),
        _moment(app.delivered_at, timezone),
        _moment(app.paid_at, timezone),
        _moment(app.closed_at, timezone),
        _moment(app.deadline_at, timezone),
        _text(app.note),
    ]


def earning_row(earning: Earning, timezone: str, numbers: Mapping[int, int | None]) -> list[str]:
    """One earnings row as CSV cells, in EARNING_COLUMNS order."""
    number = numbers.get(earning.application_id) if earning.application_id else None
    return [
        _moment(earning.earned_at, timezone),
        plain_number(earning.amount),
        earning.currency,
        _text(earning.note),
        "" if number is None else str(number),
    ]


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def export_files(
    applications: Sequence[Application],
    earnings: Sequence[Earning],
    timezone: str,
    _: Translate,
    now: datetime,
    delimiter: str = COMMA,
) -> list[ExportFile]:
    """The applications file and the earnings file (each only when it has rows)."""
    files = []
    if applications:
        header = [_(c) for c in APPLICATION_COLUMNS]
        rows = [application_row(app, timezone, _) for app in applications]
        name = export_filename("applications", now, timezone, delimiter)
        files.append(ExportFile(name, _csv(header, rows, delimiter)))
    if earnings:
        numbers = {app.id: app.number for app in applications}
        header = [_(c) for c in EARNING_COLUMNS]
        rows = [earning_row(e, timezone, numbers) for e in earnings]
        name = export_filename("earnings", now, timezone, delimiter)
        files.append(ExportFile(name, _csv(header, rows, delimiter)))
    return files
