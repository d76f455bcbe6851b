"""Why a gig matched, worded for a person in the user's language (English or Indonesian).

`summary` turns all of an alert's reasons into ONE short line, e.g.
"desain logo (judul) · Rp250–400rb, 2× minimummu · 7 hari": each skill once, amounts the
way people write them, no raw numbers; `describe` words a single reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal, get_currency_symbol

from bot.matching.score import Reason

FIELD_NAMES = {
    "en": {"title": "title", "tags": "tags", "text": "description"},
    "id": {"title": "judul", "tags": "tag", "text": "deskripsi"},
}
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "skill": "{skill} ({field})",
        "skill_as": "{skill}: “{term}” ({field})",
        "related": "close to {skill}: {terms}",
        "implied": "{term} → {skill} ({field})",
        "high": "{amount}, 2× your minimum",
        "scope": "small job",
        "day": "1 day",
        "days": "{days} days",
        "no_bids": "no bids yet",
        "bid": "only 1 bid",
        "bids": "only {bids} bids",
        "lowered": "less weight: {terms}",
        "hourly": "/hr",
        "thousand": "k",
        "million": "M",
    },
    "id": {
        "skill": "{skill} ({field})",
        "skill_as": "{skill}: “{term}” ({field})",
        "related": "mirip {skill}: {terms}",
        "implied": "{term} → {skill} ({field})",
        "high": "{amount}, 2× minimummu",
        "scope": "pekerjaan kecil",
        "day": "1 hari",
        "days": "{days} hari",
        "no_bids": "belum ada penawaran",
        "bid": "baru 1 penawaran",
        "bids": "baru {bids} penawaran",
        "lowered": "bobot dikurangi: {terms}",
        "hourly": "/jam",
        "thousand": "rb",
        "million": "jt",
    },
}
REASON_CODES = (
    "skill",
    "related",
    "implied",
    "budget",
    "scope",
    "short_deadline",
    "few_bids",
    "lowered",
)
MAX_SKILLS_SHOWN = 3
MAX_TERMS_SHOWN = 2
THOUSAND, MILLION = Decimal(1000), Decimal(1_000_000)


def _lang(language: str) -> str:
    return "id" if language.startswith("id") else "en"


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def _short_number(value: Decimal, lang: str) -> str:
    """150000 → '150' (+ 'rb'), 1500000 → '1,5' (+ 'jt'); the unit is added by the caller."""
    locale = "id_ID" if lang == "id" else "en_US"
    return format_decimal(value.normalize(), format="#,##0.#", locale=locale)


def _rupiah(low: Decimal | None, high: Decimal | None, lang: str) -> str:
    """'Rp250–400rb', 'Rp1,5–2jt', 'Rp500rb–1,5jt' (English: 'Rp250–400k', 'Rp1.5–2M')."""
    texts = TEXTS[lang]
    values = [v for v in (low, high) if v is not None]

    def unit_of(value: Decimal) -> tuple[Decimal, str]:
        if value >= MILLION:
            return MILLION, texts["million"]
        if value >= THOUSAND:
            return THOUSAND, texts["thousand"]
        return Decimal(1), ""

    units = [unit_of(v) for v in values]
    if len(values) == 2 and values[0] != values[1]:
        (div_a, unit_a), (div_b, unit_b) = units
        a, b = _short_number(values[0] / div_a, lang), _short_number(values[1] / div_b, lang)
        if unit_a == unit_b:
            return f"Rp{a}–{b}{unit_b}"
        return f"Rp{a}{unit_a}–{b}{unit_b}"
    div, unit = units[0]
    return f"Rp{_short_number(values[0] / div, lang)}{unit}"


def _money(low: Decimal | None, high: Decimal | None, currency: str, lang: str) -> str:
    """A budget range written short, in the currency's own way; bare numbers without one."""
    if currency.upper() == "IDR":
        return _rupiah(low, high, lang)
    locale = "id_ID" if lang == "id" else "en_US"
    symbol = get_currency_symbol(currency.upper(), locale=locale) if currency else ""
    values = [v for v in (low, high) if v is not None]
    numbers = [format_decimal(v.normalize(), format="#,##0.##", locale=locale) for v in values]
    span = "–".join(dict.fromkeys(numbers))
    if not symbol:
        return span
    return f"{symbol}{span}" if symbol != currency.upper() else f"{span} {currency.upper()}"


def _budget(params: Mapping[str, object], lang: str) -> str | None:
    low, high = _decimal(params.get("min")), _decimal(params.get("max"))
    if low is None and high is None:
        return None
    text = _money(low, high, str(params.get("currency") or ""), lang)
    if params.get("type") == "hourly":
        text += TEXTS[lang]["hourly"]
    if params.get("fit") == "high":
        text = TEXTS[lang]["high"].format(amount=text)
    return text


def _days(value: object, lang: str) -> str | None:
    days = _decimal(value)
    if days is None:
        return None
    whole = int(days)
    return TEXTS[lang]["day"] if whole == 1 else TEXTS[lang]["days"].format(days=whole)


def _bids(value: object, lang: str) -> str:
    bids = int(_decimal(value) or 0)
    texts = TEXTS[lang]
    return (
        texts["no_bids"]
        if bids == 0
        else texts["bid"]
        if bids == 1
        else texts["bids"].format(bids=bids)
    )


def _quoted(terms: Iterable[str]) -> str:
    return ", ".join(f"“{t}”" for t in terms)


def _field(params: Mapping[str, object], lang: str) -> str:
    field = str(params.get("field") or "text")
    return FIELD_NAMES[lang].get(field, FIELD_NAMES[lang]["text"])


def _skill_phrase(params: Mapping[str, object], lang: str) -> str:
    skill, term = str(params.get("skill", "")), str(params.get("term", ""))
    field = _field(params, lang)
    if not term or term.casefold() in skill.casefold():
        return TEXTS[lang]["skill"].format(skill=skill, field=field)
    return TEXTS[lang]["skill_as"].format(skill=skill, term=term, field=field)


def describe(reason: Reason | Mapping[str, object], language: str) -> str:
    """One reason as a short phrase in `language` ('id' for Indonesian, else English)."""
    params = dict(reason.as_dict() if isinstance(reason, Reason) else reason)
    lang = _lang(language)
    code = str(params.get("code", "skill"))
    if code == "skill":
        return _skill_phrase(params, lang)
    if code == "related":
        return TEXTS[lang]["related"].format(
            skill=params.get("skill", ""), terms=params.get("term", "")
        )
    if code == "implied":
        return TEXTS[lang]["implied"].format(
            term=params.get("term", ""), skill=params.get("skill", ""), field=_field(params, lang)
        )
    if code == "budget":
        return _budget(params, lang) or ""
    if code == "scope":
        return TEXTS[lang]["scope"]
    if code == "short_deadline":
        return _days(params.get("days"), lang) or ""
    if code == "few_bids":
        return _bids(params.get("bids"), lang)
    if code == "lowered":
        return TEXTS[lang]["lowered"].format(terms=_quoted([str(params.get("term", ""))]))
    return ""


def summary(reasons: Iterable[Reason | Mapping[str, object]], language: str) -> str:
    """All reasons of one alert as one line: skills once each, then budget, deadline, bids."""
    lang = _lang(language)
    skills: dict[str, str] = {}  # skill → its phrase (the first, best hit)
    related: dict[str, list[str]] = {}
    facts: dict[str, str] = {}
    lowered: list[str] = []
    for reason in reasons:
        params = dict(reason.as_dict() if isinstance(reason, Reason) else reason)
        code = str(params.get("code", "skill"))
        skill = str(params.get("skill", ""))
        if code in ("skill", "implied"):
            skills.setdefault(skill.casefold(), describe(params, lang))
        elif code == "related":
            terms = related.setdefault(skill, [])
            term = str(params.get("term", ""))
            if term and term not in terms:
                terms.append(term)
        elif code == "lowered":
            term = str(params.get("term", ""))
            if term and term not in lowered:
                lowered.append(term)
        elif code not in facts and (phrase := describe(params, lang)):
            facts[code] = phrase
    parts = list(skills.values())[:MAX_SKILLS_SHOWN]
    for skill, terms in related.items():
        if skill.casefold() not in skills and len(parts) < MAX_SKILLS_SHOWN:
            parts.append(
                TEXTS[lang]["related"].format(skill=skill, terms=", ".join(terms[:MAX_TERMS_SHOWN]))
            )
    match = ", ".join(parts)
    order = ("budget", "short_deadline", "few_bids", "scope")
    pieces = [match] if match else []
    pieces += [facts[code] for code in order if code in facts]
    if lowered:
        pieces.append(TEXTS[lang]["lowered"].format(terms=_quoted(lowered[:MAX_TERMS_SHOWN])))
    return " · ".join(pieces)
