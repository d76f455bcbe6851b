"""Parser for the Jobicy remote jobs API (`GET https://jobicy.com/api/v2/remote-jobs`)."""

from __future__ import annotations

import html
import re
from typing import Any

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.normalize import html_to_text, parse_iso
from scrapers.payload import load_json, positive_decimal, records_under, unique_gigs
from scrapers.sources.terms import SourceTerms

__all__ = ["SOURCE", "TERMS", "parse"]

SOURCE = "jobicy"
TERMS = SourceTerms(
    stated=(
        "Please make sure Jobicy is clearly credited as the source and that users are"
        " redirected to our website to apply for jobs. [...] As our data doesn’t change"
        " frequently, we recommend fetching the feed a few times per day. Excessive requests"
        " may result in restricted access."
    ),
    where="`friendlyNotice` in every API response",
    limit='"a few times per day", read as at most 4',
    min_interval=6 * 3600,
    attribution="Jobicy",
)
_PERIODS: dict[str, BudgetType] = {
    "hourly": BudgetType.HOURLY,
    "yearly": BudgetType.SALARY,
    "annual": BudgetType.SALARY,
    "monthly": BudgetType.SALARY,
    "weekly": BudgetType.SALARY,
    "daily": BudgetType.SALARY,
}


def _text(value: Any) -> str:
    """A string field with HTML entities decoded and whitespace collapsed, or ""."""
    if not isinstance(value, str):
        return ""
    return re.sub(r"\s+", " ", html.unescape(value).replace("\xa0", " ")).strip()


def _list(value: Any) -> list[str]:
    """A list (or single string) field as cleaned, de-duplicated strings."""
    items = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(t for t in (_text(item) for item in items) if t))


def _budget(job: dict[str, Any]) -> Budget:
    """Budget from the optional salaryMin/salaryMax/salaryCurrency/salaryPeriod fields."""
    low, high = positive_decimal(job.get("salaryMin")), positive_decimal(job.get("salaryMax"))
    if low is None and high is None:
        return UNKNOWN_BUDGET
    if low is not None and high is not None and low > high:
        low, high = high, low
    currency = _text(job.get("salaryCurrency")).upper() or None
    kind = _PERIODS.get(_text(job.get("salaryPeriod")).lower(), BudgetType.UNKNOWN)
    return Budget(low, high, currency, kind)


def _parse_job(job: dict[str, Any]) -> Gig | None:
    """One API job to a Gig; None without an id, title or URL."""
    job_id = str(job.get("id") or "").strip()
    title = _text(job.get("jobTitle"))
    url = _text(job.get("url"))
    if not job_id or not title or not url:
        return None
    extra: dict[str, str] = {}
    for key, name in (
        ("jobGeo", "location"),
        ("jobLevel", "level"),
        ("jobType", "job_type"),
        ("salaryPeriod", "salary_period"),
    ):
        if values := _list(job.get(key)):
            extra[name] = ", ".join(values)
    return Gig(
        source=SOURCE,
        external_id=job_id,
        title=title,
        url=url,
        text=html_to_text(job.get("jobDescription") or "") or _text(job.get("jobExcerpt")),
        budget=_budget(job),
        posted_at=parse_iso(job.get("pubDate")),
        tags=tuple(_list(job.get("jobIndustry"))),
        company=_text(job.get("companyName")) or None,
        extra=extra,
    )


def parse(payload: bytes) -> list[Gig]:
    """Parse the `{"jobs": [...]}` envelope into gigs; no I/O."""
    return unique_gigs(records_under(load_json(payload), "jobs"), _parse_job)
