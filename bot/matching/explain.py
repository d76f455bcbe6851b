"""Render match reasons in the user's language (English or Indonesian)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.matching.score import Reason

FIELD_NAMES = {
    "en": {"title": "title", "tags": "tags", "text": "description"},
    "id": {"title": "judul", "tags": "tag", "text": "deskripsi"},
}
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "skill": "your skill “{skill}”: “{term}” in the {field}",
        "implied": "your skill “{skill}”: “{term}” in the {field} ({via} → {skill})",
        "related": "related to “{skill}”: {term}",
        "budget_high": "budget {amount} — at least twice your minimum",
        "budget_ok": "budget {amount}",
        "scope": "small job (“{term}”)",
        "short_deadline": "short deadline: {days} day(s)",
        "few_bids": "few bids so far: {bids}",
        "lowered": "“{term}” counts less (you marked similar gigs not relevant)",
    },
    "id": {
        "skill": "keahlianmu “{skill}”: “{term}” di {field}",
        "implied": "keahlianmu “{skill}”: “{term}” di {field} ({via} → {skill})",
        "related": "terkait “{skill}”: {term}",
        "budget_high": "budget {amount} — minimal dua kali batas minimummu",
        "budget_ok": "budget {amount}",
        "scope": "pekerjaan kecil (“{term}”)",
        "short_deadline": "tenggat singkat: {days} hari",
        "few_bids": "baru sedikit penawaran: {bids}",
        "lowered": "“{term}” dikurangi bobotnya (kamu menandai gig serupa tidak relevan)",
    },
}
REASON_CODES = (
    "skill",
    "implied",
    "related",
    "budget",
    "scope",
    "short_deadline",
    "few_bids",
    "lowered",
)


def _amount(params: Mapping[str, object]) -> str:
    """A budget range like '200000–500000 IDR (fixed)'."""
    low, high = params.get("min") or "", params.get("max") or ""
    span = f"{low}–{high}" if low and high and low != high else str(low or high)
    kind = params.get("type")
    suffix = f" ({kind})" if kind and kind != "unknown" else ""
    return f"{span} {params.get('currency', '')}".strip() + suffix


def describe(reason: Reason | Mapping[str, object], language: str) -> str:
    """One reason as a short phrase in `language` ('id' for Indonesian, else English)."""
    params = dict(reason.as_dict() if isinstance(reason, Reason) else reason)
    lang = "id" if language.startswith("id") else "en"
    texts = TEXTS[lang]
    code = str(params.get("code", ""))
    if code in ("skill", "implied"):
        params["field"] = FIELD_NAMES[lang].get(str(params.get("field")), params.get("field"))
    if code == "budget":
        key = "budget_high" if params.get("fit") == "high" else "budget_ok"
        return texts[key].format(amount=_amount(params))
    template = texts.get(code)
    if template is None:
        return code
    try:
        return template.format(**params)
    except KeyError:
        return code
