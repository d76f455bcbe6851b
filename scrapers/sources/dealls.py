"""Parser for the Dealls (sejutacita.id) job listing API, and the URLs of its pages.

`GET https://api.sejutacita.id/v1/explore-job/job?page=N&sortParam=publishedAt&sortBy=desc
&published=true&limit=18&status=active&employmentTypes[]=freelance…`: an open API (no login;
Dealls' robots.txt allows all). Listing records carry no description; the role, company,
city, workplace type, salary range, employment types and skills are all there is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.normalize import parse_iso
from scrapers.payload import load_json, positive_decimal, unique_gigs
from scrapers.sources.terms import SourceTerms
from scrapers.targets import FetchTarget, Parser, SourceConfig

__all__ = [
    "API_EMPLOYMENT",
    "DEFAULT_EMPLOYMENT",
    "DEFAULT_PAGES",
    "EMPLOYMENT_TYPES",
    "SOURCE",
    "TERMS",
    "WORKPLACE_TYPES",
    "page_urls",
    "parse",
]

SOURCE = "dealls"
# Dealls states no request limit we know of; its robots.txt allows all.
TERMS = SourceTerms(robots="allows all")
ROLE_URL = "https://dealls.com/role/{slug}"
# The API's employment type values -> the normalised names used across the bot.
EMPLOYMENT_TYPES: dict[str, str] = {
    "freelance": "freelance",
    "partTime": "part_time",
    "contract": "contract",
    "fullTime": "full_time",
    "internship": "internship",
}
# Configuration names (as people write them) -> the API's value.
API_EMPLOYMENT: dict[str, str] = {
    "freelance": "freelance",
    "part-time": "partTime",
    "part_time": "partTime",
    "parttime": "partTime",
    "contract": "contract",
    "full-time": "fullTime",
    "full_time": "fullTime",
    "fulltime": "fullTime",
    "internship": "internship",
}
DEFAULT_EMPLOYMENT = ("freelance", "part-time", "contract")
DEFAULT_PAGES = 3
WORKPLACE_TYPES: dict[str, str] = {"remote": "remote", "hybrid": "hybrid", "onSite": "onsite"}


def _text(value: Any) -> str:
    """A string field with whitespace collapsed, or ""."""
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else ""


def _name(value: Any) -> str:
    """The `name` of a nested {name, id} object (city, country, company), or ""."""
    return _text(value.get("name")) if isinstance(value, dict) else ""


def _budget(job: dict[str, Any]) -> Budget:
    """The monthly salary range in IDR; UNKNOWN when the listing states none (never 0)."""
    salary = job.get("salaryRange")
    if not isinstance(salary, dict):
        return UNKNOWN_BUDGET
    low, high = positive_decimal(salary.get("start")), positive_decimal(salary.get("end"))
    if low is None and high is None:
        return UNKNOWN_BUDGET
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Budget(low, high, "IDR", BudgetType.SALARY)


def _employment(job: dict[str, Any]) -> list[str]:
    """The job's employment types, normalised (freelance, part_time, contract, …)."""
    values = job.get("employmentTypes") or []
    out = [EMPLOYMENT_TYPES.get(v, _text(v)) for v in values if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(out))


def _parse_job(job: dict[str, Any]) -> Gig | None:
    """One API record to a Gig; None without an id, a role or a slug."""
    job_id, title, slug = _text(job.get("id")), _text(job.get("role")), _text(job.get("slug"))
    if not job_id or not title or not slug:
        return None
    extra: dict[str, str] = {"salary_period": "monthly"} if job.get("salaryRange") else {}
    if employment := _employment(job):
        extra["employment_type"] = ",".join(employment)
    workplace = _text(job.get("workplaceType"))
    if workplace:
        extra["workplace_type"] = WORKPLACE_TYPES.get(workplace, workplace.lower())
    if city := _name(job.get("city")):
        extra["location"] = city
    if country := _name(job.get("country")):
        extra["country"] = country
    company = job.get("company")
    if isinstance(company, dict) and (sector := _text(company.get("sector"))):
        extra["sector"] = sector
    if apply_url := _text(job.get("externalPlatformApplyUrl")):
        extra["apply_url"] = apply_url
    skills = [_name(s) for s in job.get("skills") or []]
    return Gig(
        source=SOURCE,
        external_id=job_id,
        title=title,
        url=ROLE_URL.format(slug=slug),
        budget=_budget(job),
        posted_at=parse_iso(job.get("publishedAt")),
        tags=tuple(dict.fromkeys(s for s in skills if s)),
        company=_name(company) or None,
        extra=extra,
    )


def _records(data: Any) -> list[dict[str, Any]]:
    """The job records at `data.docs` of the envelope, or []."""
    inner = data.get("data") if isinstance(data, dict) else None
    docs = inner.get("docs") if isinstance(inner, dict) else None
    return [d for d in docs if isinstance(d, dict)] if isinstance(docs, list) else []


def parse(payload: bytes) -> list[Gig]:
    """Parse the `{"data": {"docs": [...]}}` envelope into gigs; no I/O."""
    return unique_gigs(_records(load_json(payload)), _parse_job)


def page_urls(url: str, employment: Iterable[str], pages: int) -> list[str]:
    """The listing URLs of pages 1..`pages`, newest first, for the given employment types.

    `employment` takes configuration names (freelance, part-time, contract, full-time,
    internship); ValueError names an unknown one. An empty list asks for every type.
    """
    values = []
    for name in employment:
        api = API_EMPLOYMENT.get(name.strip().casefold())
        if api is None:
            known = ", ".join(sorted({k for k in API_EMPLOYMENT if "_" not in k}))
            raise ValueError(f"unknown employment type {name!r} (use {known})")
        values.append(api)
    parts = urlsplit(url)
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("page", "employmentTypes[]", "sortParam", "sortBy")
    ]
    out = []
    for page in range(1, max(1, pages) + 1):
        query = [("page", str(page)), ("sortParam", "publishedAt"), ("sortBy", "desc"), *kept]
        query += [("employmentTypes[]", v) for v in dict.fromkeys(values)]
        out.append(urlunsplit(parts._replace(query=urlencode(query))))
    return out


def targets(name: str, config: SourceConfig, parse: Parser) -> list[FetchTarget]:
    """The newest pages of each configured employment type (defaults: freelance, part-time,
    contract; three pages)."""
    employment = DEFAULT_EMPLOYMENT if config.employment_types is None else config.employment_types
    urls = page_urls(config.url, employment, config.pages or DEFAULT_PAGES)
    return [FetchTarget(f"{name}:p{n}", url, parse) for n, url in enumerate(urls, 1)]
