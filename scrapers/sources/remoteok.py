"""Parser for the Remote OK JSON API (`GET https://remoteok.com/api`)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.normalize import fix_mojibake, from_epoch, html_to_text, parse_iso
from scrapers.payload import load_json, positive_decimal
from scrapers.sources.terms import SourceTerms

__all__ = ["SOURCE", "TERMS", "parse"]

SOURCE = "remoteok"
TERMS = SourceTerms(
    stated=(
        "API Terms of Service: Please link back (with follow, and without nofollow!) to the URL"
        " on Remote OK and mention Remote OK as a source, so we get traffic back from your"
        " site. If you do not we'll have to suspend API access. Please don't use the Remote OK"
        " logo without written permission as it's a registered trademark, please DO use our"
        " name Remote OK though."
    ),
    where="`legal`, the first element of every API response",
    attribution="Remote OK",
)
# A yearly salary below this is not plausible; Remote OK then means an hourly rate.
_HOURLY_CEILING = Decimal(1000)
# Remote OK's anti-spam footer ("Please mention the word **X** and tag ...").
_APPLY_FOOTER_RE = re.compile(
    r"\s*Please mention the word \*\*[^*]+\*\* and tag .*?see they're human\.?\s*", re.DOTALL
)


def _budget(job: dict[str, Any]) -> Budget:
    """USD salary range from salary_min/salary_max; UNKNOWN_BUDGET when neither is set."""
    low, high = positive_decimal(job.get("salary_min")), positive_decimal(job.get("salary_max"))
    if low is None and high is None:
        return UNKNOWN_BUDGET
    if low is not None and high is not None and low > high:
        low, high = high, low
    top = high if high is not None else low
    kind = BudgetType.HOURLY if top is not None and top < _HOURLY_CEILING else BudgetType.SALARY
    return Budget(min=low, max=high, currency="USD", type=kind)


def _text(value: Any) -> str:
    """A string field with mojibake repaired and whitespace trimmed."""
    return fix_mojibake(value).strip() if isinstance(value, str) else ""


def _parse_job(job: dict[str, Any]) -> Gig | None:
    """One API element to a Gig; None for the legal notice and empty records."""
    job_id = str(job.get("id") or "").strip()
    title = _text(job.get("position"))
    if not job_id or not title or "legal" in job:
        return None
    description = html_to_text(_text(job.get("description")))
    description = _APPLY_FOOTER_RE.sub("\n", description).strip()
    tags = tuple(dict.fromkeys(t for t in (_text(tag) for tag in job.get("tags") or []) if t))
    extra: dict[str, str] = {}
    if location := _text(job.get("location")):
        extra["location"] = location
    url = _text(job.get("url")) or f"https://remoteok.com/remote-jobs/{job_id}"
    if (apply_url := _text(job.get("apply_url"))) and apply_url != url:
        extra["apply_url"] = apply_url
    return Gig(
        source=SOURCE,
        external_id=job_id,
        title=title,
        url=url,
        text=description,
        budget=_budget(job),
        posted_at=from_epoch(job["epoch"]) if job.get("epoch") else parse_iso(job.get("date")),
        tags=tags,
        language="en",
        company=_text(job.get("company")) or None,
        extra=extra,
    )


def parse(payload: bytes) -> list[Gig]:
    """Parse the API array into gigs, skipping the leading legal notice; no I/O."""
    data = load_json(payload, parse_float=Decimal)
    if not isinstance(data, list):
        return []
    gigs: list[Gig] = []
    for job in data:
        if isinstance(job, dict) and (gig := _parse_job(job)) is not None:
            gigs.append(gig)
    return gigs
