"""Pure helpers that turn scraped text (amounts, budgets, dates, HTML) into normalised values."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment

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
    "parse_wib",
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


def _tidy(value: Decimal) -> Decimal:
    """Drop a meaningless fractional part so 1.5 × 1e6 reads as 1500000."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _parse_parts(text: str) -> tuple[Decimal, Decimal | None, str | None] | None:
    """Split one amount into (number, multiplier or None, currency or None)."""
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
    return number, multiplier, currency


def parse_amount(text: str) -> tuple[Decimal, str | None] | None:
    """Parse one amount like "1,5jt", "Rp 150.000" or "$20" into (Decimal, ISO currency)."""
    parts = _parse_parts(text)
    if parts is None:
        return None
    number, multiplier, currency = parts
    value = number * multiplier if multiplier else number
    if value <= 0:
        return None
    return _tidy(value), currency


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
    low: tuple[Decimal, Decimal | None, str | None] | None
    high: tuple[Decimal, Decimal | None, str | None] | None
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
    return _build_budget(low, high, kind, default_currency)


def _build_budget(
    low: tuple[Decimal, Decimal | None, str | None] | None,
    high: tuple[Decimal, Decimal | None, str | None] | None,
    kind: BudgetType,
    default_currency: str | None,
) -> Budget:
    """Combine the two ends of a range, sharing currency and "2-5jt" style multipliers."""
    currencies = {p[2] for p in (low, high) if p is not None and p[2] is not None}
    if len(currencies) > 1:
        return UNKNOWN_BUDGET
    currency = currencies.pop() if currencies else default_currency
    if (
        low is not None
        and high is not None
        and low[1] is None
        and high[1] is not None
        and low[0] <= high[0]
    ):
        low = (low[0], high[1], low[2])  # "2-5jt" means 2jt to 5jt
    values = [
        _tidy(p[0] * p[1]) if p is not None and p[1] else (_tidy(p[0]) if p else None)
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


def from_epoch(value: int | float | str) -> datetime | None:
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


def parse_iso(text: str | None) -> datetime | None:
    """Parse ISO 8601 text to aware UTC; a naive value is taken as UTC already."""
    if not text or not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


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


def _walk(node: Tag, out: list[str]) -> None:
    """Append the visible text of `node` to `out`, with newline markers for blocks."""
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            out.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _DROP_TAGS:
            continue
        if child.name == "br":
            out.append("\n")
        elif child.name in _PARAGRAPH_TAGS:
            out.append("\n\n")
            _walk(child, out)
            out.append("\n\n")
        elif child.name in _LINE_TAGS:
            out.append("\n- " if child.name == "li" else "\n")
            _walk(child, out)
        elif child.name in {"td", "th"}:
            _walk(child, out)
            out.append(" ")
        else:
            _walk(child, out)


def element_to_text(element: Tag) -> str:
    """Clean text of an already parsed BeautifulSoup element (see `html_to_text`)."""
    parts: list[str] = []
    _walk(element, parts)
    text = "".join(parts).replace("\xa0", " ").replace("\u200b", "").replace("\r", "")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line != "-")  # drop empty list items
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def html_to_text(html: str) -> str:
    """Turn an HTML fragment into clean text, keeping paragraphs and line breaks as newlines."""
    if not html or not html.strip():
        return ""
    return element_to_text(BeautifulSoup(html, "lxml"))


_CP1252_TO_BYTE: dict[str, int] = {}
for _byte in range(0x80, 0xA0):
    with contextlib.suppress(UnicodeDecodeError):
        _CP1252_TO_BYTE[bytes([_byte]).decode("cp1252")] = _byte
_CONT = "[\u0080-\u00bf" + "".join(re.escape(c) for c in _CP1252_TO_BYTE) + "]"
_MOJIBAKE_RE = re.compile(
    rf"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}"
)


def _char_byte(char: str) -> int:
    """Map a character that stands for one mis-decoded byte back to that byte."""
    return _CP1252_TO_BYTE.get(char, ord(char))


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
    return _MOJIBAKE_RE.sub(_repair, text)
