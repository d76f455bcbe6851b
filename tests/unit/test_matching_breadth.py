"""Kinds of listings the matcher used to miss or send wrongly (examples of each kind)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.matching.index import MatchIndex
from bot.matching.profile import Rates, make_profile
from bot.matching.score import Match
from scrapers.model import Gig

RATES = Rates({"IDR": Decimal("0.000062")}, date(2026, 1, 1), "USD")
NOW = datetime(2026, 1, 10, tzinfo=UTC)


def matched(skill: str, title: str, text: str = "", tags: tuple[str, ...] = ()) -> Match | None:
    """The match of one gig for a user with one skill, or None."""
    index = MatchIndex(RATES)
    index.add_user(make_profile(1, [skill]))
    found = index.match(Gig("t", "1", title, "u", text=text, tags=tags), NOW)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("skill", "title"),
    [
        # A framework named instead of its language.
        ("javascript", "Freelance ReactJs"),
        ("javascript", "Frontend React js"),
        ("javascript", "NestJs / Node Js developer"),
        ("javascript", "Tutor VueJS"),
        ("javascript", "Next JS admin pages"),
        ("javascript", "Angular dashboard fix"),
        ("php", "Perbaikan fitur Laravel"),
        ("php", "Fullstack CI 3 aplikasi sekolah"),
        ("python", "Bikin REST API pakai Django"),
        ("dart", "Butuh Flutter developer"),
        ("mobile developer", "Aplikasi Kotlin untuk kasir"),
        ("aplikasi android", "Bikin aplikasi kotlin sederhana"),
        # Roles, informal phrasings and whole families.
        ("nulis artikel SEO", "Penulis Niche Khusus"),
        ("nulis artikel SEO", "konten writer"),
        ("nulis artikel SEO", "Butuh Writer/Team Writer, Desk Business & Finance 1000++ Words"),
        ("web scraping", "Scrap dataweb ke Excel"),
        ("web scraping", "jasa scrapting"),
        ("host live", "Host Live TIKTOK"),
        ("host live", "live streamer jualan skincare"),
        ("desain grafis", "Designer Instagram"),
        ("desain grafis", "nasional graphic designer"),
        ("desain grafis", "Membuat flat design"),
        ("digital marketing", "Freelance SEM - Google Adwords"),
        ("digital marketing", "SEO OFF-Page"),
        ("guru les privat", "Dicari tutor matematika SMP"),
        ("voice over", "Dubbing iklan radio"),
        ("riset pasar", "Sebar kuesioner 100 responden"),
    ],
)
def test_listings_of_each_kind_now_match(skill: str, title: str) -> None:
    assert matched(skill, title) is not None


@pytest.mark.parametrize(
    ("skill", "title"),
    [
        ("wordpress", "pembuatan website ppob"),  # generic web work is not WordPress
        ("wordpress", "Bikin website toko online pakai Laravel"),
        ("admin sosmed", "Host Live TIKTOK"),  # on-camera hosting is not account admin
        ("admin sosmed", "Dicari talent host live streaming TikTok"),
        ("java", "Freelance ReactJs"),  # Java is not JavaScript
        ("guru les privat", "Aplikasi pembelajaran bahasa Jepang"),  # learning is not teaching
        ("host live", "Aplikasi Android Live Streaming"),
        ("desain grafis", "Dibutuhkan designer"),  # a role noun with no domain word
    ],
)
def test_false_alarms_of_each_kind_stay_away(skill: str, title: str) -> None:
    assert matched(skill, title) is None


def test_an_implied_match_says_which_skill_implied_it() -> None:
    found = matched("javascript", "Freelance ReactJs")
    assert found is not None
    assert found.reasons[0].as_dict() == {
        "code": "implied",
        "skill": "javascript",
        "term": "reactjs",
        "field": "title",
        "via": "React",
    }


def test_weak_evidence_scores_lower_than_a_strong_term() -> None:
    pair = matched("nulis artikel SEO", "Penulis Niche Khusus")
    strong = matched("nulis artikel SEO", "Penulis artikel niche khusus")
    assert pair is not None and strong is not None
    assert pair.score < strong.score
    assert pair.reasons[0].get("term") == "penulis + niche"


def test_a_role_and_domain_only_in_the_description_do_not_match() -> None:
    assert matched("desain grafis", "Butuh bantuan", text="designer untuk instagram") is None


def test_only_keeps_the_narrower_skills_out() -> None:
    assert matched("javascript only", "Freelance ReactJs") is None
    assert matched("javascript only", "Perbaikan script javascript") is not None
