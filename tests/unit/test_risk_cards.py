"""Alert cards and grouped messages warn about gigs with a scam-risk signal, in both languages."""

from __future__ import annotations

from decimal import Decimal

from bot.store.models import GigRow
from bot.ui.grouped import GroupItem, group_text
from bot.ui.render import alert_card, budget_text, risk_line
from tests.unit.test_render import make_gig


def test_card_shows_one_warning_line(  # the first (most serious) reason only
) -> None:
    gig = make_gig(risk=["pay_first", "chat_only"])
    card = alert_card(gig, [], "id", labels={})
    assert "⚠️ Hati-hati: minta biaya di muka" in card
    assert "kontak hanya" not in card
    english = alert_card(gig, [], "en", labels={})
    assert "⚠️ Careful: asks for money up front" in english


def test_no_warning_without_signals() -> None:
    for risk in (None, [], ["unknown_code"]):
        gig = make_gig(risk=risk)
        assert risk_line(gig, "en") is None
        assert "⚠️" not in alert_card(gig, [], "en", labels={})


def test_grouped_message_warns_under_the_gig() -> None:
    risky: GigRow = make_gig(id=1, risk=["account_trade"])
    honest: GigRow = make_gig(id=2, title="Logo kafe")
    text = group_text([GroupItem(risky), GroupItem(honest)], [None], "id", labels={})
    assert text.count("⚠️ Hati-hati: jual beli akun") == 1


def test_monthly_salary_shown_per_month() -> None:
    gig = make_gig(
        budget_min=Decimal(5_000_000),
        budget_max=Decimal(10_000_000),
        currency="IDR",
        budget_type="salary",
        extra={"salary_period": "monthly"},
    )
    assert budget_text(gig, "id").endswith("/bulan")
    assert budget_text(gig, "en").endswith("/month")
