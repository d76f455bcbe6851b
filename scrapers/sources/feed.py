"""Generic RSS/Atom parser (feedparser) with a safety check against entity-expansion attacks.

Unsafe XML policy: a payload whose DOCTYPE declares entities (billion laughs, external
entities) makes `parse_feed` raise `UnsafeXMLError` (a `ValueError`) before feedparser sees
it, so the scrape is recorded as a parse error instead of looking like an empty feed.
Other malformed payloads are left to feedparser's lenient parser and give `[]` when unusable.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from functools import partial
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as defused_fromstring

from scrapers.budget_text import find_budget
from scrapers.model import Gig
from scrapers.normalize import html_to_text, parse_iso, parse_rfc822
from scrapers.targets import FetchTarget, SourceConfig

__all__ = [
    "UnsafeXMLError",
    "check_xml_safe",
    "entry_date",
    "entry_to_gig",
    "feed_language",
    "load_feed",
    "parse_date_text",
    "parse_feed",
]


class UnsafeXMLError(ValueError):
    """The payload declares XML entities (entity expansion or external entity attack)."""


# A fallback for payloads expat cannot parse at all: any entity declaration is refused.
_ENTITY_DECL_RE = re.compile(rb"<!ENTITY", re.IGNORECASE)


def check_xml_safe(payload: bytes) -> None:
    """Raise `UnsafeXMLError` if the XML declares entities or references external ones."""
    try:
        defused_fromstring(payload, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden) as exc:
        raise UnsafeXMLError(f"refusing XML with entity declarations: {exc}") from None
    except (ParseError, ValueError, UnicodeError):
        # Not well-formed: feedparser may still cope, but never with declared entities.
        if _ENTITY_DECL_RE.search(payload):
            raise UnsafeXMLError("refusing malformed XML with entity declarations") from None


def load_feed(payload: bytes) -> Any:
    """Safety-check the payload, then parse it with feedparser (no network, no files)."""
    check_xml_safe(payload)
    # A stream, never raw bytes: feedparser open()s bytes that name an existing local file.
    return feedparser.parse(io.BytesIO(payload), resolve_relative_uris=False, sanitize_html=False)


# --------------------------------------------------------------------------- entries


def _struct_to_utc(value: Any) -> datetime | None:
    """feedparser's UTC `time.struct_time` to an aware datetime."""
    try:
        year, month, day, hour, minute, second = value[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        return None


def parse_date_text(text: str | None) -> datetime | None:
    """An RFC 822 or ISO 8601 date string to aware UTC, or None."""
    return parse_rfc822(text) or parse_iso(text)


def entry_date(entry: Any) -> datetime | None:
    """Published (else updated, else created) time of a feedparser entry as aware UTC."""
    for key in ("published", "updated", "created"):
        parsed = _struct_to_utc(entry.get(f"{key}_parsed"))
        if parsed is None:
            parsed = parse_date_text(entry.get(key))
        if parsed is not None:
            return parsed
    return None


def _entry_html(entry: Any) -> str:
    """The richest body of an entry: its content, else its summary."""
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if value and value.strip():
            return str(value)
    return str(entry.get("summary") or "")


def _clean(text: Any) -> str:
    """Collapse whitespace in a short inline string."""
    return re.sub(r"\s+", " ", str(text or "").replace("\xa0", " ")).strip()


def _entry_title(entry: Any) -> str:
    """The entry title as plain text (feedparser already decoded entities in text titles)."""
    title = str(entry.get("title") or "")
    detail = entry.get("title_detail") or {}
    if ("<" in title or "&" in title) and "html" in str(detail.get("type") or ""):
        title = html_to_text(title)
    return _clean(title)


def feed_language(parsed: Any) -> str | None:
    """The channel language's primary subtag ("en-US" -> "en"), or None."""
    language = _clean(parsed.feed.get("language")).lower()
    return (language.split("-")[0] or None) if language else None


def entry_to_gig(entry: Any, *, source: str, language: str | None = None) -> Gig | None:
    """One feedparser entry to a Gig; None when it has no usable id, link or title."""
    link = _clean(entry.get("link"))
    external_id = _clean(entry.get("id")) or link
    title = _entry_title(entry)
    url = link or (external_id if external_id.startswith(("http://", "https://")) else "")
    if not external_id or not url or not title:
        return None
    text = html_to_text(_entry_html(entry))
    tags = tuple(
        dict.fromkeys(
            t
            for t in (_clean(tag.get("term") or tag.get("label")) for tag in entry.get("tags", []))
            if t
        )
    )
    author = _clean(entry.get("author"))
    return Gig(
        source=source,
        external_id=external_id,
        title=title,
        url=url,
        text=text,
        budget=find_budget(text, lone_amounts=False),
        posted_at=entry_date(entry),
        tags=tags,
        language=language,
        extra={"author": author} if author else {},
    )


def parse_feed(payload: bytes, *, source: str) -> list[Gig]:
    """Parse an RSS or Atom payload into gigs for `source`; raises `UnsafeXMLError` on entities."""
    if not payload or not payload.strip():
        return []
    parsed = load_feed(payload)
    language = feed_language(parsed)
    gigs: list[Gig] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        gig = entry_to_gig(entry, source=source, language=language)
        if gig is not None and gig.external_id not in seen:
            seen.add(gig.external_id)
            gigs.append(gig)
    return gigs


def targets(name: str, config: SourceConfig) -> list[FetchTarget]:
    """A configured RSS or Atom feed: one URL, gigs labelled with the section name."""
    return [FetchTarget(name, config.url, partial(parse_feed, source=name))]
