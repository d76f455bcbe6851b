"""A source's fetch targets (one URL, its parser and its state key each), the settings a
source reads to build them, and client credentials for a source that offers OAuth."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from scrapers.model import Gig

Parser = Callable[[bytes], list[Gig]]


class SourceConfig(Protocol):
    """What a configured source says (the bot's configuration keeps one per section)."""

    @property
    def kind(self) -> str | None: ...
    @property
    def label(self) -> str | None: ...
    @property
    def url(self) -> str: ...
    @property
    def interval_seconds(self) -> int: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def channels(self) -> Sequence[str]: ...
    @property
    def selectors(self) -> Mapping[str, str]: ...
    @property
    def employment_types(self) -> Sequence[str] | None: ...
    @property
    def pages(self) -> int | None: ...
    @property
    def languages(self) -> Sequence[str] | None: ...
    @property
    def countries(self) -> Sequence[str] | None: ...
    @property
    def client_id(self) -> str: ...
    @property
    def client_secret(self) -> str: ...
    @property
    def oauth_url(self) -> str: ...
    @property
    def token_url(self) -> str: ...


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


TargetBuilder = Callable[[str, SourceConfig, Parser], list[FetchTarget]]


def with_source(parse: Parser, source: str) -> Parser:
    """Re-label gigs of a built-in parser used under another section name."""

    def parse_as(payload: bytes) -> list[Gig]:
        gigs = parse(payload)
        for gig in gigs:
            gig.source = source
        return gigs

    return parse_as


def single_target(name: str, config: SourceConfig, parse: Parser) -> list[FetchTarget]:
    """The one URL most sources are read from."""
    return [FetchTarget(name, config.url, parse)]
