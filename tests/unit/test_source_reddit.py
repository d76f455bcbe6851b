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
from scrapers.sources.reddit import parse

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
