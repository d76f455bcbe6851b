"""Tests for the HN Algolia thread parser against the real "Who is hiring?" thread."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.hn_freelancer import parse, split_header

FIXTURE = Path(__file__).parent.parent / "fixtures" / "hn_algolia_items_whoishiring.json"

# Read by eye from the fixture: (id, author, created_at_i, as UTC, company)
EXPECTED = [
    (48357732, "glacambre", 1780326081, (2026, 6, 1, 15, 1, 21), "Adacore"),
    (48357734, "justin_sdx", 1780326093, (2026, 6, 1, 15, 1, 33), "SmarterDx"),
    (48357742, "kukiel", 1780326110, (2026, 6, 1, 15, 1, 50), None),
    (48357745, "paddycorr", 1780326118, (2026, 6, 1, 15, 1, 58), "Safi"),
    (48357766, "norejisace", 1780326174, (2026, 6, 1, 15, 2, 54), "We The Flywheel"),
]
REPLY_IDS = {"48364019", "48366475", "48361563"}


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_is_the_shared_payload() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 11128
    thread = json.loads(data)
    assert thread["title"] == "Ask HN: Who is hiring? (June 2026)"
    assert len(thread["children"]) == 5


def test_one_gig_per_top_level_comment(gigs: list[Gig]) -> None:
    assert [g.external_id for g in gigs] == [str(row[0]) for row in EXPECTED]
    assert not REPLY_IDS & {g.external_id for g in gigs}
    assert all(g.source == "hn_freelancer" and g.language == "en" for g in gigs)


@pytest.mark.parametrize(("comment_id", "author", "epoch", "date", "company"), EXPECTED)
def test_each_comment(
    gigs: list[Gig],
    comment_id: int,
    author: str,
    epoch: int,
    date: tuple[int, ...],
    company: str | None,
) -> None:
    gig = next(g for g in gigs if g.external_id == str(comment_id))
    assert gig.url == f"https://news.ycombinator.com/item?id={comment_id}"
    assert gig.posted_at == datetime(*date, tzinfo=UTC)
    assert gig.posted_at is not None and gig.posted_at.timestamp() == epoch
    assert gig.extra["author"] == author
    assert gig.extra["thread_id"] == "48357725"
    assert gig.company == company


def test_titles_from_the_header_line(gigs: list[Gig]) -> None:
    adacore, smarter, airspace, safi, flywheel = gigs
    assert adacore.title == "Adacore | Software Engineers | Full-time | Remote or On-Site"
    # The URL segment is dropped from the title and kept in extra.
    assert smarter.title == (
        "SmarterDx | 150-250k+ + equity + benefits | Remote (US only) | Multiple roles"
    )
    assert smarter.extra["link"] == "https://smarterdx.com/careers"
    assert safi.title == (
        "Safi | Product Engineer | London HQ or Remote (within ±2 hrs of London) | Full-time | "
        "£110,000–£160,000 + equity"
    )
    assert flywheel.title == (
        "We The Flywheel | Remote (Worldwide) / Ho Chi Minh City (Hybrid) | Part-time"
    )
    # A prose post without pipes: the first line, cut at a word boundary.
    assert airspace.title.startswith("Hey HN! Air Space Intelligence (")
    assert airspace.title.endswith("…") and len(airspace.title) <= 160
    assert "link" not in airspace.extra


def test_text_is_clean(gigs: list[Gig]) -> None:
    adacore = gigs[0]
    assert adacore.text.startswith(
        "Adacore | Software Engineers | Full-time | Remote or On-Site\n\n"
        "Adacore is the maintainer of GNAT, GCC's Ada frontend"
    )
    assert all("&#x27;" not in g.text and "&#x2F;" not in g.text and "<p>" not in g.text
               for g in gigs)  # fmt: skip
    # Replies ("This sounds fun ...") are not folded into the parent's text.
    assert "This sounds fun" not in adacore.text


def test_budgets_only_when_stated_with_a_currency(gigs: list[Gig]) -> None:
    by_id = {g.external_id: g for g in gigs}
    assert by_id["48357745"].budget == Budget(
        Decimal(110000), Decimal(160000), "GBP", BudgetType.SALARY
    )
    # "150-250k+" has no currency, and "$71M", "$1.1B", "$50M Series B" are funding, not pay.
    assert by_id["48357734"].budget is UNKNOWN_BUDGET
    for comment_id in ("48357732", "48357742", "48357766"):
        assert by_id[comment_id].budget is UNKNOWN_BUDGET


def _comment(comment_id: int, text: str | None, parent: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "author": "someone",
        "children": [],
        "created_at": "2026-06-02T10:00:00.000Z",
        "created_at_i": None,
        "id": comment_id,
        "parent_id": parent,
        "story_id": 1,
        "text": text,
        "type": "comment",
        **extra,
    }


def test_freelancer_thread_rates_and_deleted_comments() -> None:
    thread = {
        "id": 1,
        "title": "Ask HN: Freelancer? Seeking freelancer? (June 2026)",
        "children": [
            _comment(10, "SEEKING WORK | Python, scraping | Jakarta | Remote<p>Rate: $50/hr"),
            _comment(11, None, author=None),  # deleted: Algolia nulls the text
            _comment(12, "[deleted]"),
            _comment(13, "<p> </p>"),
            _comment(14, "A nested reply flattened to the top", parent=10),
            _comment(15, "SEEKING FREELANCER | Logo design<p>Budget: Rp 1.500.000"),
            "not a comment",
        ],
    }
    seeking, hiring = parse(json.dumps(thread).encode())
    assert seeking.external_id == "10"
    assert seeking.title == "SEEKING WORK | Python, scraping | Jakarta | Remote"
    assert seeking.budget == Budget(Decimal(50), Decimal(50), "USD", BudgetType.HOURLY)
    # created_at_i is null: created_at is used.
    assert seeking.posted_at == datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
    assert seeking.extra["thread_title"].startswith("Ask HN: Freelancer?")
    assert hiring.external_id == "15"
    assert hiring.budget == Budget(Decimal(1500000), Decimal(1500000), "IDR", BudgetType.FIXED)


def test_split_header() -> None:
    assert split_header("Acme | Dev | https://acme.io") == ("Acme | Dev", "Acme", "https://acme.io")
    assert split_header("Just one line") == ("Just one line", None, None)
    title, company, link = split_header("Acme | " + "x" * 300)
    assert title.endswith("…") and len(title) <= 160
    assert (company, link) == ("Acme", None)
