"""Alert cards and lists: escaped, clipped cleanly, in both languages, with conversions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain.money import Rates
from bot.store.models import Application, GigRow
from bot.ui.render import (
    MESSAGE_LIMIT,
    alert_card,
    alert_keyboard,
    amount_prompt,
    applications_keyboard,
    applications_text,
    parse_step_data,
    plain_text,
    reminder_text,
    step_data,
    visible_length,
)

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
LABELS = {"projects_co_id": "Projects.co.id", "freelancer": "Freelancer"}
RATES = Rates({"IDR": Decimal(1), "USD": Decimal("16000")})
TRICKY = '<b>Logo</b> & "caption"'


def make_gig(**overrides: object) -> GigRow:
    values: dict[str, object] = {
        "id": 7,
        "source": "projects_co_id",
        "external_id": "x7",
        "title": f"Desain {TRICKY} UMKM",
        "url": "https://projects.co.id/public/browse_projects/view/x7/desain?a=1&b=2",
        "text": "",
        "budget_min": Decimal("150000"),
        "budget_max": Decimal("500000"),
        "currency": "IDR",
        "budget_type": "fixed",
        "posted_at": NOW - timedelta(hours=2),
        "tags": [],
        "bids": 4,
        "extra": {"finish_days": "3", "deadline": "2026-12-05T10:00:00+00:00"},
    }
    values.update(overrides)
    return GigRow(**values)


def make_app(**overrides: object) -> Application:
    values: dict[str, object] = {
        "id": 12,
        "user_id": 1,
        "gig_id": 7,
        "title": f"Desain {TRICKY} UMKM",
        "url": "https://projects.co.id/x7",
        "status": "applied",
        "applied_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    values.setdefault("number", values["id"])
    return Application(**values)


REASONS = [{"skill": "desain logo", "term": "logo", "field": "title"}]


def card(language: str = "en", **kwargs: object) -> str:
    gig = kwargs.pop("gig", None) or make_gig()
    reasons = kwargs.pop("reasons", REASONS)
    return alert_card(gig, reasons, language, labels=LABELS, now=NOW, **kwargs)  # type: ignore[arg-type]


def test_markup_in_a_title_reaches_the_user_as_written() -> None:
    text = card()
    assert "<b>Logo</b>" not in text
    assert "&lt;b&gt;Logo&lt;/b&gt; &amp; &quot;caption&quot;" in text
    assert f"Desain {TRICKY} UMKM" in plain_text(text)
    assert 'href="https://projects.co.id/public/browse_projects/view/x7/desain?a=1&amp;b=2"' in text


def test_card_shows_source_budget_age_bids_and_why() -> None:
    seen = plain_text(card())
    assert "Projects.co.id" in seen
    assert "Rp150.000 – Rp500.000" in seen
    assert "2 hours ago" in seen
    assert "4 bids" in seen and "finish in 3 days" in seen and "deadline Dec 5, 2026" in seen
    assert "💡 Fits: desain logo (title)" in seen


def test_card_in_indonesian() -> None:
    seen = plain_text(card("id", gig=make_gig(bids=1)))
    assert "diposting 2 jam yang lalu" in seen
    assert "1 penawaran" in seen and "selesai dalam 3 hari" in seen
    assert "Cocok: desain logo (judul)" in seen
    keyboard = alert_keyboard(make_gig(), "id")
    labels = [b.text for row in keyboard.inline_keyboard for b in row]
    assert labels == ["✅ Sudah melamar", "⭐ Simpan", "🚫 Tidak relevan", "✍️ Draf", "🔗 Buka"]


def test_budget_is_converted_to_the_users_currency() -> None:
    usd_gig = make_gig(
        source="freelancer", budget_min=Decimal("30"), budget_max=Decimal("250"), currency="USD"
    )
    seen = plain_text(card(gig=usd_gig, rates=RATES, currency="IDR"))
    assert "$30.00 – $250.00 (≈ Rp480.000 – Rp4.000.000)" in seen
    same = plain_text(card(rates=RATES, currency="IDR"))
    assert "≈" not in same
    hourly = make_gig(
        budget_min=Decimal("10"), budget_max=None, currency="USD", budget_type="hourly"
    )
    assert "$10.00/hour (≈ Rp160.000/hour)" in plain_text(
        card(gig=hourly, rates=RATES, currency="IDR")
    )
    unknown = make_gig(budget_min=Decimal("10"), budget_max=None, currency="GBP")
    assert "≈" not in plain_text(card(gig=unknown, rates=RATES, currency="IDR"))


def test_long_text_is_clipped_before_escaping() -> None:
    title = "&" * 1000
    text = card(
        gig=make_gig(title=title), reasons=[{"skill": "<" * 500, "term": "", "field": "title"}]
    )
    first_line = text.splitlines()[0]
    assert first_line.endswith("…</b>")
    # Never cut inside an entity: every '&' starts a whole '&amp;'.
    assert first_line.count("&amp;") == first_line.count("&")
    assert plain_text(first_line).count("&") == 199
    assert "&lt;" * 59 in text and "&l…" not in text and "&lt…" not in text


def test_the_whole_card_stays_under_telegrams_limit() -> None:
    huge = make_gig(title="x" * 5000, extra={"deadline": "y" * 5000, "finish_days": "9" * 50})
    reasons = [{"skill": "s" * 3000, "term": "t" * 3000, "field": "title"}] * 50
    also = [("freelancer", "https://freelancer.com/" + "z" * 3000)] * 50
    text = alert_card(huge, reasons, "en", labels=LABELS, also=also, application=make_app())
    assert visible_length(text) <= MESSAGE_LIMIT


@pytest.mark.parametrize("language", ["en", "id"])
def test_card_follows_the_pipeline(language: str) -> None:
    gig = make_gig()
    won = make_app(
        status="won",
        agreed_amount=Decimal("50"),
        currency="USD",
        deadline_at=datetime(2026, 12, 5, 10, 0, tzinfo=UTC),
    )
    seen = plain_text(card(language, application=won, rates=RATES, currency="IDR"))
    usd = {"en": "$50.00", "id": "US$50"}[language]
    assert f"{usd} (≈ Rp800.000)" in seen
    assert "17:00" in seen  # the deadline in Jakarta time
    buttons = [
        b for row in alert_keyboard(gig, language, application=won).inline_keyboard for b in row
    ]
    data = [b.callback_data for b in buttons if b.callback_data]
    assert data == ["pc:12:dl", "pc:12:pd", "pc:12:lo", "pc:12:wd"]
    assert buttons[-1].url == gig.url
    paid = make_app(
        status="paid", received_amount=Decimal("45"), fee_amount=Decimal("5"), currency="USD"
    )
    seen = plain_text(card(language, application=paid))
    received, fee = {"en": ("$45.00", "$5.00"), "id": ("US$45 ", "US$5")}[language]
    assert received in seen and fee in seen
    closed = alert_keyboard(gig, language, application=paid).inline_keyboard
    assert [[b.url for b in row] for row in closed] == [[gig.url]]


def test_callback_data_fits_and_round_trips() -> None:
    biggest = 10**18 - 1
    for status in ("applied", "replied", "won", "delivered", "paid", "lost", "withdrawn"):
        data = step_data("c", biggest, status)
        assert len(data.encode()) <= 64
        assert parse_step_data(data) == ("c", biggest, status)
    for forged in (
        "pc:12:zz",
        "px:12:wn",
        "pc:-1:wn",
        "pc:12:wn:extra",
        "",
        None,
        "pc:1" + "9" * 30 + ":wn",
    ):
        assert parse_step_data(forged) is None
    keyboard = alert_keyboard(make_gig(id=biggest), "en")
    assert all(
        len((b.callback_data or "").encode()) <= 64 for row in keyboard.inline_keyboard for b in row
    )


def test_lists_number_each_application_with_its_buttons() -> None:
    apps = [
        make_app(id=3, status="replied"),
        make_app(id=4, status="delivered", agreed_amount=Decimal("500000"), currency="IDR"),
    ]
    text = applications_text(apps, "en", "Asia/Jakarta", active_only=True)
    assert "#3" in plain_text(text) and "#4" in plain_text(text)
    assert "&lt;b&gt;Logo" in text
    keyboard = applications_keyboard(apps, "en", active_only=True)
    assert keyboard is not None
    rows = [[b.callback_data for b in row] for row in keyboard.inline_keyboard]
    assert rows == [["pa:3:wn", "pa:3:lo"], ["pa:4:pd", "pa:4:lo"]]
    empty = applications_text([], "id", "Asia/Jakarta", active_only=True)
    assert "Belum ada" in empty


def test_amount_prompt_and_reminder_are_escaped() -> None:
    prompt = amount_prompt(make_app(), "won", "id")
    assert "/won 12 500rb 3 hari" in plain_text(prompt) and "&lt;b&gt;" in prompt
    app = make_app(status="won", deadline_at=NOW + timedelta(hours=2))
    text = reminder_text(app, "en", "Asia/Jakarta", NOW)
    assert "in 2 hours" in plain_text(text) and "12:00" in plain_text(text)
    assert "/delivered 12" in plain_text(text) and "&lt;b&gt;" in text


def test_coded_reasons_are_worded_by_matching_and_escaped() -> None:
    reasons = [{"code": "skill", "skill": "logo", "term": "<logo>", "field": "title"}]
    text = card("id", reasons=reasons)
    assert "&lt;logo&gt;" in text and "<logo>" not in text
    assert "Cocok: logo: “<logo>” (judul)" in plain_text(text)


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_won_card_shows_one_deadline(language: str) -> None:
    won = make_app(status="won", deadline_at=datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    seen = plain_text(card(language, application=won))
    word = {"en": "deadline", "id": "tenggat"}[language]
    assert seen.count(word) == 1 and "17:00" in seen


def test_card_places_the_budget_in_the_market() -> None:
    line = "Below the usual Rp300.000 – Rp750.000 for logo design"
    seen = plain_text(card("en", market=line))
    assert "📈 " + line in seen
    assert "📈" not in plain_text(card("en"))


def test_grouped_message_places_each_budget_in_the_market_and_drops_it_near_the_limit() -> None:
    from bot.ui.grouped import MARKET_LIMIT, GroupItem, group_text

    line = "Below the usual Rp300.000 – Rp750.000 for <logo> design"
    items = [GroupItem(make_gig(id=1), market=line), GroupItem(make_gig(id=2, title="Logo"))]
    text = group_text(items, [None], "en", labels=LABELS)
    seen = plain_text(text).split("\n")
    assert "    📈 " + line in seen and "&lt;logo&gt;" in text
    assert seen.index("    📈 " + line) == 3  # under the first gig's budget line
    assert plain_text(text).count("📈") == 1  # the second gig has no market figures
    # Ten gigs with long titles, warnings and statuses: the market lines give way first.
    long = "Desain " + "sangat panjang " * 20
    full = [
        GroupItem(
            make_gig(id=n, title=long, risk=["pay_first"]),
            make_app(
                id=n,
                status="won",
                agreed_amount=Decimal(350_000),
                currency="IDR",
                deadline_at=datetime(2026, 12, 9, 10, 0, tzinfo=UTC),
            ),
            market=line * 3,
        )
        for n in range(10)
    ]
    roomy = group_text(full, [None], "en", labels=LABELS)
    assert plain_text(roomy).count("📈") == 10 and visible_length(roomy) <= MESSAGE_LIMIT
    long_labels = {"projects_co_id": "Projects.co.id " * 6}  # clipped to 60 characters
    crowded = group_text(full, [None], "en", labels=long_labels, rates=RATES, currency="USD")
    assert visible_length(crowded) <= MESSAGE_LIMIT and "📈" not in crowded
    few = group_text(full[:3], [None], "en", labels=LABELS)
    assert plain_text(few).count("📈") == 3
    assert all(len(x) <= MARKET_LIMIT + 6 for x in plain_text(few).split("\n") if "📈" in x)
