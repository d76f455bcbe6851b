"""Generic listing parser for sites without a module, driven by CSS selectors from configuration."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from urllib.parse import urljoin

import soupsieve
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from scrapers.budget_text import find_budget
from scrapers.model import UNKNOWN_BUDGET, Budget, Gig
from scrapers.normalize import element_to_text, parse_budget, parse_iso, parse_wib
from scrapers.targets import FetchTarget, SourceConfig

__all__ = ["SelectorSpec", "parse_with_selectors"]

_LABEL_TAGS = frozenset({"strong", "b", "dt", "th", "label", "span"})
_ISO_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_LOCAL_DATE_RE = re.compile(
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?:[\s,]+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?"
    r"|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}(?:[\s,]+(?:pukul\s+|jam\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?)?"
)


@dataclass(frozen=True)
class SelectorSpec:
    """CSS selectors describing one listing page: an item block and fields inside it.

    `link` may select the `<a>` itself or an element inside/around it; `id_attr` names an
    attribute of the item (or of an element in it) holding the listing id, else the link is
    the id. A field selector that lands on a label ("Budget:") reads the value after it.
    `currency` is assumed for budgets that state no currency.
    """

    item: str
    title: str
    link: str
    budget: str | None = None
    date: str | None = None
    text: str | None = None
    id_attr: str | None = None
    currency: str | None = None

    def __post_init__(self) -> None:
        """Compile every selector once so a bad configuration fails at load time."""
        for name in ("item", "title", "link", "budget", "date", "text"):
            selector = getattr(self, name)
            if selector is None and name not in {"item", "title", "link"}:
                continue
            if not isinstance(selector, str) or not selector.strip():
                raise ValueError(f"SelectorSpec.{name} must be a non-empty CSS selector")
            try:
                soupsieve.compile(selector)
            except soupsieve.SelectorSyntaxError as exc:
                raise ValueError(f"SelectorSpec.{name} is not valid CSS: {selector!r}") from exc


def _clean(text: str) -> str:
    """Collapse whitespace in a short inline string."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _value_after_label(label: Tag) -> str:
    """The text following a "Label:" element, up to the next `<br>` or label."""
    parts: list[str] = []
    for sibling in label.next_siblings:
        if isinstance(sibling, Tag) and (sibling.name == "br" or sibling.name == label.name):
            break
        parts.append(str(sibling) if isinstance(sibling, NavigableString) else sibling.get_text())
    return _clean("".join(parts))


def _field_text(item: Tag, selector: str | None) -> str:
    """Text of the first element matching `selector` in `item`, label-aware; "" if none."""
    if not selector:
        return ""
    element = item.select_one(selector)
    if element is None:
        return ""
    text = _clean(element.get_text(" "))
    if element.name in _LABEL_TAGS and text.endswith(":"):
        return _value_after_label(element) or text
    return text


def _link(item: Tag, selector: str) -> str:
    """The href of the selected link (the element, an `<a>` inside it or around it)."""
    element = item.select_one(selector)
    if element is None:
        return ""
    anchor = element if element.has_attr("href") else element.find("a", href=True)
    if anchor is None:
        anchor = element.find_parent("a", href=True)
    return str(anchor["href"]).strip() if isinstance(anchor, Tag) else ""


def _external_id(item: Tag, attr: str | None, url: str) -> str:
    """The id attribute from the item (or an element in it), else the absolute link."""
    if attr:
        if item.has_attr(attr) and str(item[attr]).strip():
            return str(item[attr]).strip()
        holder = item.select_one(f"[{attr}]")
        if holder is not None and str(holder[attr]).strip():
            return str(holder[attr]).strip()
    return url


def _date(item: Tag, selector: str | None) -> datetime | None:
    """Best-effort date: `datetime` attribute, ISO 8601, then local (WIB) date text."""
    if not selector:
        return None
    element = item.select_one(selector)
    if element is None:
        return None
    stamp = element if element.has_attr("datetime") else element.find(None, {"datetime": True})
    if isinstance(stamp, Tag) and (parsed := parse_iso(str(stamp["datetime"]))):
        return parsed
    text = _field_text(item, selector)
    if parsed := parse_iso(text) or parse_wib(text):
        return parsed
    for match in _ISO_RE.finditer(text):
        if parsed := parse_iso(match.group(0).replace("Z", "+00:00")):
            return parsed
    for match in _LOCAL_DATE_RE.finditer(text):
        if parsed := parse_wib(match.group(0)):
            return parsed
    return None


def _budget(text: str, currency: str | None) -> Budget:
    """The budget field as a whole, else the first amount mentioned in it."""
    if not text:
        return UNKNOWN_BUDGET
    budget = parse_budget(text, default_currency=currency)
    return budget if budget.is_known else find_budget(text, default_currency=currency)


def _body(item: Tag, selector: str | None) -> str:
    """Clean text of every element matching `selector`, paragraphs kept."""
    if not selector:
        return ""
    return "\n\n".join(filter(None, (element_to_text(el) for el in item.select(selector))))


def parse_with_selectors(
    payload: bytes, spec: SelectorSpec, *, source: str, base_url: str
) -> list[Gig]:
    """Parse a listing page described by `spec`; items without title or link are skipped."""
    soup = BeautifulSoup(payload.decode("utf-8", errors="replace"), "lxml")
    gigs: list[Gig] = []
    seen: set[str] = set()
    for item in soup.select(spec.item):
        title = _field_text(item, spec.title)
        href = _link(item, spec.link)
        if not title or not href or href.startswith(("#", "javascript:")):
            continue
        url = urljoin(base_url, href)
        external_id = _external_id(item, spec.id_attr, url)
        if external_id in seen:
            continue
        seen.add(external_id)
        gigs.append(
            Gig(
                source=source,
                external_id=external_id,
                title=title,
                url=url,
                text=_body(item, spec.text),
                budget=_budget(_field_text(item, spec.budget), spec.currency),
                posted_at=_date(item, spec.date),
            )
        )
    return gigs


def targets(name: str, config: SourceConfig) -> list[FetchTarget]:
    """A configured HTML page read with CSS selectors; TypeError for unknown selector keys."""
    spec = SelectorSpec(**dict(config.selectors))
    parser = partial(parse_with_selectors, spec=spec, source=name, base_url=config.url)
    return [FetchTarget(name, config.url, parser)]
