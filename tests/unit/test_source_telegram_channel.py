"""Tests for the t.me/s/<channel> preview parser and the free-text budget finder.

The real page is @durov (not a job channel, but real markup); Indonesian job posts are
hand-written below in the same markup.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.budget_text import find_budget
from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.telegram_channel import parse, parse_channel

FIXTURE = Path(__file__).parent.parent / "fixtures" / "tme_channel_durov.html"

# Read by eye from the fixture: (post, first line, <time datetime>, views). durov/522 is a
# photo-only post (no text) and must be skipped.
EXPECTED = [
    ("durov/519", "🤖 Your Telegram inbox can now run itself.", (2026, 5, 20, 15, 38, 10), "8.67M"),
    ("durov/520", "🎭 WhatsApp encryption is a giant fraud.", (2026, 5, 23, 13, 26, 7), "11.4M"),
    ("durov/521", "💎 TON’s native currency is becoming Gram.", (2026, 6, 1, 15, 40, 13), "6.51M"),
    ("durov/523", "⌚️ A fully native Telegram app for Apple Watch is out.",
     (2026, 6, 9, 19, 33, 51), "12.4M"),
    ("durov/524", "⌚️ Telegram is now on Wear OS.", (2026, 6, 11, 17, 54, 31), "14.5M"),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_shape() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 54285
    assert data.count(b'class="tgme_widget_message_wrap js-widget_message_wrap"') == 6
    assert b'data-post="durov/522"' in data


def test_ids_dates_titles_and_photo_only_post_skipped(gigs: list[Gig]) -> None:
    assert [g.external_id for g in gigs] == [row[0] for row in EXPECTED]
    for gig, (post, title, date, views) in zip(gigs, EXPECTED, strict=True):
        assert gig.source == "telegram"
        assert gig.key == f"telegram:{post}"
        assert gig.url == f"https://t.me/{post}"
        assert gig.title == title
        assert gig.posted_at == datetime(*date, tzinfo=UTC)
        assert gig.extra == {"channel": "durov", "views": views, "channel_title": "Pavel Durov"}
        assert gig.budget is UNKNOWN_BUDGET
        assert gig.tags == ()


def test_text_keeps_line_breaks_and_drops_markup(gigs: list[Gig]) -> None:
    assert gigs[0].text == (
        "🤖 Your Telegram inbox can now run itself.\n\n"
        "Assign a bot to read and reply for you — with granular control over its rights and "
        "chat access. 🧠\n\n⚙️ Start building!"
    )
    assert gigs[3].text == "⌚️ A fully native Telegram app for Apple Watch is out."
    # The link preview ("The native currency of TON") is not part of the message text.
    assert gigs[2].text.endswith("This is step 4 of 7 to Make TON Great Again.")
    assert "native currency of TON" not in gigs[2].text
    for gig in gigs:
        assert "<" not in gig.text and "VIEW IN TELEGRAM" not in gig.text


def test_channel_guard(gigs: list[Gig]) -> None:
    assert parse_channel(FIXTURE.read_bytes(), channel="DUROV") == gigs
    assert parse_channel(FIXTURE.read_bytes(), channel="lokerfreelance") == []


def _message(post: str, body: str, when: str, reply: str = "") -> str:
    quoted = (
        f'<a class="tgme_widget_message_reply" href="https://t.me/{post}">'
        f'<div class="tgme_widget_message_text js-message_reply_text">{reply}</div></a>'
        if reply
        else ""
    )
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        '<div class="tgme_widget_message text_not_supported_wrap js-widget_message"'
        f' data-post="{post}">'
        '<div class="tgme_widget_message_bubble">'
        '<div class="tgme_widget_message_author accent_color">'
        '<a class="tgme_widget_message_owner_name" href="https://t.me/lokerfreelance">'
        '<span dir="auto">Loker Freelance</span></a></div>'
        f'{quoted}<div class="tgme_widget_message_text js-message_text" dir="auto">{body}</div>'
        '<div class="tgme_widget_message_footer compact js-message_footer">'
        '<span class="tgme_widget_message_views">1.2K</span>'
        '<a class="tgme_widget_message_date" href="#">'
        f'<time datetime="{when}" class="time">10:00</time></a></div></div></div></div>'
    )


JOB_PAGE = (
    "<html><body><section class='tgme_channel_history js-message_history'>"
    + _message(
        "lokerfreelance/101",
        "<b>Dicari Penulis Artikel SEO</b><br/>Fee: Rp 150.000 per artikel<br/>"
        'Kirim portofolio ke admin. <a href="?q=%23loker">#loker</a> '
        '<a href="?q=%23freelance">#freelance</a> <a href="?q=%23loker">#loker</a>',
        "2026-06-01T03:00:00+00:00",
    )
    + _message(
        "lokerfreelance/102",
        "Butuh admin input data, fee 200rb, kerja dari rumah",
        "2026-06-01T10:30:00+07:00",
        reply="Dicari desainer, budget $500",
    )
    + _message(
        "lokerfreelance/103",
        "Lowongan " + "sangat " * 30 + "panjang<br/>Gaji 3-5 juta/bulan",
        "2026-06-02T01:00:00+00:00",
    )
    + _message("lokerfreelance/104", "", "2026-06-02T02:00:00+00:00")
    + "</section></body></html>"
)


def test_indonesian_job_posts() -> None:
    seo, admin, long = parse_channel(JOB_PAGE.encode(), channel="lokerfreelance")
    assert seo.external_id == "lokerfreelance/101"
    assert seo.url == "https://t.me/lokerfreelance/101"
    assert seo.title == "Dicari Penulis Artikel SEO"
    assert seo.text == (
        "Dicari Penulis Artikel SEO\nFee: Rp 150.000 per artikel\n"
        "Kirim portofolio ke admin. #loker #freelance #loker"
    )
    assert seo.budget == Budget(Decimal(150000), Decimal(150000), "IDR", BudgetType.FIXED)
    assert seo.tags == ("loker", "freelance")
    assert seo.posted_at == datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
    assert seo.extra["channel_title"] == "Loker Freelance"
    # The quoted reply ("budget $500") is not this post's text or budget.
    assert admin.text == "Butuh admin input data, fee 200rb, kerja dari rumah"
    assert admin.budget == Budget(Decimal(200000), Decimal(200000), "IDR", BudgetType.FIXED)
    assert admin.posted_at == datetime(2026, 6, 1, 3, 30, tzinfo=UTC)
    assert long.budget == Budget(Decimal(3_000_000), Decimal(5_000_000), "IDR", BudgetType.SALARY)
    assert len(long.title) <= 121 and long.title.endswith("sangat…")
    assert long.title.startswith("Lowongan sangat sangat")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fee: 150rb", Budget(Decimal(150000), Decimal(150000), "IDR", BudgetType.FIXED)),
        ("Budget: Rp 500.000 - 1.000.000",
         Budget(Decimal(500000), Decimal(1000000), "IDR", BudgetType.FIXED)),
        ("bayaran 1,5jt", Budget(Decimal(1500000), Decimal(1500000), "IDR", BudgetType.FIXED)),
        ("Rp150.000/jam", Budget(Decimal(150000), Decimal(150000), "IDR", BudgetType.HOURLY)),
        ("upah maksimal 200rb", Budget(None, Decimal(200000), "IDR", BudgetType.FIXED)),
        ("Pay $20/hr for 10 hours", Budget(Decimal(20), Decimal(20), "USD", BudgetType.HOURLY)),
        ("Need 3 logos, $50 each", Budget(Decimal(50), Decimal(50), "USD", BudgetType.FIXED)),
        ("paying 100 USD", Budget(Decimal(100), Decimal(100), "USD", BudgetType.FIXED)),
        ("up to €40", Budget(None, Decimal(40), "EUR", BudgetType.FIXED)),
        ("fee 50k", Budget(Decimal(50000), Decimal(50000), None, BudgetType.FIXED)),
    ],
)  # fmt: skip
def test_find_budget(text: str, expected: Budget) -> None:
    assert find_budget(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "We have 10,000 users", "500k followers", "komisi 10%", "selesai 10-12 hari", "Corp 500"],
)
def test_no_find_budget(text: str) -> None:
    assert find_budget(text) is UNKNOWN_BUDGET


def test_default_currency_for_bare_amounts() -> None:
    assert find_budget("fee 50k", default_currency="IDR").currency == "IDR"
    assert find_budget("$50", default_currency="IDR").currency == "USD"


@pytest.mark.parametrize("payload", [b"", b"   ", b"\xff\xfe", b"<html></html>", b"not html"])
def test_garbage_payload_gives_no_gigs(payload: bytes) -> None:
    assert parse(payload) == []
