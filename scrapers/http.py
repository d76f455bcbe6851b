"""A polite HTTP fetcher: one session, timeouts, size cap, conditional requests, never raises."""

from __future__ import annotations

import errno
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import aiohttp

__all__ = ["DEFAULT_USER_AGENT", "FetchResult", "Fetcher"]

DEFAULT_USER_AGENT = "Sambilan/0.1 (gig alert bot; set a contact URL via user_agent=)"
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchResult:
    """Outcome of one GET: status 0 means no HTTP response; `error` says what went wrong."""

    url: str
    status: int
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True for a 2xx response whose body was read in full."""
        return 200 <= self.status < 300 and self.body is not None and self.error is None

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to a conditional request."""
        return self.status == 304


def _seconds(value: float) -> str:
    """Format a timeout for messages: 20 -> "20s", 0.5 -> "0.5s"."""
    return f"{value:g}s"


class Fetcher:
    """Async context manager holding one aiohttp session for polite, bounded GET requests."""

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        total_timeout: float = 20,
        connect_timeout: float = 10,
        max_bytes: int = 2_000_000,
        max_redirects: int = 5,
        limit_per_host: int = 2,
    ) -> None:
        """Store settings; the session is opened by `async with`."""
        self.user_agent = user_agent
        self.total_timeout = total_timeout
        self.connect_timeout = connect_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.limit_per_host = limit_per_host
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
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url` (conditionally when etag/last_modified are given); never raises on I/O."""
        if self._session is None:
            raise RuntimeError("Fetcher must be used as 'async with Fetcher(...) as f'")
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()

        def result(
            status: int = 0,
            *,
            body: bytes | None = None,
            error: str | None = None,
            etag: str | None = None,
            last_modified: str | None = None,
        ) -> FetchResult:
            return FetchResult(
                url=url,
                status=status,
                body=body,
                etag=etag,
                last_modified=last_modified,
                error=error,
                elapsed=time.monotonic() - started,
            )

        try:
            async with self._session.get(
                url,
                headers=headers,
                allow_redirects=True,
                # aiohttp counts redirect responses, including the one that trips the limit.
                max_redirects=self.max_redirects + 1,
            ) as resp:
                new_etag = resp.headers.get("ETag") or etag
                new_modified = resp.headers.get("Last-Modified") or last_modified
                if resp.status == 304:
                    return result(304, etag=new_etag, last_modified=new_modified)
                if not 200 <= resp.status < 300:
                    return result(resp.status, error=f"HTTP {resp.status}")
                body = await self._read_capped(resp)
                if body is None:
                    too_big = f"response larger than {self.max_bytes} bytes"
                    return result(resp.status, error=too_big)
                return result(resp.status, body=body, etag=new_etag, last_modified=new_modified)
        except aiohttp.TooManyRedirects:
            return result(error=f"too many redirects (more than {self.max_redirects})")
        except aiohttp.ConnectionTimeoutError:
            return result(error=f"connect timeout after {_seconds(self.connect_timeout)}")
        except TimeoutError:
            return result(error=f"timeout after {_seconds(self.total_timeout)}")
        except aiohttp.InvalidURL:
            return result(error="invalid URL")
        except aiohttp.ClientConnectorError as exc:
            return result(error=_connect_reason(exc))
        except aiohttp.ClientError as exc:
            return result(error=f"network error: {type(exc).__name__}")
        except (OSError, ValueError) as exc:
            return result(error=f"network error: {type(exc).__name__}")

    async def _read_capped(self, resp: aiohttp.ClientResponse) -> bytes | None:
        """Read the body in chunks; None as soon as it exceeds `max_bytes`."""
        declared = resp.content_length
        if declared is not None and declared > self.max_bytes:
            return None
        buffer = bytearray()
        async for chunk in resp.content.iter_chunked(_CHUNK):
            buffer += chunk
            if len(buffer) > self.max_bytes:
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
