"""Registry of gig sources: how to reach each one and how to parse what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scrapers.model import Gig
from scrapers.sources import projects_co_id, remoteok

__all__ = ["SOURCES", "SourceSpec", "get_source"]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One source: registry name, label shown on alerts, default URL/interval and parser."""

    name: str
    label: str
    default_url: str
    default_interval: int
    parse: Callable[[bytes], list[Gig]]


SOURCES: dict[str, SourceSpec] = {
    spec.name: spec
    for spec in (
        SourceSpec(
            name="projects_co_id",
            label="Projects.co.id",
            default_url=(
                "https://projects.co.id/public/browse_projects/listing?filter=newest&page=1&ajax=1"
            ),
            default_interval=300,
            parse=projects_co_id.parse,
        ),
        SourceSpec(
            name="remoteok",
            label="RemoteOK",
            default_url="https://remoteok.com/api",
            default_interval=3600,
            parse=remoteok.parse,
        ),
    )
}


def get_source(name: str) -> SourceSpec:
    """Look up a source by name; KeyError names the known sources when it is missing."""
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise KeyError(f"unknown source {name!r}; known sources: {known}") from None
