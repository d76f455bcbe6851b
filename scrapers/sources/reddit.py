"""Parser for Reddit Listing JSON of gig subreddits (r/forhire, r/slavelabour `new.json`)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from scrapers.budget_text import find_budget
from scrapers.model import Gig
from scrapers.normalize import from_epoch
from scrapers.payload import load_json
from scrapers.sources.terms import NOT_STATED
from scrapers.targets import FetchTarget, OAuthClient, Parser, SourceConfig

__all__ = ["SOURCE", "TERMS", "is_hiring_title", "parse"]

SOURCE = "reddit"
TERMS = NOT_STATED  # the site states no terms we know of (see scrapers/sources/terms.py)
BASE_URL = "https://www.reddit.com"
# r/forhire tags requests "[Hiring]"; r/slavelabour tags them "[TASK]".
_HIRING_RE = re.compile(r"\[\s*(?:hiring|task)\s*\]", re.IGNORECASE)
# Offers of work: "[For Hire]" on r/forhire, "[OFFER]" on r/slavelabour.
_OFFER_RE = re.compile(r"\[\s*(?:for\s*hire|offer|offering)\s*\]", re.IGNORECASE)
_GONE = frozenset({"[removed]", "[deleted]", "[deleted by user]"})
# Subreddits where each comment on a task is, in practice, a bid.
_BIDDING_SUBREDDITS = frozenset({"slavelabour"})


def _unescape(text: str) -> str:
    """Undo the three HTML escapes Reddit applies to title/selftext in JSON."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def is_hiring_title(title: str) -> bool:
    """True for a "[Hiring]" / "[TASK]" title that is not also tagged as an offer."""
    return bool(_HIRING_RE.search(title)) and not _OFFER_RE.search(title)


def _is_gone(post: dict[str, Any]) -> bool:
    """Removed by moderators, deleted by the author, or the author account is gone."""
    return (
        bool(post.get("removed_by_category"))
        or str(post.get("selftext") or "").strip() in _GONE
        or str(post.get("title") or "").strip() in _GONE
        or post.get("author") == "[deleted]"
    )


def _int(value: Any) -> int | None:
    """A non-negative int from a JSON number, else None."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return int(value) if value >= 0 else None


def _parse_post(post: dict[str, Any]) -> Gig | None:
    """One t3 `data` object to a Gig; None unless it is a live, unpinned hiring post."""
    title = _unescape(str(post.get("title") or "")).strip()
    name = str(post.get("name") or "")
    post_id = name.removeprefix("t3_") if name.startswith("t3_") else str(post.get("id") or "")
    permalink = str(post.get("permalink") or "")
    if not title or not post_id or not permalink.startswith("/"):
        return None
    if post.get("stickied") or post.get("pinned") or _is_gone(post) or not is_hiring_title(title):
        return None
    text = _unescape(str(post.get("selftext") or "")).strip()
    budget = find_budget(title)
    if not budget.is_known:
        budget = find_budget(text)
    subreddit = str(post.get("subreddit") or "").strip()
    extra: dict[str, str] = {}
    if subreddit:
        extra["subreddit"] = subreddit
    if author := str(post.get("author") or "").strip():
        extra["author"] = author
    if flair := str(post.get("link_flair_text") or "").strip():
        extra["flair"] = flair
    comments = _int(post.get("num_comments"))
    if comments is not None:
        extra["comments"] = str(comments)
    return Gig(
        source=SOURCE,
        external_id=post_id,
        title=title,
        url=BASE_URL + permalink,
        text=text,
        budget=budget,
        posted_at=from_epoch(post.get("created_utc")),
        language="en",
        bids=comments if subreddit.lower() in _BIDDING_SUBREDDITS else None,
        extra=extra,
    )


def _children(data: Any) -> list[Any]:
    """The `children` of one Listing, or of each Listing in a list of them."""
    if isinstance(data, list):
        return [child for listing in data for child in _children(listing)]
    if isinstance(data, dict) and data.get("kind") == "Listing":
        inner = data.get("data")
        children = inner.get("children") if isinstance(inner, dict) else None
        return children if isinstance(children, list) else []
    return []


def parse(payload: bytes) -> list[Gig]:
    """Parse a Listing into hiring gigs, dropping offers, pinned and removed posts; no I/O."""
    data = load_json(payload, parse_float=Decimal)
    gigs: list[Gig] = []
    seen: set[str] = set()
    for child in _children(data):
        if not isinstance(child, dict) or child.get("kind") != "t3":
            continue
        post = child.get("data")
        gig = _parse_post(post) if isinstance(post, dict) else None
        if gig is not None and gig.external_id not in seen:
            seen.add(gig.external_id)
            gigs.append(gig)
    return gigs


def oauth_client(config: SourceConfig) -> OAuthClient | None:
    """Client credentials when the configuration has a Reddit app's id and secret."""
    if config.client_id and config.client_secret:
        return OAuthClient(config.client_id, config.client_secret, config.token_url)
    return None


def targets(name: str, config: SourceConfig, parse: Parser) -> list[FetchTarget]:
    """The listing: from the OAuth host when credentials are configured, else the public one."""
    url = config.oauth_url if oauth_client(config) else config.url
    return [FetchTarget(name, url, parse)]
