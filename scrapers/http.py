"""A polite HTTP fetcher: robots.txt, per-host pacing, retries with backoff, never raises."""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Self

import aiohttp

from scrapers.robots import ROBOTS_MAX_BYTES, RobotsCache, origin_of

__all__ = ["DEFAULT_USER_AGENT", "DISALLOWED", "FetchResult", "Fetcher", "parse_retry_after"]

DEFAULT_USER_AGENT = "Sambilan/0.1 (gig alert bot; set a contact URL via user_agent=)"
DISALLOWED = "disallowed by robots.txt"
_CHUNK = 64 * 1024
# Statuses whose Retry-After header we obey.
_RETRY_AFTER_STATUSES = (429, 503)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """Outcome of one request: status 0 means no HTTP response; `error` says what went wrong."""

    url: str
    status: int
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    elapsed: float = 0.0
    # Seconds the server (or our own pacing) asks us to wait before the next attempt.
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        """True for a 2xx response whose body was read in full."""
        return 200 <= self.status < 300 and self.body is not None and self.error is None

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to a conditional request."""
        return self.status == 304


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, seconds)


def _seconds(value: float) -> str:
    """Format a duration for messages: 20 -> "20s", 0.5 -> "0.5s"."""
    return f"{value:g}s"


@dataclass(slots=True)
class _HostGate:
    """Pacing state of one origin: when the last request started, and any server-imposed pause."""

    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)
    last_start: float = -math.inf
    not_before: float = -math.inf


class Fetcher:
    """Async context manager holding one aiohttp session for polite, bounded requests."""

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        total_timeout: float = 20,
        connect_timeout: float = 10,
        max_bytes: int = 2_000_000,
        max_redirects: int = 5,
        limit_per_host: int = 2,
        respect_robots: bool = True,
        robots_ttl: float = 24 * 3600,
        robots_retry_ttl: float = 600,
        min_host_interval: float = 1.0,
        retries: int = 2,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_retry_after: float = 60.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        """Store settings; the session is opened by `async with`."""
        self.user_agent = user_agent
        self.total_timeout = total_timeout
        self.connect_timeout = connect_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.limit_per_host = limit_per_host
        self.respect_robots = respect_robots
        self.min_host_interval = min_host_interval
        self.retries = retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self.robots = RobotsCache(
            user_agent, ttl=robots_ttl, retry_ttl=robots_retry_ttl, clock=clock
        )
        self._gates: dict[str, _HostGate] = {}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        """Open the shared session."""
        timeout = aiohttp.ClientTimeout(
            total=self.total_timeout,
            connect=self.connect_timeout,
            sock_connect=self.connect_timeout,
        )
        self._session = aiohttp.ClientSession(
            timeout=timeout,
            headers={"User-Agent": self.user_agent},
            connector=aiohttp.TCPConnector(limit_per_host=self.limit_per_host),
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: Mapping[str, str] | None = None,
        respect_robots: bool | None = None,
    ) -> FetchResult:
        """GET `url` (conditionally when etag/last_modified are given); never raises on I/O."""
        sent = dict(headers or {})
        if etag:
            sent["If-None-Match"] = etag
        if last_modified:
            sent["If-Modified-Since"] = last_modified
        robots = self.respect_robots if respect_robots is None else respect_robots
        return await self._request(
            "GET", url, headers=sent, robots=robots, etag=etag, last_modified=last_modified
        )

    async def post_form(
        self,
        url: str,
        data: Mapping[str, str],
        *,
        auth: tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        respect_robots: bool = False,
    ) -> FetchResult:
        """POST a form (e.g. to an OAuth token endpoint) with pacing, retries and the size cap."""
        sent = dict(headers or {})
        if auth is not None:
            sent["Authorization"] = aiohttp.encode_basic_auth(*auth)
        return await self._request(
            "POST", url, headers=sent, data=dict(data), robots=respect_robots
        )

    async def _request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        robots: bool,
        data: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Robots check, pacing and the retry loop around `_attempt`."""
        if self._session is None:
            raise RuntimeError("Fetcher must be used as 'async with Fetcher(...) as f'")
        started = time.monotonic()

        def finish(result: FetchResult) -> FetchResult:
            return dataclasses.replace(result, elapsed=time.monotonic() - started)

        try:
            origin = origin_of(url)
        except ValueError:
            return finish(FetchResult(url=url, status=0, error="invalid URL"))
        interval = self.min_host_interval
        if robots:
            # A host that told us to go away: don't even ask for its robots.txt now.
            refused = self._wait_needed(origin, interval)
            if refused > self.max_retry_after:
                return finish(self._paused(url, refused))
            rules = await self.robots.rules_for(origin, self._load_robots)
            if not rules.allows(self.user_agent, url):
                return finish(FetchResult(url=url, status=0, error=DISALLOWED))
            interval = max(interval, rules.crawl_delay or 0.0)
        attempt = 0
        while True:
            paused = await self._pace(origin, interval)
            if paused is not None:
                return finish(self._paused(url, paused))
            result, transient = await self._attempt(
                method,
                url,
                headers=headers,
                data=data,
                etag=etag,
                last_modified=last_modified,
                max_bytes=self.max_bytes,
            )
            if result.retry_after is not None:
                self._defer(origin, result.retry_after)
            retryable = transient or result.status == 429 or result.status >= 500
            if not retryable or attempt >= self.retries:
                return finish(result)
            if result.retry_after is not None and result.retry_after > self.max_retry_after:
                return finish(result)
            attempt += 1
            # Full jitter; a Retry-After pause is enforced by `_pace` on top of it.
            await self._sleep(self._backoff(attempt))

    def _backoff(self, attempt: int) -> float:
        """A random delay in [0, min(cap, base * 2**(attempt-1))]."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return self._rng.uniform(0, ceiling)

    def _gate(self, origin: str) -> _HostGate:
        return self._gates.setdefault(origin, _HostGate())

    def _wait_needed(self, origin: str, interval: float) -> float:
        """Seconds until the next request to `origin` may start."""
        gate = self._gate(origin)
        return max(0.0, max(gate.not_before, gate.last_start + interval) - self._clock())

    async def _pace(self, origin: str, interval: float) -> float | None:
        """Wait for our turn on `origin`; the refused wait when it exceeds `max_retry_after`."""
        gate = self._gate(origin)
        async with gate.lock:
            now = self._clock()
            start = max(now, gate.not_before, gate.last_start + interval)
            wait = start - now
            if wait > self.max_retry_after:
                return wait
            if wait > 0:
                await self._sleep(wait)
            gate.last_start = start
        return None

    def _defer(self, origin: str, seconds: float) -> None:
        """Hold back every request to `origin` for `seconds` (a server's Retry-After)."""
        gate = self._gate(origin)
        gate.not_before = max(gate.not_before, self._clock() + seconds)

    def _paused(self, url: str, wait: float) -> FetchResult:
        """The result for a request we did not send because the host asked us to wait."""
        return FetchResult(
            url=url,
            status=0,
            error=f"host paused: next request allowed in {_seconds(round(wait, 1))}",
            retry_after=wait,
        )

    async def _load_robots(self, url: str) -> tuple[int, bytes | None]:
        """Fetch one robots.txt (paced, a single attempt) for the robots cache."""
        origin = origin_of(url)
        if await self._pace(origin, self.min_host_interval) is not None:
            return 0, None
        result, _ = await self._attempt("GET", url, headers={}, max_bytes=ROBOTS_MAX_BYTES)
        if result.retry_after is not None:
            self._defer(origin, result.retry_after)
        return result.status, result.body

    async def _attempt(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        max_bytes: int,
        data: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> tuple[FetchResult, bool]:
        """One request; the result and whether a failure is worth retrying."""
        assert self._session is not None

        def result(
            status: int = 0,
            *,
            body: bytes | None = None,
            error: str | None = None,
            etag: str | None = None,
            last_modified: str | None = None,
            retry_after: float | None = None,
        ) -> FetchResult:
            return FetchResult(
                url=url,
                status=status,
                body=body,
                etag=etag,
                last_modified=last_modified,
                error=error,
                retry_after=retry_after,
            )

        try:
            async with self._session.request(
                method,
                url,
                headers=headers,
                data=data,
                allow_redirects=True,
                # aiohttp counts redirect responses, including the one that trips the limit.
                max_redirects=self.max_redirects + 1,
            ) as resp:
                new_etag = resp.headers.get("ETag") or etag
                new_modified = resp.headers.get("Last-Modified") or last_modified
                if resp.status == 304:
                    return result(304, etag=new_etag, last_modified=new_modified), False
                if not 200 <= resp.status < 300:
                    wait = None
                    if resp.status in _RETRY_AFTER_STATUSES:
                        wait = parse_retry_after(resp.headers.get("Retry-After"))
                    return result(resp.status, error=f"HTTP {resp.status}", retry_after=wait), False
                body = await _read_capped(resp, max_bytes)
                if body is None:
                    too_big = f"response larger than {max_bytes} bytes"
                    return result(resp.status, error=too_big), False
                ok = result(resp.status, body=body, etag=new_etag, last_modified=new_modified)
                return ok, False
        except aiohttp.TooManyRedirects:
            return result(error=f"too many redirects (more than {self.max_redirects})"), False
        except aiohttp.ConnectionTimeoutError:
            return result(error=f"connect timeout after {_seconds(self.connect_timeout)}"), True
        except TimeoutError:
            return result(error=f"timeout after {_seconds(self.total_timeout)}"), True
        except aiohttp.InvalidURL:
            return result(error="invalid URL"), False
        except aiohttp.ClientConnectorError as exc:
            return result(error=_connect_reason(exc)), True
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
            return result(error=f"network error: {type(exc).__name__}"), True
        except aiohttp.ClientError as exc:
            return result(error=f"network error: {type(exc).__name__}"), False
        except (OSError, ValueError) as exc:
            return result(error=f"network error: {type(exc).__name__}"), isinstance(exc, OSError)


async def _read_capped(resp: aiohttp.ClientResponse, max_bytes: int) -> bytes | None:
    """Read the body in chunks; None when Content-Length or the bytes read exceed `max_bytes`."""
    declared = resp.content_length
    if declared is not None and declared > max_bytes:
        return None
    buffer = bytearray()
    async for chunk in resp.content.iter_chunked(_CHUNK):
        buffer += chunk
        if len(buffer) > max_bytes:
            return None
    return bytes(buffer)


def _connect_reason(exc: aiohttp.ClientConnectorError) -> str:
    """A short reason for a failed connection."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"DNS lookup failed for {exc.host}"
    os_error = exc.os_error
    if getattr(os_error, "errno", None) == errno.ECONNREFUSED or isinstance(
        os_error, ConnectionRefusedError
    ):
        return "connection refused"
    return f"connection failed: {getattr(os_error, 'strerror', None) or type(os_error).__name__}"
