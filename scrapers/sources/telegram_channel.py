"""Parser for a public Telegram channel's web preview (`https://t.me/s/<channel>`)."""

from __future__ import annotations

import re
from functools import partial

import lxml.html
from bs4 import BeautifulSoup
from lxml import etree

from scrapers.budget_text import find_budget
from scrapers.model import Gig
from scrapers.normalize import element_to_text, parse_iso
from scrapers.sources.terms import NOT_STATED
from scrapers.targets import FetchTarget, Parser, SourceConfig, with_source

__all__ = ["SOURCE", "TERMS", "parse", "parse_channel"]

SOURCE = "telegram"
TERMS = NOT_STATED  # the site states no terms we know of (see scrapers/sources/terms.py)
_TITLE_LIMIT = 120

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
        budget=find_budget(text, default_currency=currency),
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


def targets(name: str, config: SourceConfig, parse: Parser) -> list[FetchTarget]:
    """One target per configured public channel ({channel} in the URL replaced), each gig
    labelled with the section name."""
    del parse  # every channel gets its own parser, which knows the channel's name
    return [
        FetchTarget(
            f"{name}:{channel}",
            config.url.replace("{channel}", channel),
            with_source(
                partial(parse_channel, channel=channel, default_currency=config.currency), name
            ),
        )
        for channel in config.channels
    ]
