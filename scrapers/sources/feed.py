"""Generic RSS/Atom parser (feedparser) with a safety check against entity-expansion attacks.

Unsafe XML policy: a payload whose DOCTYPE declares entities (billion laughs, external
entities) makes `parse_feed` raise `UnsafeXMLError` (a `ValueError`) before feedparser sees
it, so the scrape is recorded as a parse error instead of looking like an empty feed.
Other malformed payloads are left to feedparser's lenient parser and give `[]` when unusable.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as defused_fromstring

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.normalize import html_to_text, parse_budget, parse_iso

__all__ = [
    "UnsafeXMLError",
    "check_xml_safe",
    "entry_date",
    "entry_to_gig",
    "feed_language",
    "find_budget",
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


# --------------------------------------------------------------------------- budgets

_CUR = r"(?:US\$|USD|A\$|AUD|C\$|CAD|S\$|SGD|\$|€|EUR|£|GBP|Rp\.?|IDR)"
_NUM = r"\d[\d.,]*\d|\d"
_MULT = r"(?:\s?(?:k|K|rb|ribu|jt|juta)(?![A-Za-z]))"
_ONE = rf"(?:{_CUR}\s?(?:{_CUR}\s?)?(?:{_NUM}){_MULT}?|(?:{_NUM}){_MULT}?\s?(?:USD|EUR|GBP|IDR))"
_PERIOD = (
    r"(?:/\s*(?:hr|hrs|hour|h|jam|yr|year|annum|month|mo|bulan|bln|project)\b"
    r"|(?:per|an|a)\s+(?:hour|hr|jam|year|annum|month|bulan|project)\b"
    r"|hourly\b|annually\b|monthly\b|yearly\b|p\.a\.|per\s+jam\b)"
)
_BUDGET_RE = re.compile(
    rf"""(?P<low>{_ONE})
    (?:\s*(?:-|–|—|to|s/d|sampai)\s*(?P<high>{_ONE}|(?:{_NUM}){_MULT}?))?
    (?![\w$€£])(?P<plus>\+)?
    (?:\s*(?:US\s+)?dollars?\b)?
    (?:\s*(?P<period>{_PERIOD}))?""",
    re.IGNORECASE | re.VERBOSE,
)
# Budgets are only looked for around currency signs/codes, so long texts stay cheap.
# Case-sensitive on purpose: IGNORECASE makes this scan of the whole text ~60% slower.
_ANY_CURRENCY_RE = re.compile(
    r"[$€£]|(?<![A-Za-z])(?:USD|EUR|GBP|AUD|CAD|SGD|IDR|Rp|RP|rp|usd|eur|gbp|idr)(?![a-z])"
)
# A number just before a trailing currency code ("1000 USD").
_NUM_BEFORE_RE = re.compile(rf"(?:{_NUM}){_MULT}?\s?$", re.IGNORECASE)
_PREFIX_BEFORE_RE = re.compile(
    r"\b(?:up\s+to|upto|max(?:imum)?|from|starting\s+at|at\s+least|min(?:imum)?"
    r"|mulai(?:\s+dari)?|hingga|sampai)\s+$",
    re.IGNORECASE,
)
_LABEL_BEFORE_RE = re.compile(
    r"\b(?:budget|salary|rate|pay|paid|compensation|comp|gaji|upah|honor|fee|bayaran)\b[^.\n]{0,25}$",
    re.IGNORECASE,
)
_DOUBLE_CUR_RE = re.compile(r"\b(?:USD|US\$)\s*\$", re.IGNORECASE)
_SALARY_CURRENCIES = frozenset({"USD", "EUR", "GBP", "AUD", "CAD", "SGD", "CHF"})
# Without a period word, a range this big in a Western currency is a yearly salary.
_SALARY_FLOOR = Decimal(20_000)


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Amount matches that start at (or just before) a currency sign or code, left to right."""
    done = 0
    for hit in _ANY_CURRENCY_RE.finditer(text):
        if hit.start() < done:
            continue  # inside the previous amount, e.g. the "$" of "$400-$4,000"
        back = _NUM_BEFORE_RE.search(text, max(done, hit.start() - 24), hit.start())
        for start in (back.start(), hit.start()) if back else (hit.start(),):
            if match := _BUDGET_RE.match(text, start):
                done = match.end()
                yield match
                break


def find_budget(text: str) -> Budget:
    """The first amount in free text that reads as pay ("$50/hr", "€40k-60k", "up to $70 per hour").

    A single amount counts only with a period ("/hr", "a month"), a bound ("up to") or a pay
    word just before it ("Budget: $300"); ranges always count. Amounts followed by M/B
    ("raised $71M") never do. Returns `UNKNOWN_BUDGET` when nothing qualifies.
    """
    for match in _candidates(text or ""):
        is_range = match["high"] is not None
        before = text[max(0, match.start() - 40) : match.start()]
        prefix = _PREFIX_BEFORE_RE.search(before)
        if not (is_range or match["period"] or prefix or _LABEL_BEFORE_RE.search(before)):
            continue
        amount = f"{match['low']} - {match['high']}" if is_range else match["low"]
        if prefix and not is_range:
            amount = f"{prefix.group(0)}{amount}"
        elif match["plus"]:
            amount += "+"
        amount = _DOUBLE_CUR_RE.sub("$", amount)
        budget = parse_budget(f"{amount} {match['period'] or ''}".strip())
        if not budget.is_known:
            continue
        top = budget.max if budget.max is not None else budget.min
        if (
            budget.type is BudgetType.FIXED
            and not match["period"]
            and budget.currency in _SALARY_CURRENCIES
            and top is not None
            and top >= _SALARY_FLOOR
        ):
            budget = Budget(budget.min, budget.max, budget.currency, BudgetType.SALARY)
        return budget
    return UNKNOWN_BUDGET


# --------------------------------------------------------------------------- entries


def _struct_to_utc(value: Any) -> datetime | None:
    """feedparser's UTC `time.struct_time` to an aware datetime."""
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        return None


def parse_date_text(text: str | None) -> datetime | None:
    """An RFC 822 or ISO 8601 date string to aware UTC, or None."""
    if not text or not isinstance(text, str):
        return None
    try:
        parsed = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return parse_iso(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


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
        budget=find_budget(text),
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
