"""Parser for the Freelancer.com active-projects API (`/api/projects/0.1/projects/active/`),
and the URLs that ask it for projects in given languages or from given countries.

The API takes `languages[]` (ISO 639-1, e.g. `id`) and `countries[]` (ISO 3166-1 alpha-2,
lower case, e.g. `id`) filters. Filters in one request narrow each other, so each is its own
request and the bot gets "in Indonesian OR from Indonesia". The API documents `countries[]`
only as projects "that have at least one of the given country codes" (the owner's country
or a local project's place is not said), so a gig is labelled from the record itself:
`language` and the owner's `location.country` (sent with `user_country_details=true`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.normalize import from_epoch, tidy_amount
from scrapers.payload import load_json, positive_decimal, unique_gigs
from scrapers.sources.terms import NOT_STATED
from scrapers.targets import FetchTarget, Parser, SourceConfig

__all__ = [
    "DEFAULT_COUNTRIES",
    "DEFAULT_LANGUAGES",
    "SOURCE",
    "TERMS",
    "filter_urls",
    "parse",
]

SOURCE = "freelancer"
TERMS = NOT_STATED  # the site states no terms we know of (see scrapers/sources/terms.py)
DEFAULT_LANGUAGES = ("id",)
DEFAULT_COUNTRIES = ("id",)
_CODE_RE = re.compile(r"[a-z]{2}")
PROJECT_URL = "https://www.freelancer.com/projects/"
_TYPES = {"fixed": BudgetType.FIXED, "hourly": BudgetType.HOURLY}
_CENT = Decimal("0.01")


def _dict(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def _budget(project: dict[str, Any]) -> Budget:
    """Budget min/max in the project's currency; fixed or hourly from `type`."""
    budget = _dict(project.get("budget"))
    low, high = positive_decimal(budget.get("minimum")), positive_decimal(budget.get("maximum"))
    if low is None and high is None:
        return UNKNOWN_BUDGET
    if low is not None and high is not None and low > high:
        low, high = high, low
    code = _dict(project.get("currency")).get("code")
    return Budget(
        min=tidy_amount(low) if low is not None else None,
        max=tidy_amount(high) if high is not None else None,
        currency=code.upper() if isinstance(code, str) and code.strip() else None,
        type=_TYPES.get(str(project.get("type") or "").lower(), BudgetType.UNKNOWN),
    )


def _client_extra(client: dict[str, Any]) -> dict[str, str]:
    """Owner facts (username, country, payment verified, rating) that help judge a gig."""
    extra: dict[str, str] = {}
    if username := str(client.get("username") or "").strip():
        extra["client"] = username
    country = _dict(_dict(client.get("location")).get("country"))
    name, code = country.get("name"), country.get("code")
    if isinstance(name, str) and name.strip():
        extra["client_country"] = name.strip()
    if isinstance(code, str) and _CODE_RE.fullmatch(code.strip().lower()):
        extra["client_country_code"] = code.strip().lower()
    verified = _dict(client.get("status")).get("payment_verified")
    if isinstance(verified, bool):
        extra["client_payment_verified"] = "yes" if verified else "no"
    history = _dict(
        _dict(client.get("employer_reputation") or client.get("reputation")).get("entire_history")
    )
    reviews = history.get("reviews")
    if isinstance(reviews, int) and not isinstance(reviews, bool) and reviews > 0:
        extra["client_reviews"] = str(reviews)
        if (rating := positive_decimal(history.get("overall"))) is not None:
            extra["client_rating"] = str(rating.quantize(_CENT))
    return extra


def _parse_project(project: dict[str, Any], users: dict[str, Any]) -> Gig | None:
    """One project object to a Gig; None for deleted or incomplete records."""
    project_id = str(project.get("id") or "").strip()
    title = str(project.get("title") or "").strip()
    seo_url = str(project.get("seo_url") or "").strip().strip("/")
    if not project_id or not title or project.get("deleted") is True:
        return None
    bid_stats = _dict(project.get("bid_stats"))
    bid_count = bid_stats.get("bid_count")
    tags = tuple(
        dict.fromkeys(
            name.strip()
            for name in (_dict(job).get("name") for job in project.get("jobs") or [])
            if isinstance(name, str) and name.strip()
        )
    )
    client = _dict(project.get("client")) or _dict(users.get(str(project.get("owner_id"))))
    extra = _client_extra(client)
    if (bid_avg := positive_decimal(bid_stats.get("bid_avg"))) is not None:
        extra["bid_avg"] = str(bid_avg.quantize(_CENT))
    commitment = _dict(_dict(project.get("hourly_project_info")).get("commitment"))
    if commitment.get("hours") and commitment.get("interval"):
        extra["commitment"] = f"{commitment['hours']} hours/{commitment['interval']}"
    if project.get("status"):
        extra["status"] = str(project.get("frontend_project_status") or project["status"])
    language = project.get("language")
    language = language.strip().lower() if isinstance(language, str) and language.strip() else None
    if language:
        extra["listing_language"] = language  # as the client declared it on the platform
    return Gig(
        source=SOURCE,
        external_id=project_id,
        title=title,
        url=PROJECT_URL + (seo_url or project_id),
        text=str(project.get("description") or project.get("preview_description") or "").strip(),
        budget=_budget(project),
        posted_at=from_epoch(project.get("time_submitted") or project.get("submitdate")),
        tags=tags,
        language=language,
        bids=bid_count if isinstance(bid_count, int) and not isinstance(bid_count, bool) else None,
        extra=extra,
    )


def parse(payload: bytes) -> list[Gig]:
    """Parse the API envelope (`result.projects` + `result.users`) or a bare project array."""
    data = load_json(payload, parse_float=Decimal)
    users: dict[str, Any] = {}
    if isinstance(data, dict):
        result = _dict(data.get("result"))
        users = _dict(result.get("users"))
        data = result.get("projects")
    if not isinstance(data, list):
        return []
    projects = [project for project in data if isinstance(project, dict)]
    return unique_gigs(projects, lambda project: _parse_project(project, users))


def _codes(values: Iterable[str], what: str) -> list[str]:
    """Two-letter codes, lower case and de-duplicated; ValueError names a wrong one."""
    out = []
    for value in values:
        code = value.strip().lower()
        if not _CODE_RE.fullmatch(code):
            raise ValueError(f"{value!r} is not a two-letter {what} code (e.g. id)")
        out.append(code)
    return list(dict.fromkeys(out))


def filter_urls(url: str, languages: Iterable[str], countries: Iterable[str]) -> dict[str, str]:
    """The configured URL (every project) under "", plus one URL per filter asked for:
    "languages" (projects in these languages) and "countries" (projects from these
    countries). Codes are ISO two-letter codes; ValueError names a malformed one."""
    parts = urlsplit(url)
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("languages[]", "countries[]")
    ]
    urls = {"": url}
    for name, values in (
        ("languages", _codes(languages, "language")),
        ("countries", _codes(countries, "country")),
    ):
        if values:
            query = kept + [(f"{name}[]", v) for v in values]
            urls[name] = urlunsplit(parts._replace(query=urlencode(query)))
    return urls


def targets(name: str, config: SourceConfig, parse: Parser) -> list[FetchTarget]:
    """The main listing plus one request per configured language and per country."""
    languages = DEFAULT_LANGUAGES if config.languages is None else config.languages
    countries = DEFAULT_COUNTRIES if config.countries is None else config.countries
    urls = filter_urls(config.url, languages, countries)
    return [
        FetchTarget(f"{name}:{which}" if which else name, url, parse) for which, url in urls.items()
    ]
