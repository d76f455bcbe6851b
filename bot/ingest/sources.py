"""Turn configured sources into fetch targets: one URL, its parser and its state key each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from bot.app.config import Settings, SourceSettings
from scrapers.model import Gig
from scrapers.sources import SOURCES, dealls, freelancer
from scrapers.sources.feed import parse_feed
from scrapers.sources.html_selectors import SelectorSpec, parse_with_selectors
from scrapers.sources.telegram_channel import parse_channel

Parser = Callable[[bytes], list[Gig]]


@dataclass(frozen=True, slots=True)
class FetchTarget:
    """One URL to fetch: `key` names its fetch state (ETag, health) in the database."""

    key: str
    url: str
    parse: Parser


@dataclass(frozen=True, slots=True)
class OAuthClient:
    """Client-credentials OAuth for a source that offers it (Reddit)."""

    client_id: str
    client_secret: str
    token_url: str


@dataclass(frozen=True, slots=True)
class SourcePlan:
    """Everything needed to scrape one configured source."""

    name: str
    label: str
    interval_seconds: int
    targets: tuple[FetchTarget, ...]
    oauth: OAuthClient | None = None
    # The source's terms: never two requests for one target sooner than this (seconds).
    min_interval: int | None = None


def _with_source(parse: Parser, source: str) -> Parser:
    """Re-label gigs of a built-in parser used under another section name."""

    def parse_as(payload: bytes) -> list[Gig]:
        gigs = parse(payload)
        for gig in gigs:
            gig.source = source
        return gigs

    return parse_as


def plan_source(name: str, source: SourceSettings) -> SourcePlan:
    """The fetch targets of one configured source; ValueError when it cannot be built."""
    kind = source.kind or name
    spec = SOURCES.get(kind)
    label = source.label or (spec.label if spec else name)
    oauth = None
    if kind == "rss":
        targets = [FetchTarget(name, source.url, partial(parse_feed, source=name))]
    elif kind == "html":
        selectors = dict(source.selectors)
        spec_html = SelectorSpec(**selectors)
        parser = partial(parse_with_selectors, spec=spec_html, source=name, base_url=source.url)
        targets = [FetchTarget(name, source.url, parser)]
    elif kind == "telegram":
        targets = [
            FetchTarget(
                f"{name}:{channel}",
                source.url.replace("{channel}", channel),
                _with_source(
                    partial(parse_channel, channel=channel, default_currency=source.currency),
                    name,
                ),
            )
            for channel in source.channels
        ]
    elif kind == "dealls":
        parser = spec.parse if spec and name == kind else _with_source(dealls.parse, name)
        employment = (
            dealls.DEFAULT_EMPLOYMENT
            if source.employment_types is None
            else source.employment_types
        )
        urls = dealls.page_urls(source.url, employment, source.pages or dealls.DEFAULT_PAGES)
        targets = [FetchTarget(f"{name}:p{n}", url, parser) for n, url in enumerate(urls, 1)]
    elif kind == "freelancer":
        parser = spec.parse if spec and name == kind else _with_source(freelancer.parse, name)
        languages = freelancer.DEFAULT_LANGUAGES if source.languages is None else source.languages
        countries = freelancer.DEFAULT_COUNTRIES if source.countries is None else source.countries
        urls = freelancer.filter_urls(source.url, languages, countries)
        targets = [
            FetchTarget(f"{name}:{which}" if which else name, url, parser)
            for which, url in urls.items()
        ]
    else:
        assert spec is not None
        parser = spec.parse if name == kind else _with_source(spec.parse, name)
        url = source.url
        if kind == "reddit" and source.client_id and source.client_secret:
            oauth = OAuthClient(source.client_id, source.client_secret, source.token_url)
            url = source.oauth_url
        targets = [FetchTarget(name, url, parser)]
    min_interval = spec.terms.min_interval if spec else None
    return SourcePlan(name, label, source.interval_seconds, tuple(targets), oauth, min_interval)


def plan_sources(settings: Settings) -> dict[str, SourcePlan]:
    """Plans for every enabled source."""
    return {name: plan_source(name, s) for name, s in settings.enabled_sources().items()}


def source_labels(settings: Settings) -> dict[str, str]:
    """The name shown on alerts for every configured source (enabled or not)."""
    labels = {name: spec.label for name, spec in SOURCES.items()}
    for name, source in settings.sources.items():
        kind = source.kind or name
        default = SOURCES[kind].label if kind in SOURCES else name
        labels[name] = source.label or default
    return labels
