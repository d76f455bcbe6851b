"""Parser for Fastwork's jobboard API (`GET https://jobboard-api.fastwork.id/api/jobs`)."""

from __future__ import annotations

from typing import Any

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.normalize import parse_iso, tidy_amount
from scrapers.payload import load_json, positive_decimal, unique_gigs
from scrapers.sources.terms import NOT_STATED

__all__ = ["SOURCE", "SOURCE_TH", "TERMS", "parse", "parse_jobs", "parse_th"]

SOURCE = "fastwork"
TERMS = NOT_STATED  # the site states no terms we know of (see scrapers/sources/terms.py)
SOURCE_TH = "fastwork_th"
# Same API on both markets; the host decides the currency and the job page.
JOB_URL_ID = "https://jobboard.fastwork.id/jobs/"
JOB_URL_TH = "https://jobboard.fastwork.co/jobs/"
# "freelance" is a one-off project; "contract"/"full-time" are paid per month.
_TYPES = {
    "freelance": BudgetType.FIXED,
    "contract": BudgetType.SALARY,
    "full-time": BudgetType.SALARY,
}
_ANONYMOUS_MARK = "*****"


def _dict(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    """A trimmed string field, "" for null or non-strings."""
    return value.strip() if isinstance(value, str) else ""


def _budget(job: dict[str, Any], currency: str) -> Budget:
    """The single `budget` figure (a string such as "4000"); "0" or empty means unstated."""
    raw = positive_decimal(job.get("budget"))
    if raw is None:
        return UNKNOWN_BUDGET
    amount = tidy_amount(raw)
    kind = _TYPES.get(_text(job.get("type")).lower(), BudgetType.UNKNOWN)
    return Budget(min=amount, max=amount, currency=currency, type=kind)


def _extra(job: dict[str, Any]) -> dict[str, str]:
    """Job type, deadline, expiry and poster facts as strings."""
    extra: dict[str, str] = {}
    for key, name in (
        ("type", "job_type"),
        ("deadline_at", "deadline"),
        ("usage_type", "usage_type"),
        ("business_type", "business_type"),
    ):
        if value := _text(job.get(key)):
            extra[name] = value
    if expires := parse_iso(_text(job.get("expired_at")).replace("Z", "+00:00")):
        extra["expires_at"] = expires.isoformat()
    if job.get("require_english_speaker") is True:
        extra["english_required"] = "yes"
    profile = _dict(job.get("user_profile"))
    poster = _text(profile.get("username")) or _text(profile.get("display_name"))
    if job.get("is_anonymous") is True or poster.startswith(_ANONYMOUS_MARK):
        extra["client_anonymous"] = "yes"
    elif poster:
        extra["client"] = poster
    return extra


def _parse_job(job: dict[str, Any], market: tuple[str, str, str, str]) -> Gig | None:
    """One job object to a Gig; None unless it has an id and a title and is open."""
    source, currency, job_url, language = market
    job_id = _text(job.get("id"))
    title = " ".join(_text(job.get("title")).split())
    status = _text(job.get("status")).lower()
    if not job_id or not title or (status and status != "open"):
        return None
    offers = job.get("freelance_offers_count")
    tag = _text(_dict(job.get("tag")).get("name"))
    return Gig(
        source=source,
        external_id=job_id,
        title=title,
        url=job_url + job_id,
        text=_text(job.get("description")),
        budget=_budget(job, currency),
        posted_at=parse_iso(_text(job.get("inserted_at")).replace("Z", "+00:00")),
        tags=(tag,) if tag else (),
        language=language,
        bids=offers if isinstance(offers, int) and not isinstance(offers, bool) else None,
        extra=_extra(job),
    )


def parse_jobs(
    payload: bytes,
    *,
    currency: str = "IDR",
    job_url: str = JOB_URL_ID,
    source: str = SOURCE,
    language: str = "id",
) -> list[Gig]:
    """Parse the `{"data": [...], "meta": {...}}` envelope or a bare array of job objects.

    The market decides the currency of the bare `budget` figure, the job page and the
    listing language (posts are written in the market's language).
    """
    market = (source, currency, job_url, language)
    data = load_json(payload)
    if isinstance(data, dict):
        data = data.get("data")
    if not isinstance(data, list):
        return []
    jobs = [job for job in data if isinstance(job, dict)]
    return unique_gigs(jobs, lambda job: _parse_job(job, market))


def parse(payload: bytes) -> list[Gig]:
    """Parse Fastwork Indonesia (jobboard-api.fastwork.id): budgets in IDR; no I/O."""
    return parse_jobs(payload)


def parse_th(payload: bytes) -> list[Gig]:
    """Parse Fastwork Thailand (jobboard-api.fastwork.co): budgets in THB; no I/O."""
    return parse_jobs(payload, currency="THB", job_url=JOB_URL_TH, source=SOURCE_TH, language="th")
