"""Parser for a public Telegram channel's web preview (`https://t.me/s/<channel>`)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from scrapers.model import UNKNOWN_BUDGET, Budget, Gig
from scrapers.normalize import element_to_text, parse_budget, parse_iso

__all__ = ["SOURCE", "budget_in_text", "parse", "parse_channel"]

SOURCE = "telegram"
_TITLE_LIMIT = 120

# --------------------------------------------------------------------------- budgets in free text

_CUR = (
    r"(?:us\$|s\$|a\$|c\$|\$|€|£|₹"
    r"|(?<![a-z])(?:rp\.?|idr|usd|eur|gbp|sgd|myr|aud|cad|inr)(?![a-z]))"
)
_CUR_AFTER = r"(?:rupiah|idr|usd|dollars?|dolar|eur|euros?|gbp|sgd|myr)(?![a-z])"
_MULT = r"(?:k|rb|rbu|ribu|jt|jta|juta)(?![a-z])"
_NUM = r"\d(?:[\d.,]*\d)?"
_AMOUNT = rf"(?:{_CUR}\s?|(?<![\w.,])){_NUM}(?:\s?{_MULT})?(?:\s?{_CUR_AFTER})?"
_RANGE = r"\s?(?:-|–|—|~|to|sampai|hingga|s/d)\s?"
_BOUND = (
    r"(?:up\s?to|max(?:imum)?|maks(?:imal)?|under|from|min(?:imum)?|minimal"
    r"|mulai(?:\s+dari)?|starting\s+at|at\s+least)\s"
)
# Only the period words that `parse_budget` understands.
_PERIOD = (
    r"(?:\s?/\s?(?:hr|hrs|hour|h|jam|yr|year|month|mo|bulan|bln|thn|tahun|project)(?![a-z])"
    r"|\sper\s(?:hour|hr|jam|year|month|bulan|tahun|project)(?![a-z])"
    r"|\san\shour|\sa\s(?:year|month)|\s(?:hourly|sejam|monthly)(?![a-z]))"
)
_KEYWORD = (
    r"(?<![a-z])(?:budget|budjet|fee|pay|paying|payment|rate|price|salary|compensation|reward"
    r"|bayaran|upah|harga|gaji|honor|honorarium|komisi|imbalan|biaya|dibayar)(?![a-z])"
)
_MONEY_RE = re.compile(
    rf"(?:(?P<kw>{_KEYWORD})[\s:=\-]{{0,3}})?(?P<amount>(?:{_BOUND})?"
    rf"{_AMOUNT}(?:{_RANGE}{_AMOUNT})?)(?![\d%])(?P<period>{_PERIOD})?",
    re.IGNORECASE,
)
# Where a stated budget can begin, scanned on lower-cased text (much faster than IGNORECASE);
# `_MONEY_RE` then checks each candidate in the original text.
_START_WORDS = (
    r"[$€£₹]|\b(?:\d|budget|budjet|fee|pay|rate|price|salary|compensation|reward|bayaran"
    r"|upah|harga|gaji|honor|komisi|imbalan|biaya|dibayar|up\s?to|max|maks|under|from|min"
    r"|mulai|starting|at\s+least|(?:us|s|a|c)\$|rp|idr|usd|eur|gbp|sgd|myr|aud|cad|inr)"
)
_START_RE = re.compile(_START_WORDS)
_START_CI_RE = re.compile(_START_WORDS, re.IGNORECASE)
_HAS_CUR_RE = re.compile(rf"{_CUR}|{_CUR_AFTER}", re.IGNORECASE)
_IDR_MULT_RE = re.compile(r"\d\s?(?:rb|rbu|ribu|jt|jta|juta)(?![a-z])", re.IGNORECASE)


def budget_in_text(text: str, *, default_currency: str | None = None) -> Budget:
    """Find the first stated budget in free text ("fee 200rb", "$20/hr"); else UNKNOWN_BUDGET."""
    if not text:
        return UNKNOWN_BUDGET
    text = text.replace("\xa0", " ")
    lowered = text.lower()
    starts = (
        _START_RE.finditer(lowered) if len(lowered) == len(text) else _START_CI_RE.finditer(text)
    )
    consumed = 0
    for start in starts:
        if start.start() < consumed:
            continue
        match = _MONEY_RE.match(text, start.start())
        if match is None:
            continue
        consumed = match.end()
        amount = match["amount"]
        has_currency = _HAS_CUR_RE.search(amount) is not None
        idr_multiplier = _IDR_MULT_RE.search(amount) is not None
        if not (has_currency or idr_multiplier or match["kw"]):
            continue
        currency = default_currency
        if not has_currency and idr_multiplier:
            currency = "IDR"
        budget = parse_budget(amount + (match["period"] or ""), default_currency=currency)
        if budget.is_known:
            return budget
    return UNKNOWN_BUDGET


# --------------------------------------------------------------------------- channel page

_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w{2,64})")
_POST_RE = re.compile(r"^([A-Za-z0-9_]{3,64})/(\d+)$")


def _title(text: str) -> str:
    """First non-empty line, cut at a word boundary near ~120 characters."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= _TITLE_LIMIT:
        return first
    cut = first[:_TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(" ,.;:-")
    return (cut or first[:_TITLE_LIMIT]) + "…"


def _message_text(message: Tag) -> Tag | None:
    """The message's own text block, not the quoted text of a replied-to message."""
    for block in message.select(".tgme_widget_message_text"):
        if block.find_parent(class_="tgme_widget_message_reply") is None:
            return block
    return None


def _parse_message(message: Tag, channel: str | None, currency: str | None) -> Gig | None:
    """One `.tgme_widget_message` block to a Gig; None for text-less or foreign posts."""
    match = _POST_RE.match(str(message.get("data-post") or "").strip())
    if not match:
        return None
    post_channel, number = match.groups()
    if channel and post_channel.lower() != channel.lower():
        return None
    block = _message_text(message)
    text = element_to_text(block) if block is not None else ""
    if not text:
        return None
    stamp = message.select_one(".tgme_widget_message_date time[datetime]")
    extra: dict[str, str] = {"channel": post_channel}
    views = message.select_one(".tgme_widget_message_views")
    if views is not None and views.get_text(strip=True):
        extra["views"] = views.get_text(strip=True)
    author = message.select_one(".tgme_widget_message_owner_name")
    if author is not None and author.get_text(strip=True):
        extra["channel_title"] = author.get_text(strip=True)
    return Gig(
        source=SOURCE,
        external_id=f"{post_channel}/{number}",
        title=_title(text),
        url=f"https://t.me/{post_channel}/{number}",
        text=text,
        budget=budget_in_text(text, default_currency=currency),
        posted_at=parse_iso(str(stamp["datetime"])) if stamp is not None else None,
        tags=tuple(dict.fromkeys(_HASHTAG_RE.findall(text))),
        extra=extra,
    )


def parse_channel(
    payload: bytes, *, channel: str | None = None, default_currency: str | None = None
) -> list[Gig]:
    """Parse a t.me/s/<channel> page into gigs (oldest first, as shown); no I/O.

    With `channel`, only that channel's posts are kept (a guard against a redirected page);
    `default_currency` applies to bare amounts like "fee 50k".
    """
    soup = BeautifulSoup(payload.decode("utf-8", errors="replace"), "lxml")
    gigs: list[Gig] = []
    seen: set[str] = set()
    for message in soup.select("div.tgme_widget_message[data-post]"):
        gig = _parse_message(message, channel, default_currency)
        if gig is not None and gig.external_id not in seen:
            seen.add(gig.external_id)
            gigs.append(gig)
    return gigs


def parse(payload: bytes) -> list[Gig]:
    """Parse a channel preview page, whatever the channel; no I/O."""
    return parse_channel(payload)
