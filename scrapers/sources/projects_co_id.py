"""Parser for the projects.co.id "browse projects" listing fragment (`ajax=1`)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag
from bs4.element import PageElement

from scrapers.model import UNKNOWN_BUDGET, BudgetType, Gig
from scrapers.normalize import element_to_text, parse_budget, parse_wib
from scrapers.sources.terms import NOT_STATED

__all__ = ["BASE_URL", "SOURCE", "TERMS", "parse"]

SOURCE = "projects_co_id"
TERMS = NOT_STATED  # the site states no terms we know of (see scrapers/sources/terms.py)
BASE_URL = "https://projects.co.id/"
_VIEW_RE = re.compile(r"/browse_projects/view/([0-9a-f]+)(?:/|$)", re.IGNORECASE)
_RATING_RE = re.compile(r"(\d+(?:\.\d+)?)\s*/\s*10(?:\.0+)?\b")
_OWNER_PROJECTS_RE = re.compile(r"(\d+)\s+projects?\b", re.IGNORECASE)
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "you",
        "your",
        "we",
        "are",
        "is",
        "our",
        "need",
        "looking",
        "who",
        "will",
        "this",
        "that",
        "to",
        "of",
        "in",
        "have",
        "has",
        "be",
        "an",
        "a",
        "on",
        "must",
        "please",
        "experience",
        "required",
    ]
)
_ID_WORDS = frozenset(
    [
        "yang",
        "dan",
        "untuk",
        "dengan",
        "saya",
        "kami",
        "kita",
        "ini",
        "itu",
        "di",
        "ke",
        "dari",
        "bisa",
        "butuh",
        "mencari",
        "tidak",
        "ada",
        "akan",
        "juga",
        "sudah",
        "harus",
        "jasa",
        "membuat",
        "buat",
        "mohon",
        "dicari",
        "atau",
        "sebagai",
        "agar",
        "bang",
    ]
)


def _clean(text: str) -> str:
    """Collapse whitespace in a short inline string."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _guess_language(text: str) -> str:
    """Return "en" only when the text is plainly English, else "id"."""
    words = re.findall(r"[a-z]+", text.lower())
    english = sum(word in _EN_WORDS for word in words)
    indonesian = sum(word in _ID_WORDS for word in words)
    return "en" if english >= 3 and english > 3 * indonesian else "id"


def _fields(box: Tag | None) -> dict[str, list[PageElement]]:
    """Map each `<strong>Label:</strong> value<br>` pair in the details box to its value nodes."""
    fields: dict[str, list[PageElement]] = {}
    if box is None:
        return fields
    for strong in box.find_all("strong"):
        label = _clean(strong.get_text()).rstrip(":").strip().lower()
        nodes: list[PageElement] = []
        for sibling in strong.next_siblings:
            if isinstance(sibling, Tag) and sibling.name in {"br", "strong"}:
                break
            nodes.append(sibling)
        fields[label] = nodes
    return fields


def _text_field(fields: dict[str, list[PageElement]], label: str) -> str:
    """The plain text of a details field, or ""."""
    return _clean("".join(node.get_text() for node in fields.get(label, [])))


def _yes_no(fields: dict[str, list[PageElement]], label: str) -> str | None:
    """Read a check/cross icon field as "yes"/"no"."""
    for node in fields.get(label, []):
        if isinstance(node, Tag) and node.name == "i":
            classes = node.get_attribute_list("class")
            if "fa-check" in classes:
                return "yes"
            if "fa-times" in classes:
                return "no"
    return None


def _owner(column: Tag | None) -> dict[str, str]:
    """Owner name, profile, rating and project count from the left column."""
    extra: dict[str, str] = {}
    if column is None:
        return extra
    link = column.find("a", class_="short-username")
    if isinstance(link, Tag):
        extra["owner"] = _clean(link.get_text())
        if link.get("href"):
            extra["owner_url"] = urljoin(BASE_URL, str(link["href"]))
    text = _clean(column.get_text(" "))
    if match := _RATING_RE.search(text):
        extra["owner_rating"] = match.group(1)
    if match := _OWNER_PROJECTS_RE.search(text):
        extra["owner_projects"] = match.group(1)
    return extra


def _parse_project(link: Tag) -> Gig | None:
    """Build one Gig from the `<h2><a href=".../view/<id>/...">` title link."""
    href = str(link.get("href") or "")
    match = _VIEW_RE.search(href)
    title = _clean(link.get_text())
    if not match or not title:
        return None
    heading = link.find_parent("h2")
    body = heading.parent if heading is not None else None
    if body is None:
        return None
    paragraphs = [
        p for p in body.find_all("p", recursive=False) if not p.find("span", class_="tag")
    ]
    text = "\n\n".join(filter(None, (element_to_text(p) for p in paragraphs)))
    tags = tuple(
        dict.fromkeys(
            _clean(tag.get_text()) for tag in body.find_all("span", class_="tag") if tag.get_text()
        )
    )
    fields = _fields(body.find("div", class_="well"))
    budget_text = _text_field(fields, "published budget")
    budget = (
        parse_budget(budget_text, default_currency="IDR", budget_type=BudgetType.FIXED)
        if budget_text
        else UNKNOWN_BUDGET
    )
    extra = _owner(body.find_previous_sibling("div", class_="col-md-2"))
    for label, key in (("finish days", "finish_days"), ("project status", "status")):
        if value := _text_field(fields, label):
            extra[key] = value
    if deadline_text := _text_field(fields, "select deadline"):
        deadline = parse_wib(deadline_text)
        extra["deadline"] = deadline.isoformat() if deadline else deadline_text
    if (weekly := _yes_no(fields, "need weekly report")) is not None:
        extra["weekly_report"] = weekly
    bids_text = _text_field(fields, "bid count")
    return Gig(
        source=SOURCE,
        external_id=match.group(1).lower(),
        title=title,
        url=urljoin(BASE_URL, href),
        text=text,
        budget=budget,
        posted_at=parse_wib(_text_field(fields, "published date")),
        tags=tags,
        language=_guess_language(f"{title} {text}"),
        bids=int(bids_text) if bids_text.isdigit() else None,
        extra=extra,
    )


def parse(payload: bytes) -> list[Gig]:
    """Parse the listing fragment into gigs, newest first as listed; no I/O."""
    soup = BeautifulSoup(payload.decode("utf-8", errors="replace"), "lxml")
    gigs: list[Gig] = []
    seen: set[str] = set()
    for heading in soup.find_all("h2"):
        link = heading.find("a", href=_VIEW_RE, recursive=False)
        if not isinstance(link, Tag):
            continue
        gig = _parse_project(link)
        if gig is not None and gig.external_id not in seen:
            seen.add(gig.external_id)
            gigs.append(gig)
    return gigs
