"""Parser for the Arbeitnow job board API (`GET https://www.arbeitnow.com/api/job-board-api`)."""

from __future__ import annotations

import re
from typing import Any

from scrapers.model import Gig
from scrapers.normalize import from_epoch, html_to_text
from scrapers.payload import load_json, records_under, unique_gigs
from scrapers.sources.terms import SourceTerms

__all__ = ["SOURCE", "TERMS", "parse"]

SOURCE = "arbeitnow"
TERMS = SourceTerms(
    stated=(
        "This is a free public API for jobs, please do not abuse. I would appreciate linking"
        " back to the site. By using the API, you agree to the terms of service present on"
        " Arbeitnow.com | Jobs are updated every hour [...]"
    ),
    where="`meta.terms` and `meta.info` in every API response",
    limit="jobs are updated every hour; please do not abuse",
    min_interval=3600,
    attribution="Arbeitnow",
)


def _text(value: Any) -> str:
    """A string field with whitespace collapsed, or ""."""
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else ""


def _list(value: Any) -> list[str]:
    """A list field as cleaned, de-duplicated strings."""
    items = value if isinstance(value, list) else []
    return list(dict.fromkeys(t for t in (_text(item) for item in items) if t))


def _parse_job(job: dict[str, Any]) -> Gig | None:
    """One API job to a Gig; None without a slug, title or URL. The API states no pay."""
    slug = _text(job.get("slug"))
    title = _text(job.get("title"))
    url = _text(job.get("url"))
    if not slug or not title or not url:
        return None
    extra: dict[str, str] = {}
    if isinstance(job.get("remote"), bool):
        extra["remote"] = "yes" if job["remote"] else "no"
    if location := _text(job.get("location")):
        extra["location"] = location
    if job_types := _list(job.get("job_types")):
        extra["job_type"] = ", ".join(job_types)
    return Gig(
        source=SOURCE,
        external_id=slug,
        title=title,
        url=url,
        text=html_to_text(job.get("description") or ""),
        posted_at=from_epoch(job.get("created_at")),
        tags=tuple(_list(job.get("tags"))),
        company=_text(job.get("company_name")) or None,
        extra=extra,
    )


def parse(payload: bytes) -> list[Gig]:
    """Parse the `{"data": [...], "links", "meta"}` envelope into gigs; no I/O."""
    return unique_gigs(records_under(load_json(payload), "data"), _parse_job)
