"""Unit tests for scrapers.language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapers.language import detect_language
from scrapers.normalize import html_to_text
from scrapers.sources import projects_co_id

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_projects_co_id_listing_is_indonesian() -> None:
    gigs = projects_co_id.parse((FIXTURES / "projects_co_id_listing.html").read_bytes())
    assert len(gigs) >= 10
    for gig in gigs:
        assert detect_language(f"{gig.title}\n{gig.text}") == "id", gig.title


def test_remoteok_descriptions_are_english() -> None:
    jobs = json.loads((FIXTURES / "remoteok_api.json").read_bytes())
    texts = [
        f"{job['position']}\n{html_to_text(job['description'])}"
        for job in jobs
        if job.get("description")
    ]
    assert len(texts) >= 10
    for text in texts:
        assert detect_language(text) == "en", text[:80]


def test_german_listings_are_neither() -> None:
    jobs = json.loads((FIXTURES / "arbeitnow_job_board_api.json").read_bytes())["data"]
    german = [job for job in jobs if "(m/w/d)" in job["title"]]  # German gender tag
    assert len(german) >= 4
    for job in german:
        assert detect_language(html_to_text(job["description"])) is None, job["title"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dicari admin sosmed untuk toko online, bisa kerja dari rumah", "id"),
        ("Butuh jasa pembuatan website company profile", "id"),
        ("yg bisa bikin logo dgn cepat, harga nego gan", "id"),
        ("DI CARI AKUN MOBILE LEGEND YANG ADA ROOM TURNAMEN NYA", "id"),
        ("Looking for a Python developer to build a scraper", "en"),
        ("We are hiring a designer for our new brand", "en"),
        ("Need a logo for my shop", "en"),
    ],
)
def test_clear_titles(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Logo",
        "Python developer",
        "Senior DevOps Engineer (Remote)",
        "Dicari Admin Sosmed",  # only one marker word: too little to judge
        "Rp 5.000.000 - 10.000.000",
        "https://example.com/jobs/123",
        "🚀🔥💼",
        "หาคนทำระบบ web app ไว้ใช้ในคลินิก",  # Thai
        "Wir suchen einen Buchhalter für die Finanzabteilung und das Team",  # German
    ],
)
def test_short_unknown_or_other_language_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_mixed_text_returns_the_majority() -> None:
    mostly_indonesian = (
        "Dicari programmer untuk membuat aplikasi kasir yang bisa dipakai offline, "
        "must have experience with Flutter"
    )
    assert detect_language(mostly_indonesian) == "id"
    mostly_english = (
        "We are looking for a React developer who can join the team this month. Gaji bisa nego."
    )
    assert detect_language(mostly_english) == "en"


def test_tie_gives_none() -> None:
    assert detect_language("we need jasa desain") is None  # 2 English, 2 Indonesian


def test_case_and_punctuation_do_not_matter() -> None:
    assert detect_language("BUTUH JASA DESAIN, SEGERA!!!") == "id"
    assert detect_language("LOOKING FOR AN EDITOR... WITH EXPERIENCE?") == "en"
