"""Parser for the Himalayas jobs API (`GET https://himalayas.app/jobs/api`)."""

from __future__ import annotations

import re
from typing import Any

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.normalize import from_epoch, html_to_text
from scrapers.payload import load_json, positive_decimal, records_under, unique_gigs
from scrapers.sources.terms import NOT_STATED

__all__ = ["SOURCE", "TERMS", "parse"]

SOURCE = "himalayas"
TERMS = NOT_STATED  # the site states no terms we know of (see scrapers/sources/terms.py)
_PERIODS: dict[str, BudgetType] = {
    "hourly": BudgetType.HOURLY,
    "hour": BudgetType.HOURLY,
    "annual": BudgetType.SALARY,
    "yearly": BudgetType.SALARY,
    "year": BudgetType.SALARY,
    "monthly": BudgetType.SALARY,
    "month": BudgetType.SALARY,
    "weekly": BudgetType.SALARY,
    "daily": BudgetType.SALARY,
}
_JOB_PATH_RE = re.compile(r"^https?://himalayas\.app/companies/([^/]+)/jobs/([^/?#]+)/?$")


def _text(value: Any) -> str:
    """A string field with whitespace collapsed, or ""."""
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else ""


def _budget(job: dict[str, Any]) -> Budget:
    """Budget from minSalary/maxSalary/currency/salaryPeriod; UNKNOWN when no amount."""
    low, high = positive_decimal(job.get("minSalary")), positive_decimal(job.get("maxSalary"))
    if low is None and high is None:
        return UNKNOWN_BUDGET
    if low is not None and high is not None and low > high:
        low, high = high, low
    period = _text(job.get("salaryPeriod")).lower()
    currency = _text(job.get("currency")).upper() or None
    return Budget(low, high, currency, _PERIODS.get(period, BudgetType.UNKNOWN))


def _tag(slug: Any) -> str:
    """A category slug made readable: "Sales-&-Management" -> "Sales & Management"."""
    return _text(slug.replace("-", " ")).strip(" &") if isinstance(slug, str) else ""


def _external_id(guid: str) -> str:
    """`company/job-slug` from the job URL, else the guid itself."""
    match = _JOB_PATH_RE.match(guid)
    return f"{match.group(1)}/{match.group(2)}" if match else guid


def _parse_job(job: dict[str, Any]) -> Gig | None:
    """One API job to a Gig; None without a guid/link or title."""
    guid = _text(job.get("guid")) or _text(job.get("applicationLink"))
    title = _text(job.get("title"))
    if not guid or not title:
        return None
    url = _text(job.get("applicationLink")) or guid
    tags = tuple(
        dict.fromkeys(
            t
            for key in ("parentCategories", "categories", "skills")
            for t in (_tag(item) for item in job.get(key) or [])
            if t
        )
    )
    extra: dict[str, str] = {}
    if value := _text(job.get("employmentType")):
        extra["employment_type"] = value
    for key, name in (
        ("seniority", "seniority"),
        ("locationRestrictions", "location"),
        ("timezoneRestrictions", "timezones"),
    ):
        values = [str(v).strip() for v in job.get(key) or [] if str(v).strip()]
        if values:
            extra[name] = ", ".join(values)
    if period := _text(job.get("salaryPeriod")):
        extra["salary_period"] = period
    if expires := from_epoch(job.get("expiryDate")):
        extra["expires_at"] = expires.isoformat()
    if url != guid:
        extra["guid"] = guid
    return Gig(
        source=SOURCE,
        external_id=_external_id(guid),
        title=title,
        url=url,
        text=html_to_text(job.get("description") or "") or _text(job.get("excerpt")),
        budget=_budget(job),
        posted_at=from_epoch(job.get("pubDate")),
        tags=tags,
        company=_text(job.get("companyName")) or None,
        extra=extra,
    )


def parse(payload: bytes) -> list[Gig]:
    """Parse the `{"jobs": [...]}` envelope into gigs; no I/O."""
    return unique_gigs(records_under(load_json(payload), "jobs"), _parse_job)
