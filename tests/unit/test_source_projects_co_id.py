"""Tests for the projects.co.id listing parser against the real fragment in tests/fixtures."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.projects_co_id import parse

FIXTURE = Path(__file__).parent.parent / "fixtures" / "projects_co_id_listing.html"

# Read by eye from the fixture: (id, title, budget min, budget max, published WIB, bid count)
EXPECTED = [
    ("54e71a", "Aplikasi untuk melakukan posting secara otomatis", 500_000, 1_000_000,
     (2023, 8, 1, 22, 22, 43), 1),
    ("bee61a", "Jasa Graphic Designer/PPT Specialist", 1_500_000, 2_000_000,
     (2023, 8, 1, 20, 56, 57), 15),
    ("15e71a", "Create wordpress theme from html css", 1_500_000, 2_500_000,
     (2023, 8, 1, 19, 31, 10), 9),
    ("2ce51a", "SCRAPING CODASHOP MALAYSIA UNTUK JADIKAN API TRANSAKSI", 1_500_000, 2_500_000,
     (2023, 8, 1, 19, 30, 37), 7),
    ("09e71a", "Pembuatan button link produk", 1_000_000, 2_000_000,
     (2023, 8, 1, 19, 8, 50), 9),
    ("fae61a", "install strapi", 100_000, 200_000, (2023, 8, 1, 19, 7, 48), 9),
    ("f7e61a", "Membuat Artikel di Media Online", 200_000, 1_000_000,
     (2023, 8, 1, 19, 7, 19), 25),
    ("f1e61a", "Dicari Akun Canva Creator & canva Contributor", 2_000_000, 5_000_000,
     (2023, 8, 1, 16, 54, 22), 1),
    ("d9e61a", "Buat Bot / Web Automation", 500_000, 750_000, (2023, 8, 1, 16, 51, 8), 4),
    ("bbe61a", "DI CARI AKUN MOBILE LEGEND YANG ADA ROOM TURNAMEN NYA", 3_000_000, 4_000_000,
     (2023, 8, 1, 15, 23, 10), 2),
    ("b8c41a", "Buka Zip Folder, Beberapa File Locked", 150_000, 500_000,
     (2023, 8, 1, 14, 53, 44), 16),
    ("b5e61a", "Butuh Marketing Planner yang berpengalaman", 2_000_000, 3_000_000,
     (2023, 8, 1, 12, 56, 12), 12),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_is_a_byte_copy_of_the_shared_payload() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 46952
    assert data.count(b"/public/browse_projects/view/") == 24  # title link + View button each


def test_parses_all_twelve_projects_and_skips_ad_and_chrome(gigs: list[Gig]) -> None:
    assert len(gigs) == 12
    assert [g.external_id for g in gigs] == [row[0] for row in EXPECTED]
    assert all(g.source == "projects_co_id" for g in gigs)
    assert not any("adsbygoogle" in g.text or "Total Rows" in g.text for g in gigs)


@pytest.mark.parametrize(("gig_id", "title", "low", "high", "wib", "bids"), EXPECTED)
def test_each_project(
    gigs: list[Gig],
    gig_id: str,
    title: str,
    low: int,
    high: int,
    wib: tuple[int, ...],
    bids: int,
) -> None:
    gig = next(g for g in gigs if g.external_id == gig_id)
    assert gig.title == title
    assert gig.budget == Budget(Decimal(low), Decimal(high), "IDR", BudgetType.FIXED)
    year, month, day, hour, minute, second = wib
    # WIB is UTC+7: subtract seven hours by hand.
    assert gig.posted_at is not None
    assert gig.posted_at.tzinfo is not None and gig.posted_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    local = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    assert (local - gig.posted_at).total_seconds() == 7 * 3600
    assert gig.bids == bids
    assert gig.url.startswith(f"https://projects.co.id/public/browse_projects/view/{gig_id}/")


def test_first_project_details(gigs: list[Gig]) -> None:
    gig = gigs[0]
    assert gig.url == (
        "https://projects.co.id/public/browse_projects/view/54e71a/"
        "aplikasi-untuk-melakukan-posting-secara-otomatis"
    )
    assert gig.text == (
        "Hallo saya butuh freelance yg fulltime untuk membantu saya membuat aplikasi "
        "untuk auto posting. Mohon dibantu"
    )
    assert gig.tags == ("Phyton",)
    assert gig.posted_at == datetime(2023, 8, 1, 15, 22, 43, tzinfo=UTC)
    assert gig.language == "id"
    assert gig.key == "projects_co_id:54e71a"
    assert gig.extra["owner"] == "Umiasih"
    assert gig.extra["owner_rating"] == "10.00"
    assert gig.extra["owner_projects"] == "1"
    assert gig.extra["finish_days"] == "7"
    assert gig.extra["deadline"] == "2023-08-31T15:22:43+00:00"
    assert gig.extra["weekly_report"] == "no"
    assert all(isinstance(v, str) for v in gig.extra.values())


def test_tags_ratings_and_multiline_description(gigs: list[Gig]) -> None:
    by_id = {g.external_id: g for g in gigs}
    assert by_id["f7e61a"].tags == (
        "Social Media Marketing (SMM)",
        "Writing",
        "Blog",
        "Blogspot",
        "Copywriter",
        "Content Writer",
        "Social Media",
    )
    assert by_id["d9e61a"].tags == ("Python", "C#", "C/C++", "iMacros")
    assert by_id["fae61a"].extra["owner"] == "aldikirito007"
    assert by_id["fae61a"].extra["owner_rating"] == "9.82"
    assert by_id["09e71a"].extra["owner_rating"] == "0.00"
    assert by_id["bee61a"].extra["owner"] == "mauliawan.dodi"
    assert by_id["2ce51a"].extra["finish_days"] == "10"
    assert by_id["15e71a"].extra["finish_days"] == "3"
    assert by_id["f1e61a"].extra["weekly_report"] == "yes"
    bot = by_id["d9e61a"].text
    assert "alur bot :\n- buka chrome\n- paste link referal" in bot
    assert bot.endswith("- wait 5 menit\n- repeat")
    assert "\u00a0" not in by_id["f7e61a"].text


def test_language_is_indonesian_for_this_page(gigs: list[Gig]) -> None:
    assert {g.language for g in gigs} == {"id"}


def _card(project_id: str, title: str, text: str, budget: str = "") -> str:
    details = f"<strong>Published Budget:</strong>\n{budget}<br>" if budget else ""
    return (
        '<div class="row"><div class="col-md-2"></div><div class="col-md-10">'
        f'<h2><a href="https://projects.co.id/public/browse_projects/view/{project_id}/x">'
        f"{title}</a></h2><p>{text}</p>"
        f'<div class="col-md-12 well"><div class="row"><div class="col-md-6">{details}'
        "<strong>Published Date:</strong>\nbesok<br></div></div></div></div></div>"
    )


def test_english_heuristic_missing_budget_and_bad_date() -> None:
    html = _card(
        "abc123",
        "Build a landing page",
        "We are looking for a developer who will build the page for our startup.",
    ) + _card("def456", "Buat logo", "Saya butuh logo untuk toko saya", "Rp 100,000 - 200,000")
    english, indonesian = parse(html.encode())
    assert (english.external_id, english.language) == ("abc123", "en")
    assert english.budget is UNKNOWN_BUDGET
    assert english.posted_at is None
    assert english.bids is None
    assert indonesian.language == "id"
    assert indonesian.budget.max == Decimal(200000)


def test_garbage_payloads_give_no_gigs() -> None:
    assert parse(b"") == []
    assert parse(b"<html><body><h2>No projects</h2></body></html>") == []
    assert parse(b"\xff\xfe not html") == []
