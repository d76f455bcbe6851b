"""Export cells: plain numbers, ISO dates, statuses in the user's language."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.store.models import Application, Earning
from bot.ui.export import application_row, export_files, plain_number
from bot.ui.i18n import translator

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def _app() -> Application:
    return Application(
        id=40,
        number=2,
        user_id=1,
        title="Logo",
        status="won",
        skill="desain logo",
        agreed_amount=Decimal("1500000.00"),
        currency="IDR",
        applied_at=NOW,
        note="",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("150000.00"), "150000"), (Decimal("20.5"), "20.50"), (None, "")],
)
def test_plain_numbers(value: Decimal | None, expected: str) -> None:
    assert plain_number(value) == expected


@pytest.mark.parametrize(("language", "status"), [("en", "Won"), ("id", "Menang")])
def test_status_in_the_users_language(language: str, status: str) -> None:
    row = application_row(_app(), "Asia/Jakarta", translator(language))
    assert row[:6] == ["2", "Logo", "", status, "desain logo", "1500000"]
    assert row[9] == "2026-12-07 10:00:00"


def test_earnings_name_the_application_by_its_number() -> None:
    earning = Earning(
        id=9,
        user_id=1,
        application_id=40,
        amount=Decimal(5),
        currency="USD",
        note="",
        earned_at=NOW,
    )
    files = export_files([_app()], [earning], "Asia/Jakarta", translator("en"), NOW, ";")
    assert [f.filename for f in files] == [
        "sambilan-applications-2026-12-07-semicolon.csv",
        "sambilan-earnings-2026-12-07-semicolon.csv",
    ]
    lines = files[1].data.decode("utf-8-sig").splitlines()
    assert lines == [
        "received at;amount;currency;note;application number",
        "2026-12-07 10:00:00;5;USD;;2",
    ]
