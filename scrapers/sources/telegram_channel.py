"""Parser for a public Telegram channel's web preview (`https://t.me/s/<channel>`)."""

from __future__ import annotations

import re

import lxml.html
from bs4 import BeautifulSoup
from lxml import etree

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


def _has_class(name: str) -> str:
    """XPath predicate: the element's class list contains `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# lxml finds the blocks (bs4 on the whole page is ~10x slower); bs4 only reads the text.
_MESSAGES = etree.XPath(f"//div[@data-post and {_has_class('tgme_widget_message')}]")
_TEXT_BLOCKS = etree.XPath(
    f".//div[{_has_class('tgme_widget_message_text')}]"
    f"[not(ancestor::*[{_has_class('tgme_widget_message_reply')}])]"
)
_DATES = etree.XPath(f".//*[{_has_class('tgme_widget_message_date')}]//time/@datetime")
_VIEWS = etree.XPath(f".//*[{_has_class('tgme_widget_message_views')}]")
_OWNER = etree.XPath(f".//*[{_has_class('tgme_widget_message_owner_name')}]")


def _block_text(block: etree._Element) -> str:
    """Clean text of one message text block, line breaks kept."""
    fragment = etree.tostring(block, encoding="unicode", method="html", with_tail=False)
    return element_to_text(BeautifulSoup(fragment, "lxml"))


def _first_text(nodes: list[etree._Element]) -> str:
    """Whitespace-collapsed text of the first node, or ""."""
    return " ".join(nodes[0].text_content().split()) if nodes else ""


def _parse_message(
    message: etree._Element, channel: str | None, currency: str | None
) -> Gig | None:
    """One `.tgme_widget_message` block to a Gig; None for text-less or foreign posts."""
    match = _POST_RE.match(str(message.get("data-post") or "").strip())
    if not match:
        return None
    post_channel, number = match.groups()
    if channel and post_channel.lower() != channel.lower():
        return None
    blocks = _TEXT_BLOCKS(message)
    text = _block_text(blocks[0]) if blocks else ""
    if not text:
        return None
    stamps = _DATES(message)
    extra: dict[str, str] = {"channel": post_channel}
    if views := _first_text(_VIEWS(message)):
        extra["views"] = views
    if owner := _first_text(_OWNER(message)):
        extra["channel_title"] = owner
    return Gig(
        source=SOURCE,
        external_id=f"{post_channel}/{number}",
        title=_title(text),
        url=f"https://t.me/{post_channel}/{number}",
        text=text,
        budget=budget_in_text(text, default_currency=currency),
        posted_at=parse_iso(str(stamps[0])) if stamps else None,
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
    html = payload.decode("utf-8", errors="replace")
    if not html.strip():
        return []
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    gigs: list[Gig] = []
    seen: set[str] = set()
    for message in _MESSAGES(root):
        gig = _parse_message(message, channel, default_currency)
        if gig is not None and gig.external_id not in seen:
            seen.add(gig.external_id)
            gigs.append(gig)
    return gigs


def parse(payload: bytes) -> list[Gig]:
    """Parse a channel preview page, whatever the channel; no I/O."""
    return parse_channel(payload)
