"""robots.txt for the fetcher: one fetch per origin, cached, read by protego (RFC 9309)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

__all__ = ["ROBOTS_MAX_BYTES", "RobotsCache", "RobotsRules", "origin_of", "rules_from_response"]

# RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt.
ROBOTS_MAX_BYTES = 512 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Loads the robots.txt at a URL: (HTTP status, body), status 0 when no response came back.
RobotsLoader = Callable[[str], Awaitable[tuple[int, bytes | None]]]


def origin_of(url: str) -> str:
    """The host key of a URL, "scheme://host:port"; ValueError when the URL has no host."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"not an http(s) URL: {url!r}")
    port = parts.port or _DEFAULT_PORTS[scheme]  # .port raises ValueError when malformed
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt says, and until when we believe it."""

    parser: Protego | None
    allow_all: bool
    expires_at: float
    crawl_delay: float | None = None

    def allows(self, user_agent: str, url: str) -> bool:
        """True when `user_agent` may fetch `url`."""
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, user_agent))


def rules_from_response(
    status: int,
    body: bytes | None,
    *,
    user_agent: str,
    now: float,
    ttl: float,
    retry_ttl: float,
) -> RobotsRules:
    """Turn a robots.txt response into rules (404/410 allow all, 401/403 deny all)."""
    if 200 <= status < 300 and body is not None:
        parser = Protego.parse(body.decode("utf-8", errors="replace"))
        delay = parser.crawl_delay(user_agent)
        return RobotsRules(
            parser=parser,
            allow_all=True,
            expires_at=now + ttl,
            crawl_delay=float(delay) if delay else None,
        )
    if status in (401, 403):
        return RobotsRules(parser=None, allow_all=False, expires_at=now + ttl)
    if 400 <= status < 500 and status != 429:
        return RobotsRules(parser=None, allow_all=True, expires_at=now + ttl)
    # 5xx, 429, an oversized body, a redirect loop or no answer at all: assume allowed for now
    # and ask again soon.
    return RobotsRules(parser=None, allow_all=True, expires_at=now + retry_ttl)


class RobotsCache:
    """Per-origin robots.txt rules, fetched once per TTL (concurrent callers share the fetch)."""

    def __init__(
        self,
        user_agent: str,
        *,
        ttl: float = 24 * 3600,
        retry_ttl: float = 600,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Remember the agent the rules are read for and how long they stay valid."""
        self.user_agent = user_agent
        self.ttl = ttl
        self.retry_ttl = retry_ttl
        self._clock = clock
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, origin: str, load: RobotsLoader) -> RobotsRules:
        """The cached rules for `origin`, loading `origin/robots.txt` when missing or stale."""
        async with self._locks.setdefault(origin, asyncio.Lock()):
            rules = self._rules.get(origin)
            if rules is not None and rules.expires_at > self._clock():
                return rules
            status, body = await load(f"{origin}/robots.txt")
            rules = rules_from_response(
                status,
                body,
                user_agent=self.user_agent,
                now=self._clock(),
                ttl=self.ttl,
                retry_ttl=self.retry_ttl,
            )
            self._rules[origin] = rules
            return rules
