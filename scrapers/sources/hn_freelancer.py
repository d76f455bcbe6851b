"""Parser for an HN "Freelancer? / Who is hiring?" thread from the Algolia `items/<id>` API."""

from __future__ import annotations

import re
from typing import Any

from scrapers.budget_text import find_budget
from scrapers.model import Gig
from scrapers.normalize import from_epoch, html_to_text, parse_iso
from scrapers.payload import load_json
from scrapers.sources.terms import NOT_STATED

__all__ = ["ITEM_URL", "SOURCE", "TERMS", "parse", "split_header"]

SOURCE = "hn_freelancer"
TERMS = NOT_STATED  # the site states no terms we know of (see scrapers/sources/terms.py)
ITEM_URL = "https://news.ycombinator.com/item?id={id}"
_MAX_TITLE = 160
_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_GONE = frozenset({"[deleted]", "[dead]", "[flagged]", "[removed]"})


def _shorten(line: str, limit: int = _MAX_TITLE) -> str:
    """Cut a long line at a word boundary, marking the cut with an ellipsis."""
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:|-") + "…"


def split_header(first_line: str) -> tuple[str, str | None, str | None]:
    """Split "Company | Role | Location | https://..." into (title, company, first URL).

    The title keeps the non-URL segments joined by " | "; a line without pipes is the title.
    """
    segments = [s.strip() for s in first_line.split("|")]
    segments = [s for s in segments if s]
    if len(segments) < 2:
        return _shorten(first_line.strip()), None, None
    urls = [s for s in segments if _URL_RE.match(s)]
    words = [s for s in segments if not _URL_RE.match(s)]
    company = words[0] if words and len(words[0]) <= 80 else None
    return _shorten(" | ".join(words)), company, urls[0] if urls else None


def _parse_comment(comment: dict[str, Any], thread: dict[str, Any]) -> Gig | None:
    """One top-level comment to a Gig; None for deleted, dead or empty comments."""
    comment_id = str(comment.get("id") or "").strip()
    raw = comment.get("text")
    if not comment_id or not isinstance(raw, str) or comment.get("deleted") or comment.get("dead"):
        return None
    if comment.get("type") not in (None, "comment"):
        return None
    text = html_to_text(raw)
    if not text or text in _GONE:
        return None
    title, company, link = split_header(text.split("\n", 1)[0])
    extra: dict[str, str] = {}
    if author := comment.get("author"):
        extra["author"] = str(author)
    if link:
        extra["link"] = link
    if thread.get("id"):
        extra["thread_id"] = str(thread["id"])
    if isinstance(thread.get("title"), str):
        extra["thread_title"] = thread["title"]
    posted = from_epoch(comment.get("created_at_i")) or parse_iso(comment.get("created_at"))
    return Gig(
        source=SOURCE,
        external_id=comment_id,
        title=title,
        url=ITEM_URL.format(id=comment_id),
        text=text,
        budget=find_budget(text, lone_amounts=False),
        posted_at=posted,
        language="en",
        company=company,
        extra=extra,
    )


def parse(payload: bytes) -> list[Gig]:
    """Parse an Algolia thread item: each top-level comment is one gig, replies are skipped."""
    thread = load_json(payload)
    if not isinstance(thread, dict) or not isinstance(thread.get("children"), list):
        return []
    thread_id = thread.get("id")
    gigs: list[Gig] = []
    seen: set[str] = set()
    for comment in thread["children"]:
        if not isinstance(comment, dict):
            continue
        parent = comment.get("parent_id")
        if thread_id is not None and parent is not None and parent != thread_id:
            continue  # a reply that was flattened into the top level
        gig = _parse_comment(comment, thread)
        if gig is not None and gig.external_id not in seen:
            seen.add(gig.external_id)
            gigs.append(gig)
    return gigs
