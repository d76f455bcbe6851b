"""Registry of gig sources: how to reach each one and how to parse what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scrapers.model import Gig
from scrapers.sources import (
    arbeitnow,
    dealls,
    fastwork,
    feed,
    freelancer,
    himalayas,
    hn_freelancer,
    html_selectors,
    jobicy,
    projects_co_id,
    reddit,
    remoteok,
    remotive,
    telegram_channel,
    weworkremotely,
)
from scrapers.sources.terms import NOT_STATED, SourceTerms
from scrapers.targets import FetchTarget, OAuthClient, SourceConfig, TargetBuilder, single_target

__all__ = ["GENERIC_TARGETS", "SOURCES", "SourceSpec", "SourceTerms"]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One source: registry name, label shown on alerts, default URL/interval, parser and the
    site's terms of use (scrapers/sources/terms.py)."""

    name: str
    label: str
    default_url: str
    default_interval: int
    parse: Callable[[bytes], list[Gig]]
    region: str = "global"
    enabled_by_default: bool = True
    terms: SourceTerms = NOT_STATED
    # Its fetch targets from its configuration (most: the one URL) and its OAuth, if any.
    targets: TargetBuilder = single_target
    oauth: Callable[[SourceConfig], OAuthClient | None] | None = None


SOURCES: dict[str, SourceSpec] = {
    spec.name: spec
    for spec in (
        # Indonesian first.
        SourceSpec(
            name="projects_co_id",
            label="Projects.co.id",
            default_url=(
                "https://projects.co.id/public/browse_projects/listing?filter=newest&page=1&ajax=1"
            ),
            default_interval=300,
            parse=projects_co_id.parse,
            terms=projects_co_id.TERMS,
            region="id",
        ),
        SourceSpec(
            name="fastwork",
            label="Fastwork",
            default_url=(
                "https://jobboard-api.fastwork.id/api/jobs?page=1&page_size=50"
                "&order_by[]=inserted_at&order_directions[]=desc"
            ),
            default_interval=600,
            parse=fastwork.parse,
            terms=fastwork.TERMS,
            region="id",
        ),
        SourceSpec(
            name="dealls",
            label="Dealls",
            # Pages and employment types are added from configuration (see dealls.page_urls).
            default_url=(
                "https://api.sejutacita.id/v1/explore-job/job?published=true&limit=18&status=active"
            ),
            default_interval=1800,
            parse=dealls.parse,
            terms=dealls.TERMS,
            targets=dealls.targets,
            region="id",
        ),
        SourceSpec(
            name="telegram",
            label="Telegram",
            # One URL per channel listed in configuration ({channel} is replaced).
            default_url="https://t.me/s/{channel}",
            default_interval=600,
            parse=telegram_channel.parse,
            terms=telegram_channel.TERMS,
            targets=telegram_channel.targets,
            region="id",
            enabled_by_default=False,
        ),
        # Global gig markets.
        SourceSpec(
            name="freelancer",
            label="Freelancer.com",
            default_url=(
                "https://www.freelancer.com/api/projects/0.1/projects/active/?compact=true"
                "&limit=50&full_description=true&job_details=true&user_details=true"
                "&user_status=true&user_reputation=true&user_employer_reputation=true"
                "&user_country_details=true"
                "&sort_field=time_submitted&sort_order=desc"
            ),
            default_interval=300,
            parse=freelancer.parse,
            terms=freelancer.TERMS,
            targets=freelancer.targets,
        ),
        SourceSpec(
            name="reddit",
            label="Reddit",
            default_url="https://www.reddit.com/r/forhire+slavelabour/new.json?limit=100",
            default_interval=600,
            parse=reddit.parse,
            terms=reddit.TERMS,
            targets=reddit.targets,
            oauth=reddit.oauth_client,
        ),
        SourceSpec(
            name="hn_freelancer",
            label="Hacker News",
            # The monthly "Freelancer? Seeking freelancer?" thread: set its item id.
            default_url="https://hn.algolia.com/api/v1/items/48357725",
            default_interval=3600,
            parse=hn_freelancer.parse,
            terms=hn_freelancer.TERMS,
        ),
        # Remote-job boards for breadth; intervals keep to each one's stated terms (TERMS).
        SourceSpec(
            name="remoteok",
            label="Remote OK",
            default_url="https://remoteok.com/api",
            default_interval=3600,
            parse=remoteok.parse,
            terms=remoteok.TERMS,
        ),
        SourceSpec(
            name="remotive",
            label="Remotive",
            default_url="https://remotive.com/api/remote-jobs",
            default_interval=21600,
            parse=remotive.parse,
            terms=remotive.TERMS,
        ),
        SourceSpec(
            name="weworkremotely",
            label="We Work Remotely",
            default_url="https://weworkremotely.com/remote-jobs.rss",
            default_interval=3600,
            parse=weworkremotely.parse,
            terms=weworkremotely.TERMS,
        ),
        SourceSpec(
            name="himalayas",
            label="Himalayas",
            default_url="https://himalayas.app/jobs/api?limit=20",
            default_interval=3600,
            parse=himalayas.parse,
            terms=himalayas.TERMS,
        ),
        SourceSpec(
            name="jobicy",
            label="Jobicy",
            default_url="https://jobicy.com/api/v2/remote-jobs?count=50",
            default_interval=21600,
            parse=jobicy.parse,
            terms=jobicy.TERMS,
        ),
        SourceSpec(
            name="arbeitnow",
            label="Arbeitnow",
            default_url="https://www.arbeitnow.com/api/job-board-api",
            default_interval=3600,
            parse=arbeitnow.parse,
            terms=arbeitnow.TERMS,
        ),
    )
}

# Generic kinds a configured section may use: "rss" (a feed) and "html" (CSS selectors).
GENERIC_TARGETS: dict[str, Callable[[str, SourceConfig], list[FetchTarget]]] = {
    "rss": feed.targets,
    "html": html_selectors.targets,
}
