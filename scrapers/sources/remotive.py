"""Parser for the Remotive JSON API (`GET https://remotive.com/api/remote-jobs`)."""

from __future__ import annotations

import re
from typing import Any

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.normalize import html_to_text, parse_budget, parse_iso
from scrapers.payload import load_json, records_under, unique_gigs
from scrapers.sources.terms import SourceTerms

__all__ = ["SOURCE", "TERMS", "parse", "parse_salary"]

SOURCE = "remotive"
TERMS = SourceTerms(
    stated=(
        "Please link back to the URL found on Remotive AND mention Remotive as a source in"
        " order to Remotive to get traffic from your listing. If you don't do that, we'll"
        " terminate your API access, sorry! Jobs displayed are delayed by 24 hours [...]"
        " Typically, you only need to GET Remotive job data through this API a couple of times"
        " a day (we advise max. 4 times a day). [...] Note that excessive requests will be"
        " blocked."
    ),
    where="`0-legal-notice` in every API response",
    limit="advises at most 4 calls a day",
    min_interval=6 * 3600,
    attribution="Remotive",
)
_FIXED_WORDS_RE = re.compile(r"\b(?:fixed|per\s+project|/\s*project)\b", re.IGNORECASE)


def _text(value: Any) -> str:
    """A string field trimmed, or "" for anything else."""
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else ""


def parse_salary(text: str) -> Budget:
    """Remotive's free-text salary ("$18 - $22/hr", "$45,000 - $50,000") as a Budget.

    The field is a salary: amounts with no period or "fixed" wording are taken as SALARY.
    """
    budget = parse_budget(text) if text else UNKNOWN_BUDGET
    if not budget.is_known:
        return UNKNOWN_BUDGET
    if budget.type is BudgetType.FIXED and not _FIXED_WORDS_RE.search(text):
        return Budget(budget.min, budget.max, budget.currency, BudgetType.SALARY)
    return budget


def _parse_job(job: dict[str, Any]) -> Gig | None:
    """One API job to a Gig; None when it has no id, title or URL."""
    job_id = str(job.get("id") or "").strip()
    title = _text(job.get("title"))
    url = _text(job.get("url"))
    if not job_id or not title or not url:
        return None
    salary = _text(job.get("salary"))
    extra: dict[str, str] = {}
    for key, name in (
        ("job_type", "job_type"),
        ("category", "category"),
        ("candidate_required_location", "location"),
    ):
        if value := _text(job.get(key)):
            extra[name] = value
    if salary:
        extra["salary"] = salary
    tags = tuple(dict.fromkeys(t for t in (_text(tag) for tag in job.get("tags") or []) if t))
    return Gig(
        source=SOURCE,
        external_id=job_id,
        title=title,
        url=url,
        text=html_to_text(job.get("description") or ""),
        budget=parse_salary(salary),
        posted_at=parse_iso(job.get("publication_date")),
        tags=tags,
        language="en",
        company=_text(job.get("company_name")) or None,
        extra=extra,
    )


def parse(payload: bytes) -> list[Gig]:
    """Parse the `{"jobs": [...]}` envelope into gigs, ignoring the legal notices; no I/O."""
    return unique_gigs(records_under(load_json(payload), "jobs"), _parse_job)
