"""Tests for the Reddit Listing parser on a real Listing (r/ClaudeCode, a stand-in schema).

No real r/forhire or r/slavelabour payload is available, so the hiring logic is tested on this
Listing's real post objects with only their title (and where noted one field) changed.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType
from scrapers.payload import PayloadError
from scrapers.sources import SOURCES
from scrapers.sources.reddit import is_hiring_title, parse

FIXTURE = Path(__file__).parent.parent / "fixtures" / "reddit_listing_claudecode.json"

# Read by eye from the fixture: (id, title, created_utc, UTC date); child 1 is stickied.
POSTS = [
    ("1oerk1z", "Community Feedback", 1761291696, (2025, 10, 24, 7, 41, 36)),
    ("1rnxm5c", "I removed 63% of my Claude Code setup and it got 10x faster. Stop installing "
     "everything", 1772951792, (2026, 3, 8, 6, 36, 32)),
    ("1ro4zk5", "crit — a terminal review tool for Claude Code plans and documents", 1772976766,
     (2026, 3, 8, 13, 32, 46)),
    ("1ro61pg", "Losing my ability to code due to AI", 1772979606, (2026, 3, 8, 14, 20, 6)),
    ("1rns5my", "Free $100 Anthropic API token", 1772935210, (2026, 3, 8, 2, 0, 10)),
    ("1rnvo9d", "Code Simplifier with new /loop is actually pretty good!", 1772945649,
     (2026, 3, 8, 4, 54, 9)),
    ("1ro0qbl", "Anyone actually built a second brain that isn't just a graveyard of saved links?",
     1772962871, (2026, 3, 8, 9, 41, 11)),
    ("1rnzq6o", "What are your life Automations?", 1772959155, (2026, 3, 8, 8, 39, 15)),
]  # fmt: skip


@pytest.fixture
def listing() -> dict[str, Any]:
    return json.loads(FIXTURE.read_bytes())


def _post(listing: dict[str, Any], post_id: str) -> dict[str, Any]:
    return next(c["data"] for c in listing["data"]["children"] if c["data"]["id"] == post_id)


def _one(post: dict[str, Any], **changes: Any) -> bytes:
    """A Listing holding one deep copy of a real post with some fields changed."""
    post = copy.deepcopy(post)
    post.update(changes)
    return json.dumps(
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": post}]}}
    ).encode()


def test_fixture_shape(listing: dict[str, Any]) -> None:
    assert len(FIXTURE.read_bytes()) == 47364
    children = listing["data"]["children"]
    assert [(c["data"]["id"], c["data"]["title"]) for c in children] == [p[:2] for p in POSTS]
    assert [c["data"]["stickied"] for c in children] == [True] + [False] * 7


def test_real_listing_has_no_hiring_posts() -> None:
    assert parse(FIXTURE.read_bytes()) == []


def test_every_post_retitled_hiring_except_the_sticky(listing: dict[str, Any]) -> None:
    for child in listing["data"]["children"]:
        child["data"]["title"] = "[Hiring] " + child["data"]["title"]
    gigs = parse(json.dumps(listing).encode())
    assert [g.external_id for g in gigs] == [p[0] for p in POSTS[1:]]
    for gig, (post_id, title, epoch, date) in zip(gigs, POSTS[1:], strict=True):
        assert gig.title == f"[Hiring] {title}"
        assert gig.posted_at == datetime(*date, tzinfo=UTC)
        assert gig.posted_at.timestamp() == epoch
        assert gig.source == "reddit" and gig.language == "en"
        assert gig.extra["subreddit"] == "ClaudeCode"
        assert gig.url.startswith(f"https://www.reddit.com/r/ClaudeCode/comments/{post_id}/")
        assert gig.bids is None  # comments are not bids on r/ClaudeCode


def test_hiring_post_fields(listing: dict[str, Any]) -> None:
    [gig] = parse(_one(_post(listing, "1rns5my"), title="[Hiring] Free $100 Anthropic API token"))
    assert gig.external_id == "1rns5my"
    assert gig.key == "reddit:1rns5my"
    assert (
        gig.url
        == "https://www.reddit.com/r/ClaudeCode/comments/1rns5my/free_100_anthropic_api_token/"
    )
    assert gig.budget == Budget(Decimal(100), Decimal(100), "USD", BudgetType.FIXED)
    assert gig.posted_at == datetime(2026, 3, 8, 2, 0, 10, tzinfo=UTC)
    assert gig.text.startswith(
        "Hey everyone, just found out that if you login to lovable on March 8th"
    )
    assert gig.text.endswith("worth logging into.")
    assert gig.extra == {
        "subreddit": "ClaudeCode",
        "author": "smithey2012",
        "flair": "Resource",
        "comments": "59",
    }


def test_budget_from_selftext_when_the_title_has_none(listing: dict[str, Any]) -> None:
    # The real selftext says "... you can get free $100 Claude api credits."
    [gig] = parse(_one(_post(listing, "1rns5my"), title="[Hiring] Anthropic API helper"))
    assert gig.budget == Budget(Decimal(100), Decimal(100), "USD", BudgetType.FIXED)
    [gig] = parse(_one(_post(listing, "1rnzq6o"), title="[Hiring] Automation help"))
    assert gig.budget is UNKNOWN_BUDGET


@pytest.mark.parametrize(
    ("title", "low", "high", "kind"),
    [
        ("[Hiring] Python scraper, $20/hr", 20, 20, BudgetType.HOURLY),
        ("[HIRING] Logo for a bakery - budget $30-50", 30, 50, BudgetType.FIXED),
        ("[Hiring] Video editor $15 - $25 per hour", 15, 25, BudgetType.HOURLY),
    ],
)
def test_budgets_in_titles(
    listing: dict[str, Any], title: str, low: int, high: int, kind: BudgetType
) -> None:
    [gig] = parse(_one(_post(listing, "1rnzq6o"), title=title))
    assert gig.budget == Budget(Decimal(low), Decimal(high), "USD", kind)


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("[Hiring] Need a landing page", True),
        ("[hiring] need a landing page", True),
        ("[TASK] Transcribe a 5 minute clip $10", True),
        ("[Task] transcribe a clip", True),
        ("[For Hire] Full-stack developer, $40/hr", False),
        ("[FOR HIRE] Writer", False),
        ("[OFFER] I will write your resume for $20", False),
        ("[Hiring] [For Hire] confused post", False),
        ("Hiring without brackets", False),
        ("What are your life Automations?", False),
    ],
)
def test_only_hiring_titles_are_kept(listing: dict[str, Any], title: str, kept: bool) -> None:
    assert is_hiring_title(title) is kept
    assert len(parse(_one(_post(listing, "1rnzq6o"), title=title))) == int(kept)


@pytest.mark.parametrize(
    "changes",
    [
        {"stickied": True},
        {"removed_by_category": "moderator"},
        {"selftext": "[removed]"},
        {"selftext": "[deleted]", "author": "[deleted]"},
        {"author": "[deleted]"},
    ],
)
def test_pinned_removed_and_deleted_posts_are_dropped(
    listing: dict[str, Any], changes: dict[str, Any]
) -> None:
    post = _post(listing, "1rnvo9d")
    assert len(parse(_one(post, title="[Hiring] Code review"))) == 1
    assert parse(_one(post, title="[Hiring] Code review", **changes)) == []


def test_slavelabour_comments_count_as_bids(listing: dict[str, Any]) -> None:
    post = _post(listing, "1ro61pg")  # num_comments is 29 in the fixture
    [gig] = parse(_one(post, title="[TASK] Proofread 2 pages $5", subreddit="slavelabour"))
    assert gig.bids == 29
    assert gig.extra["subreddit"] == "slavelabour"
    assert gig.budget == Budget(Decimal(5), Decimal(5), "USD", BudgetType.FIXED)


def test_id_fallback_html_escapes_and_duplicates(listing: dict[str, Any]) -> None:
    post = copy.deepcopy(_post(listing, "1rnzq6o"))
    del post["name"]
    post["title"] = "[Hiring] Q&amp;A writer &lt;urgent&gt;"
    post["selftext"] = "Fee &gt; $40 &amp; a bonus"
    child = {"kind": "t3", "data": post}
    payload = json.dumps({"kind": "Listing", "data": {"children": [child, child]}}).encode()
    [gig] = parse(payload)
    assert gig.external_id == "1rnzq6o"
    assert gig.title == "[Hiring] Q&A writer <urgent>"
    assert gig.text == "Fee > $40 & a bonus"
    assert gig.budget.max == Decimal(40)


@pytest.mark.parametrize(
    "payload",
    [b"", b"not json", b"{}", b"[]", b'{"kind": "Listing", "data": null}', b'{"kind": "t3"}'],
)
def test_unexpected_payloads(payload: bytes) -> None:
    """Valid JSON of another shape gives no gigs; anything else is a clear PayloadError."""
    try:
        json.loads(payload)
    except ValueError:
        with pytest.raises(PayloadError, match="expected JSON"):
            parse(payload)
    else:
        assert parse(payload) == []


def test_registry_entry_when_registered() -> None:
    if "reddit" not in SOURCES:
        pytest.skip("reddit is not in the registry yet")
    assert SOURCES["reddit"].parse is parse
    assert SOURCES["reddit"].default_interval >= 600
