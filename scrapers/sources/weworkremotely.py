"""Parser for the We Work Remotely RSS feeds (`https://weworkremotely.com/remote-jobs.rss`)."""

from __future__ import annotations

import re
from dataclasses import replace

from scrapers.model import Gig
from scrapers.sources.feed import entry_to_gig, feed_language, load_feed, parse_date_text
from scrapers.sources.terms import SourceTerms

__all__ = ["SOURCE", "TERMS", "parse"]

SOURCE = "weworkremotely"
TERMS = SourceTerms(
    stated="<ttl>60</ttl>",
    where="the RSS channel header (minutes a reader may cache the feed)",
    limit="feed TTL 60 min",
)
_HEADQUARTERS_RE = re.compile(r"^Headquarters:\s*(.+)$", re.MULTILINE)
_COMPANY_URL_RE = re.compile(r"^URL:\s*(https?://\S+)$", re.MULTILINE)


def _clean(value: object) -> str:
    """Collapse whitespace in a short inline string."""
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _split_title(title: str) -> tuple[str | None, str]:
    """WWR titles read "Company: Role"; split on the first ": " (no colon: no company)."""
    company, sep, role = title.partition(": ")
    if not sep or not company.strip() or not role.strip():
        return None, title
    return company.strip(), role.strip()


def parse(payload: bytes) -> list[Gig]:
    """Parse a WWR RSS feed (all-jobs or per-category) into gigs; raises on unsafe XML."""
    if not payload or not payload.strip():
        return []
    parsed = load_feed(payload)
    language = feed_language(parsed) or "en"
    gigs: list[Gig] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        gig = entry_to_gig(entry, source=SOURCE, language=language)
        if gig is None or gig.external_id in seen:
            continue
        seen.add(gig.external_id)
        company, title = _split_title(gig.title)
        extra = dict(gig.extra)
        for key, name in (("region", "region"), ("type", "job_type")):
            if value := _clean(entry.get(key)):
                extra[name] = value
        if expires_text := _clean(entry.get("expires_at")):
            expires = parse_date_text(expires_text)
            extra["expires_at"] = expires.isoformat() if expires else expires_text
        if match := _HEADQUARTERS_RE.search(gig.text):
            extra["headquarters"] = match.group(1).strip()
        if match := _COMPANY_URL_RE.search(gig.text):
            extra["company_url"] = match.group(1)
        gigs.append(replace(gig, title=title, company=company, extra=extra))
    return gigs
