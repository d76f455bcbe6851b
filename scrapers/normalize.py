"""Pure helpers that turn scraped text (amounts, budgets, dates, HTML) into normalised values."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import NamedTuple

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
from bs4 import BeautifulSoup, Tag
from bs4.element import (
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    PageElement,
    ProcessingInstruction,
)
from lxml import etree

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType

__all__ = [
    "WIB",
    "element_to_text",
    "fix_mojibake",
    "from_epoch",
    "html_to_text",
    "parse_amount",
    "parse_budget",
    "parse_iso",
    "parse_rfc822",
    "parse_wib",
    "tidy_amount",
]

WIB = timezone(timedelta(hours=7), "WIB")

# --------------------------------------------------------------------------- amounts

_CURRENCY_WORDS: dict[str, str] = {
    "rp": "IDR",
    "rp.": "IDR",
    "idr": "IDR",
    "rupiah": "IDR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "dolar": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "s$": "SGD",
    "sgd": "SGD",
    "rm": "MYR",
    "myr": "MYR",
    "a$": "AUD",
    "aud": "AUD",
    "c$": "CAD",
    "cad": "CAD",
    "¥": "JPY",
    "jpy": "JPY",
    "₹": "INR",
    "inr": "INR",
    "php": "PHP",
    "₱": "PHP",
    "chf": "CHF",
    "pln": "PLN",
}
_MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(1_000),
    "rb": Decimal(1_000),
    "rbu": Decimal(1_000),
    "ribu": Decimal(1_000),
    "jt": Decimal(1_000_000),
    "jta": Decimal(1_000_000),
    "juta": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "mio": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "miliar": Decimal(1_000_000_000),
    "milyar": Decimal(1_000_000_000),
    "m": Decimal(1_000_000),  # only honoured with a non-IDR currency, see _parse_parts
}
# Currencies whose speakers use "m" for million; in Indonesian "M" means miliar.
_M_MEANS_MILLION = frozenset({"USD", "EUR", "GBP", "AUD", "CAD", "SGD"})
# Multiplier words only Indonesian (or Malay) writers use: an amount in them is rupiah
# unless a currency is stated or the caller gives a default.
_IDR_UNITS = frozenset({"rb", "rbu", "ribu", "jt", "jta", "juta", "miliar", "milyar"})
# "$80k - $120k" with no period words is a yearly salary in these currencies ...
_K_SALARY_CURRENCIES = frozenset({"USD", "EUR", "GBP", "AUD", "CAD", "SGD", "CHF"})
# ... when the low end is at least this much (a "$5k-$10k" project stays fixed).
_K_SALARY_FLOOR = Decimal(20_000)

_CUR_RE = "|".join(
    re.escape(word) for word in sorted(_CURRENCY_WORDS, key=len, reverse=True) if word != "rp"
)
_CUR_RE = rf"(?:{_CUR_RE}|rp(?![a-z]))"
_MULT_RE = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))
_AMOUNT_RE = re.compile(
    rf"""^\s*
    (?P<cur1>{_CUR_RE})?\s*
    (?P<num>\d[\d.,]*)\s*
    (?P<mult>(?:{_MULT_RE})(?![a-z]))?\.?\s*
    (?P<cur2>{_CUR_RE})?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_GROUPS_OF_3 = re.compile(r"^[1-9]\d{0,2}(?:X\d{3})+$")


def _parse_number(raw: str) -> Decimal | None:
    """Read digits with "." / "," as thousands or decimal separators (Indonesian or English)."""
    raw = raw.rstrip(".,")
    if not raw:
        return None
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal_sep = "." if raw.rfind(".") > raw.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        whole, _, frac = raw.rpartition(decimal_sep)
        if decimal_sep in whole or not _GROUPS_OF_3.match(whole.replace(thousands_sep, "X")):
            return None
        text = whole.replace(thousands_sep, "") + "." + frac
    elif dots or commas:
        sep = "." if dots else ","
        if _GROUPS_OF_3.match(raw.replace(sep, "X")):
            text = raw.replace(sep, "")  # 150.000 / 1.000.000 / 1,500,000
        elif raw.count(sep) == 1:
            text = raw.replace(sep, ".")  # 1,5 / 20.50
        else:
            return None
    else:
        text = raw
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def tidy_amount(value: Decimal) -> Decimal:
    """Drop a meaningless fractional part so 1.5 × 1e6 reads as 1500000."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


class _Parts(NamedTuple):
    """One amount split up: "Rp 1,5jt" is (1.5, 1000000, "IDR", "jt")."""

    number: Decimal
    multiplier: Decimal | None
    currency: str | None
    unit: str  # the multiplier word as written, lower case; "" when none


def _parse_parts(text: str) -> _Parts | None:
    """Split one amount into number, multiplier, currency and multiplier word."""
    match = _AMOUNT_RE.match(text or "")
    if not match:
        return None
    cur1, cur2 = match["cur1"], match["cur2"]
    if cur1 and cur2:
        code1, code2 = _CURRENCY_WORDS[cur1.lower()], _CURRENCY_WORDS[cur2.lower()]
        if code1 != code2:
            return None
    word = cur1 or cur2
    currency = _CURRENCY_WORDS[word.lower()] if word else None
    number = _parse_number(match["num"])
    if number is None:
        return None
    mult_word = (match["mult"] or "").lower()
    multiplier = _MULTIPLIERS.get(mult_word) if mult_word else None
    if mult_word == "m" and currency not in _M_MEANS_MILLION:
        return None  # "2m" in Indonesian context: million or miliar? Don't guess.
    return _Parts(number, multiplier, currency, mult_word)


def parse_amount(text: str) -> tuple[Decimal, str | None] | None:
    """Parse one amount like "1,5jt", "Rp 150.000" or "$20" into (Decimal, ISO currency)."""
    parts = _parse_parts(text)
    if parts is None:
        return None
    number, multiplier, currency, _ = parts
    value = number * multiplier if multiplier else number
    if value <= 0:
        return None
    return tidy_amount(value), currency


# --------------------------------------------------------------------------- budgets

_HOURLY_RE = re.compile(
    r"(?:/\s*(?:hr|hrs|hour|h|jam)\b|\bper\s+(?:hour|hr|jam)\b|\ban\s+hour\b|\bhourly\b"
    r"|\bper\s+jam\b|\bsejam\b)",
    re.IGNORECASE,
)
_SALARY_RE = re.compile(
    r"(?:/\s*(?:yr|year|annum|month|mo|bulan|bln|thn|tahun)\b"
    r"|\bper\s+(?:year|annum|month|bulan|tahun)\b|\ba\s+(?:year|month)\b"
    r"|\bannual(?:ly)?\b|\bsalary\b|\bgaji\b|\bp\.?a\.?(?=\s|$)|\byearly\b|\bmonthly\b)",
    re.IGNORECASE,
)
_FIXED_RE = re.compile(r"\b(?:fixed(?:\s+price)?|per\s+project|/\s*project)\b", re.IGNORECASE)
_LABEL_RE = re.compile(
    r"^\s*(?:budget|published budget|salary|gaji|price|harga|rate|pay|range|salary range)"
    r"\s*[:=]?\s*",
    re.IGNORECASE,
)
_UPTO_RE = re.compile(
    r"^\s*(?:up\s+to|upto|max(?:imum)?\.?|maks(?:imal)?\.?|hingga|sampai|under|<=?)\s*",
    re.IGNORECASE,
)
_FROM_RE = re.compile(
    r"^\s*(?:from|min(?:imum)?\.?|minimal|mulai(?:\s+dari)?|starting\s+at|at\s+least|>=?)\s*",
    re.IGNORECASE,
)
_RANGE_SPLIT_RE = re.compile(
    r"\s*(?:-|–|—|~|\bto\b|\bsampai\b|\bhingga\b|\bs/d\b|\bs\.d\.?)\s*", re.IGNORECASE
)


def _detect_type(text: str) -> BudgetType:
    """Guess how a budget is paid from words around the amount."""
    if _HOURLY_RE.search(text):
        return BudgetType.HOURLY
    if _SALARY_RE.search(text):
        return BudgetType.SALARY
    return BudgetType.FIXED


def _strip_type_words(text: str) -> str:
    """Remove period/type words so only the amount or range is left."""
    text = _LABEL_RE.sub("", text)
    for pattern in (_HOURLY_RE, _SALARY_RE, _FIXED_RE):
        text = pattern.sub(" ", text)
    text = _LABEL_RE.sub("", text.strip(" ,;:"))
    return re.sub(r"[\s()]+", " ", text).strip(" ,;:")


def parse_budget(
    text: str,
    *,
    default_currency: str | None = None,
    budget_type: BudgetType | None = None,
) -> Budget:
    """Parse a budget like "Rp 1,500,000 - 2,000,000", "$30-250" or "£10/hr" into a `Budget`."""
    if not text or not text.strip():
        return UNKNOWN_BUDGET
    kind = budget_type or _detect_type(text)
    core = _strip_type_words(text.replace("\xa0", " "))
    low: _Parts | None
    high: _Parts | None
    if _UPTO_RE.match(core):
        low, high = None, _parse_parts(_UPTO_RE.sub("", core))
        if high is None:
            return UNKNOWN_BUDGET
    elif _FROM_RE.match(core) or core.endswith("+"):
        low, high = _parse_parts(_FROM_RE.sub("", core).rstrip("+ ")), None
        if low is None:
            return UNKNOWN_BUDGET
    else:
        pieces = _RANGE_SPLIT_RE.split(core, maxsplit=1)
        if len(pieces) == 2:
            low, high = _parse_parts(pieces[0]), _parse_parts(pieces[1])
            if low is None or high is None:
                return UNKNOWN_BUDGET
        else:
            low = high = _parse_parts(core)
            if low is None:
                return UNKNOWN_BUDGET
    budget = _build_budget(low, high, kind, default_currency)
    if (
        budget_type is None
        and budget.type is BudgetType.FIXED
        and _looks_like_k_salary(low, high, budget)
        and not _FIXED_RE.search(text)
    ):
        return Budget(budget.min, budget.max, budget.currency, BudgetType.SALARY)
    return budget


def _looks_like_k_salary(low: _Parts | None, high: _Parts | None, budget: Budget) -> bool:
    """True for a "$80k - $120k" style range: "k" amounts of yearly-salary size."""
    return (
        low is not None
        and high is not None
        and high.unit == "k"
        and low.unit in {"k", ""}
        and budget.currency in _K_SALARY_CURRENCIES
        and budget.min is not None
        and budget.min >= _K_SALARY_FLOOR
    )


def _build_budget(
    low: _Parts | None,
    high: _Parts | None,
    kind: BudgetType,
    default_currency: str | None,
) -> Budget:
    """Combine the two ends of a range, sharing currency and "2-5jt" style multipliers."""
    ends = [p for p in (low, high) if p is not None]
    currencies = {p.currency for p in ends if p.currency is not None}
    if len(currencies) > 1:
        return UNKNOWN_BUDGET
    currency = currencies.pop() if currencies else default_currency
    if currency is None and any(p.unit in _IDR_UNITS for p in ends):
        currency = "IDR"  # "2-3jt", "150rb": Indonesian units, so rupiah
    if (
        low is not None
        and high is not None
        and low.multiplier is None
        and high.multiplier is not None
        and low.number <= high.number
    ):
        low = low._replace(multiplier=high.multiplier)  # "2-5jt" means 2jt to 5jt
    values = [
        None if p is None else tidy_amount(p.number * p.multiplier if p.multiplier else p.number)
        for p in (low, high)
    ]
    if any(v is not None and v <= 0 for v in values):
        return UNKNOWN_BUDGET
    lo, hi = values
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return Budget(min=lo, max=hi, currency=currency, type=kind)


# --------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("jan", "januari", "january"),
        ("feb", "februari", "pebruari", "february"),
        ("mar", "maret", "march"),
        ("apr", "april"),
        ("mei", "may"),
        ("jun", "juni", "june"),
        ("jul", "juli", "july"),
        ("agu", "agt", "agus", "agustus", "aug", "august"),
        ("sep", "sept", "september"),
        ("okt", "oktober", "oct", "october"),
        ("nov", "nop", "november", "nopember"),
        ("des", "desember", "dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_NUMERIC_DATE_RE = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"(?:[\s,]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?$"
)
_NAMED_DATE_RE = re.compile(
    r"^(?P<d>\d{1,2})\s+(?P<mon>[a-z]+)\.?\s+(?P<y>\d{4})"
    r"(?:[\s,]+(?:pukul\s+|jam\s+)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?$",
    re.IGNORECASE,
)
_WEEKDAY_PREFIX_RE = re.compile(
    r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|mon|tue|wed|thu|fri|sat|sun)"
    r"[a-z]*,?\s+",
    re.IGNORECASE,
)


def parse_wib(text: str) -> datetime | None:
    """Read Indonesian site date text ("01/08/2023 22:22:43 WIB") as WIB and return aware UTC."""
    if not text:
        return None
    cleaned = re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
    cleaned = re.sub(r"\s*\bWIB\b\.?$", "", cleaned, flags=re.IGNORECASE)
    cleaned = _WEEKDAY_PREFIX_RE.sub("", cleaned)
    match = _NUMERIC_DATE_RE.match(cleaned)
    if match:
        month = int(match["m"])
    else:
        match = _NAMED_DATE_RE.match(cleaned)
        if not match or match["mon"].lower() not in _MONTHS:
            return None
        month = _MONTHS[match["mon"].lower()]
    try:
        local = datetime(
            int(match["y"]),
            month,
            int(match["d"]),
            int(match["H"] or 0),
            int(match["M"] or 0),
            int(match["S"] or 0),
            tzinfo=WIB,
        )
    except ValueError:
        return None
    return local.astimezone(UTC)


def from_epoch(value: object) -> datetime | None:
    """Convert Unix seconds (or milliseconds, if huge) to aware UTC; None when unusable."""
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not seconds.is_finite() or seconds <= 0:
        return None
    if seconds > 100_000_000_000:  # milliseconds
        seconds /= 1000
    try:
        micros = int(seconds * 1_000_000)
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
    except (OverflowError, ValueError):
        return None


def _as_utc(parsed: datetime) -> datetime | None:
    """Aware UTC for `parsed`, taking a naive value as UTC; None when out of range."""
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return None


def parse_iso(text: str | None) -> datetime | None:
    """Parse ISO 8601 text to aware UTC; a naive value is taken as UTC already."""
    if not text or not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return _as_utc(parsed)


_RFC822_WIB_RE = re.compile(r"\s+WIB$", re.IGNORECASE)


def parse_rfc822(text: str | None) -> datetime | None:
    """Parse an RFC 822/2822 date ("Tue, 08 Nov 2022 14:07:02 +0000") to aware UTC, else None."""
    if not text or not isinstance(text, str):
        return None
    cleaned = _RFC822_WIB_RE.sub(" +0700", " ".join(text.split()))
    try:
        parsed = parsedate_to_datetime(cleaned)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _as_utc(parsed)  # "-0000" or no zone counts as UTC


# --------------------------------------------------------------------------- text

_DROP_TAGS = frozenset(
    {"script", "style", "img", "noscript", "iframe", "svg", "head", "template", "object", "ins"}
)
_PARAGRAPH_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "ul",
        "ol",
        "table",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "dl",
        "form",
    }
)
_LINE_TAGS = frozenset({"li", "tr", "dt", "dd"})
_CELL_TAGS = frozenset({"td", "th"})
# What goes before an element's text, and after it (before its tail), by tag name.
_OPEN: dict[str, str] = {
    **dict.fromkeys(_PARAGRAPH_TAGS, "\n\n"),
    **dict.fromkeys(_LINE_TAGS, "\n"),
    "li": "\n- ",
    "br": "\n",
}
_CLOSE: dict[str, str] = {
    **dict.fromkeys(_PARAGRAPH_TAGS, "\n\n"),
    **dict.fromkeys(_CELL_TAGS, " "),
}
# Runs of horizontal whitespace that are not already a single space.
_HSPACE_RE = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")
_LXML_PARSERS = threading.local()
# BeautifulSoup strings that are markup, not visible text.
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)


def _walk_lxml(root: etree._Element, out: list[str]) -> None:
    """Append the visible text under an lxml element (not its tail), iteratively."""
    append = out.append
    if root.text:
        append(root.text)
    stack: list[tuple[etree._Element, Iterator[etree._Element]]] = [(root, iter(root))]
    while stack:
        element, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:  # the root's own closing marker and tail are not part of it
                if close := _CLOSE.get(element.tag):
                    append(close)
                if element.tail:
                    append(element.tail)
            continue
        tag = child.tag
        if isinstance(tag, str) and tag not in _DROP_TAGS:
            if opening := _OPEN.get(tag):
                append(opening)
            if tag != "br":
                if child.text:
                    append(child.text)
                stack.append((child, iter(child)))
                continue
        if child.tail:  # comments, processing instructions, dropped elements and <br>
            append(child.tail)


def _walk_soup(root: Tag, out: list[str]) -> None:
    """Append the visible text under a BeautifulSoup tag, iteratively."""
    append = out.append
    stack: list[tuple[Tag, Iterator[PageElement]]] = [(root, iter(root.children))]
    while stack:
        element, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and (close := _CLOSE.get(element.name)):
                append(close)
            continue
        if isinstance(child, NavigableString):
            if not isinstance(child, _NOT_TEXT):
                append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _DROP_TAGS:
            continue
        if opening := _OPEN.get(child.name):
            append(opening)
        if child.name != "br":
            stack.append((child, iter(child.children)))


def _tidy_text(raw: str) -> str:
    """Collapse spaces within lines, drop empty list items and runs of blank lines."""
    text = raw.replace("\xa0", " ").replace("\u200b", "").replace("\r", "")
    if "  " in text or "\t" in text or "\f" in text or "\v" in text:  # the regex is slow
        text = _HSPACE_RE.sub(" ", text)
    lines: list[str] = []
    blank = False  # a blank line is pending between two lines of text
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            blank = bool(lines)
        elif line != "-":  # "-" alone is an empty list item
            if blank:
                lines.append("")
                blank = False
            lines.append(line)
    return "\n".join(lines)


def element_to_text(element: Tag | etree._Element) -> str:
    """Clean text of an already parsed BeautifulSoup tag or lxml element (see `html_to_text`)."""
    parts: list[str] = []
    if isinstance(element, etree._Element):
        _walk_lxml(element, parts)
    else:
        _walk_soup(element, parts)
    return _tidy_text("".join(parts))


def _html_parser() -> etree.HTMLParser:
    """This thread's lxml HTML parser (lxml parsers must not be shared between threads)."""
    parser = getattr(_LXML_PARSERS, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
            no_network=True,
            huge_tree=True,  # else nesting deeper than 256 is a fatal error
        )
        _LXML_PARSERS.parser = parser
    return parser


def html_to_text(html: str) -> str:
    """Turn an HTML fragment into clean text, keeping paragraphs and line breaks as newlines."""
    if not html or not html.strip():
        return ""
    parser = _html_parser()
    try:
        root = etree.fromstring(html.encode("utf-8", errors="replace"), parser)
    except etree.LxmlError:
        root = None
    if root is None or any(e.level == etree.ErrorLevels.FATAL for e in parser.error_log):
        # libxml2 gave up (e.g. nesting deeper than 2048); BeautifulSoup copes, slowly.
        return element_to_text(BeautifulSoup(html, "lxml"))
    parts: list[str] = []
    _walk_lxml(root, parts)
    for stray in root.itersiblings():  # libxml2 puts content after a stray </html> here
        _walk_lxml(stray, parts)
    return _tidy_text("".join(parts))


# ftfy registers "sloppy-windows-1252": cp1252 with its five undefined bytes kept as latin-1,
# the way browsers (and RemoteOK's double encoding) read them. ftfy's own fix_encoding is not
# used: it also "repairs" correct text such as "Ã la carte" into "à la carte".
_SLOPPY_CP1252 = "sloppy-windows-1252"
_CP1252_SPECIALS = "".join(
    c for c in bytes(range(0x80, 0xA0)).decode(_SLOPPY_CP1252) if not "\u0080" <= c <= "\u00bf"
)
_CONT = "[\u0080-\u00bf" + re.escape(_CP1252_SPECIALS) + "]"
_MOJIBAKE_RE = re.compile(
    rf"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}"
)


def _char_byte(char: str) -> int:
    """Map a character that stands for one mis-decoded byte back to that byte."""
    try:
        return char.encode(_SLOPPY_CP1252)[0]
    except UnicodeEncodeError:
        return ord(char)  # a C1 control: latin-1 decoding kept the byte as is


def _repair(match: re.Match[str]) -> str:
    """Decode one run of mis-decoded UTF-8 bytes, or leave it as it was."""
    chunk = match.group(0)
    try:
        return bytes(_char_byte(c) for c in chunk).decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return chunk


def fix_mojibake(text: str) -> str:
    """Repair double-encoded UTF-8 (e.g. "â\\x80\\x99" -> "’"); correct text is left untouched."""
    if not text:
        return text or ""
    if text.isascii():
        return text
    return _MOJIBAKE_RE.sub(_repair, text)
