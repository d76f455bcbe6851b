"""Everything needed to scrape one configured source: its label, interval, fetch targets
(each source builds its own), OAuth client and the shortest interval its terms allow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scrapers.sources import GENERIC_TARGETS, SOURCES
from scrapers.targets import FetchTarget, OAuthClient, SourceConfig, with_source


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


def plan_source(name: str, source: SourceConfig) -> SourcePlan:
    """The fetch targets of one configured source; ValueError when it cannot be built."""
    kind = source.kind or name
    if kind in GENERIC_TARGETS:
        targets = GENERIC_TARGETS[kind](name, source)
        return SourcePlan(name, source.label or name, source.interval_seconds, tuple(targets))
    spec = SOURCES[kind]
    parser = spec.parse if name == kind else with_source(spec.parse, name)
    oauth = spec.oauth(source) if spec.oauth else None
    targets = spec.targets(name, source, parser)
    label = source.label or spec.label
    min_interval = spec.terms.min_interval
    return SourcePlan(name, label, source.interval_seconds, tuple(targets), oauth, min_interval)


def plan_sources(sources: Mapping[str, SourceConfig]) -> dict[str, SourcePlan]:
    """Plans for every source given (the enabled ones)."""
    return {name: plan_source(name, source) for name, source in sources.items()}


def source_labels(sources: Mapping[str, SourceConfig]) -> dict[str, str]:
    """The name shown on alerts for every built-in and configured source (enabled or not)."""
    labels = {name: spec.label for name, spec in SOURCES.items()}
    for name, source in sources.items():
        kind = source.kind or name
        default = SOURCES[kind].label if kind in SOURCES else name
        labels[name] = source.label or default
    return labels
