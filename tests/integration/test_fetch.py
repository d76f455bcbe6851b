"""Fetcher against local aiohttp servers on 127.0.0.1 (no network needed)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import random
import socket
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from scrapers.http import DISALLOWED, Fetcher, FetchResult, parse_retry_after
from scrapers.robots import origin_of, rules_from_response

BODY = b'[{"id": "1"}]'
GARBAGE = b"\x89PNG\x00\xff{{not json<<<\r\n\x1b[0m"
ETAG = '"v1"'
LAST_MODIFIED = "Tue, 01 Aug 2023 15:22:43 GMT"
SEEN = web.AppKey("seen", dict)


@dataclass
class State:
    """What the test server was asked, and what it should answer where that is configurable."""

    hits: Counter[str] = field(default_factory=Counter)
    times: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    robots_status: int = 404
    robots_text: str = ""
    flaky_failures: int = 0
    limited_status: int = 429
    limited_retry_after: str | None = None
    limited_left: int = 1
    posted: dict[str, Any] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)


STATE = web.AppKey("state", State)


def fast(**options: Any) -> Fetcher:
    """A Fetcher with test-sized waits; options override them."""
    defaults: dict[str, Any] = {"min_host_interval": 0, "backoff_base": 0.01}
    return Fetcher(**{**defaults, **options})


def _app(release: asyncio.Event) -> web.Application:
    """A small app with one route per behaviour under test."""
    app = web.Application()
    app[SEEN] = {}
    state = app[STATE] = State()

    @web.middleware
    async def count(request: web.Request, handler: Any) -> web.StreamResponse:
        state.hits[request.path] += 1
        state.times[request.path].append(time.monotonic())
        return await handler(request)

    app.middlewares.append(count)

    async def robots(request: web.Request) -> web.Response:
        return web.Response(status=state.robots_status, text=state.robots_text)

    async def ok(request: web.Request) -> web.Response:
        app[SEEN]["ok"] = dict(request.headers)
        return web.Response(body=BODY, headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})

    async def boom(request: web.Request) -> web.Response:
        return web.Response(status=500, text="kaboom")

    async def flaky(request: web.Request) -> web.Response:
        if state.flaky_failures > 0:
            state.flaky_failures -= 1
            return web.Response(status=500, text="try again")
        return web.Response(body=BODY)

    async def limited(request: web.Request) -> web.Response:
        if state.limited_left > 0:
            state.limited_left -= 1
            headers = {}
            if state.limited_retry_after is not None:
                headers["Retry-After"] = state.limited_retry_after
            return web.Response(status=state.limited_status, headers=headers, text="slow down")
        return web.Response(body=BODY)

    async def missing(request: web.Request) -> web.Response:
        return web.Response(status=404, text="gone")

    async def garbage(request: web.Request) -> web.Response:
        return web.Response(body=GARBAGE, content_type="application/json")

    async def slow(request: web.Request) -> web.Response:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(release.wait(), timeout=5)
        return web.Response(body=BODY)

    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 5000)

    async def big_chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for _ in range(10):
            await resp.write(b"y" * 500)
        await resp.write_eof()
        return resp

    async def big_declared(request: web.Request) -> web.StreamResponse:
        # Announces 10 MB, sends a few bytes, then stalls until the test ends: only the
        # Content-Length check can answer before that.
        resp = web.StreamResponse()
        resp.content_length = 10_000_000
        await resp.prepare(request)
        await resp.write(b"z" * 10)
        await release.wait()
        state.finished.add(request.path)
        return resp

    async def conditional(request: web.Request) -> web.Response:
        app[SEEN]["conditional"] = dict(request.headers)
        if request.headers.get("If-None-Match") == ETAG:
            return web.Response(status=304, headers={"ETag": ETAG})
        return web.Response(body=BODY, headers={"ETag": ETAG})

    async def loop(request: web.Request) -> web.Response:
        app[SEEN]["loop"] = app[SEEN].get("loop", 0) + 1
        raise web.HTTPFound("/loop")

    async def hop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/ok")

    async def chain(request: web.Request) -> web.Response:
        left = int(request.match_info["left"])
        if left == 0:
            return web.Response(body=BODY)
        raise web.HTTPFound(f"/chain/{left - 1}")

    async def ua(request: web.Request) -> web.Response:
        return web.Response(text=request.headers.get("User-Agent", ""))

    async def echo_headers(request: web.Request) -> web.Response:
        app[SEEN]["headers"] = dict(request.headers)
        return web.Response(body=BODY)

    async def token(request: web.Request) -> web.Response:
        state.posted = {
            "authorization": request.headers.get("Authorization"),
            "content_type": request.content_type,
            "form": dict(await request.post()),
            "extra": request.headers.get("X-Extra"),
        }
        return web.json_response({"access_token": "t0k3n", "expires_in": 3600})

    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/ok", ok)
    app.router.add_get("/boom", boom)
    app.router.add_route("*", "/flaky", flaky)
    app.router.add_get("/limited", limited)
    app.router.add_get("/missing", missing)
    app.router.add_get("/garbage", garbage)
    app.router.add_get("/slow", slow)
    app.router.add_get("/big", big)
    app.router.add_get("/big-chunked", big_chunked)
    app.router.add_get("/big-declared", big_declared)
    app.router.add_get("/conditional", conditional)
    app.router.add_get("/loop", loop)
    app.router.add_get("/hop", hop)
    app.router.add_get("/chain/{left}", chain)
    app.router.add_get("/ua", ua)
    app.router.add_get("/headers", echo_headers)
    app.router.add_get("/private/{tail:.*}", ok)
    app.router.add_post("/token", token)
    return app


@contextlib.asynccontextmanager
async def _serving() -> AsyncIterator[TestServer]:
    release = asyncio.Event()
    test_server = TestServer(_app(release), host="127.0.0.1", port=0)
    await test_server.start_server()
    try:
        yield test_server
    finally:
        release.set()
        await test_server.close()


@pytest.fixture
async def server() -> AsyncIterator[TestServer]:
    async with _serving() as test_server:
        yield test_server


@pytest.fixture
async def other_server() -> AsyncIterator[TestServer]:
    async with _serving() as test_server:
        yield test_server


def _url(server: TestServer, path: str) -> str:
    return str(server.make_url(path))


def _state(server: TestServer) -> State:
    return server.app[STATE]


# --- basics (one attempt each unless retries are the point) ---


async def test_200_ok_returns_body_and_validators(server: TestServer) -> None:
    async with fast(user_agent="test-agent") as fetcher:
        result = await fetcher.fetch(_url(server, "/ok"))
    assert isinstance(result, FetchResult)
    assert result.ok and not result.not_modified
    assert result.status == 200
    assert result.body == BODY
    assert result.etag == ETAG
    assert result.last_modified == LAST_MODIFIED
    assert result.error is None
    assert result.retry_after is None
    assert result.url == _url(server, "/ok")
    assert result.elapsed >= 0
    assert "If-None-Match" not in server.app[SEEN]["ok"]
    assert "If-Modified-Since" not in server.app[SEEN]["ok"]
    assert _state(server).hits["/ok"] == 1


async def test_defaults_are_polite() -> None:
    fetcher = Fetcher()
    assert fetcher.respect_robots is True
    assert fetcher.min_host_interval == 1.0
    assert fetcher.retries == 2
    assert fetcher.backoff_base == 0.5
    assert fetcher.max_retry_after == 60.0
    assert fetcher.max_redirects == 5


async def test_garbage_body_is_returned_as_is(server: TestServer) -> None:
    async with fast() as fetcher:
        result = await fetcher.fetch(_url(server, "/garbage"))
    assert result.ok
    assert result.body == GARBAGE


async def test_http_500_is_an_error_result(server: TestServer) -> None:
    async with fast() as fetcher:
        result = await fetcher.fetch(_url(server, "/boom"))
    assert result.status == 500
    assert result.error == "HTTP 500"
    assert result.body is None
    assert not result.ok


async def test_timeout_is_reported_not_raised(server: TestServer) -> None:
    async with fast(total_timeout=0.3, connect_timeout=0.3, retries=0) as fetcher:
        result = await fetcher.fetch(_url(server, "/slow"))
    assert result.status == 0
    assert result.error == "timeout after 0.3s"
    assert result.body is None
    assert result.elapsed >= 0.25
    assert _state(server).hits["/slow"] == 1


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
async def test_oversized_body_is_cut_off(server: TestServer, path: str) -> None:
    async with fast(max_bytes=1000) as fetcher:
        result = await fetcher.fetch(_url(server, path))
    assert result.status == 200
    assert result.error == "response larger than 1000 bytes"
    assert result.body is None
    assert not result.ok
    assert _state(server).hits[path] == 1  # a too-large body is not retried


async def test_declared_content_length_is_refused_before_reading(server: TestServer) -> None:
    async with fast(max_bytes=1000, total_timeout=3) as fetcher:
        result = await fetcher.fetch(_url(server, "/big-declared"))
    # Only 10 bytes ever arrive, so counting bytes could not say "larger"; and the answer
    # came while the server was still stalling, so nothing waited for the body.
    assert result.error == "response larger than 1000 bytes"
    assert "/big-declared" not in _state(server).finished


async def test_body_exactly_at_the_limit_is_accepted(server: TestServer) -> None:
    async with fast(max_bytes=5000) as fetcher:
        result = await fetcher.fetch(_url(server, "/big"))
    assert result.ok
    assert result.body is not None and len(result.body) == 5000


async def test_304_when_if_none_match_is_sent(server: TestServer) -> None:
    async with fast() as fetcher:
        result = await fetcher.fetch(
            _url(server, "/conditional"), etag=ETAG, last_modified=LAST_MODIFIED
        )
    seen = server.app[SEEN]["conditional"]
    assert seen["If-None-Match"] == ETAG
    assert seen["If-Modified-Since"] == LAST_MODIFIED
    assert result.status == 304
    assert result.not_modified
    assert not result.ok
    assert result.body is None
    assert result.error is None
    assert result.etag == ETAG
    assert result.last_modified == LAST_MODIFIED  # kept from the request
    assert _state(server).hits["/conditional"] == 1


async def test_stale_etag_gets_full_body(server: TestServer) -> None:
    async with fast() as fetcher:
        result = await fetcher.fetch(_url(server, "/conditional"), etag='"old"')
    assert result.ok and result.body == BODY
    assert result.etag == ETAG


async def test_redirect_loop_gives_up_after_five(server: TestServer) -> None:
    async with fast() as fetcher:
        result = await fetcher.fetch(_url(server, "/loop"))
    assert result.status == 0
    assert result.error == "too many redirects (more than 5)"
    assert result.body is None
    assert server.app[SEEN]["loop"] == 6  # the first request plus five redirects, no retry


async def test_up_to_five_redirects_are_followed(server: TestServer) -> None:
    async with fast() as fetcher:
        one = await fetcher.fetch(_url(server, "/hop"))
        five = await fetcher.fetch(_url(server, "/chain/5"))
        six = await fetcher.fetch(_url(server, "/chain/6"))
    assert one.ok and one.body == BODY
    assert five.ok and five.body == BODY
    assert five.url == _url(server, "/chain/5")
    assert not six.ok and six.error == "too many redirects (more than 5)"


async def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The socket is closed and never listened on, so nothing accepts connections there.
    async with fast(total_timeout=5, connect_timeout=2) as fetcher:
        result = await fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert result.status == 0
    assert result.error == "connection refused"
    assert result.body is None and not result.ok


@pytest.mark.parametrize("url", ["not a url", "ftp://example.com/x", "http://127.0.0.1:80:bad/"])
async def test_invalid_url_is_reported(url: str) -> None:
    async with fast() as fetcher:
        result = await fetcher.fetch(url)
    assert result.status == 0
    assert result.error == "invalid URL" and not result.ok


async def test_user_agent_header_is_sent(server: TestServer) -> None:
    async with fast(user_agent="SambilanTest/9.9 (+contact)") as fetcher:
        result = await fetcher.fetch(_url(server, "/ua"))
        again = await fetcher.fetch(_url(server, "/ua"))
    assert result.body == b"SambilanTest/9.9 (+contact)"
    assert again.body == result.body


async def test_custom_headers_are_sent(server: TestServer) -> None:
    async with fast(user_agent="SambilanTest/1.0") as fetcher:
        result = await fetcher.fetch(
            _url(server, "/headers"),
            headers={"Authorization": "bearer abc123", "Accept": "application/json"},
        )
    seen = server.app[SEEN]["headers"]
    assert result.ok
    assert seen["Authorization"] == "bearer abc123"
    assert seen["Accept"] == "application/json"
    assert seen["User-Agent"] == "SambilanTest/1.0"


async def test_fetch_outside_context_manager_is_a_programming_error() -> None:
    fetcher = Fetcher()
    with pytest.raises(RuntimeError, match="async with"):
        await fetcher.fetch("http://127.0.0.1:1/")


# --- retries with backoff ---


class RecordingSleep:
    """An injectable sleep that records every wait and really sleeps (so timing stays honest)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(seconds)


class FakeTime:
    """A clock that only moves when the fetcher sleeps; sleeping is instant and recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        """The fake monotonic time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Record the wait, move the clock on, and let other tasks run."""
        self.waits.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_500_then_success_after_retries(server: TestServer) -> None:
    _state(server).flaky_failures = 2
    async with fast(retries=2) as fetcher:
        result = await fetcher.fetch(_url(server, "/flaky"))
    assert result.ok and result.body == BODY
    assert _state(server).hits["/flaky"] == 3


async def test_500_forever_gives_up_after_retries_plus_one(server: TestServer) -> None:
    sleep = RecordingSleep()
    async with fast(retries=3, backoff_base=0.02, sleep=sleep, rng=random.Random(7)) as fetcher:
        result = await fetcher.fetch(_url(server, "/boom"))
    assert result.status == 500 and result.error == "HTTP 500"
    assert _state(server).hits["/boom"] == 4
    # Full jitter: each backoff is somewhere in [0, base * 2**(n-1)].
    assert len(sleep.waits) == 3
    for n, wait in enumerate(sleep.waits, start=1):
        assert 0 <= wait <= 0.02 * 2 ** (n - 1)


async def test_backoff_is_capped() -> None:
    fetcher = Fetcher(backoff_base=1, backoff_cap=3, rng=random.Random(1))
    waits = [fetcher._backoff(attempt) for attempt in range(1, 30)]
    assert all(0 <= wait <= 3 for wait in waits)
    assert max(waits[5:]) > 1  # the ceiling grew to the cap


async def test_4xx_is_not_retried(server: TestServer) -> None:
    async with fast(retries=3) as fetcher:
        result = await fetcher.fetch(_url(server, "/missing"))
    assert result.status == 404 and result.error == "HTTP 404"
    assert _state(server).hits["/missing"] == 1


async def test_timeout_is_retried(server: TestServer) -> None:
    async with fast(total_timeout=0.2, connect_timeout=0.2, retries=1) as fetcher:
        result = await fetcher.fetch(_url(server, "/slow"))
    assert result.status == 0 and result.error == "timeout after 0.2s"
    assert _state(server).hits["/slow"] == 2


async def test_connection_refused_is_retried() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleep = RecordingSleep()
    async with fast(retries=2, sleep=sleep, respect_robots=False) as fetcher:
        result = await fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert result.error == "connection refused"
    assert len(sleep.waits) == 2  # two backoffs: three attempts


# --- Retry-After ---


async def test_429_with_short_retry_after_waits_and_succeeds(server: TestServer) -> None:
    state = _state(server)
    state.limited_retry_after = "1"
    async with fast(retries=2) as fetcher:
        result = await fetcher.fetch(_url(server, "/limited"))
    assert result.ok and result.body == BODY
    first, second = state.times["/limited"]
    assert second - first >= 0.95


async def test_429_with_long_retry_after_returns_at_once(server: TestServer) -> None:
    state = _state(server)
    state.limited_retry_after = "3600"
    sleep = RecordingSleep()
    async with fast(retries=2, sleep=sleep) as fetcher:
        result = await fetcher.fetch(_url(server, "/limited"))
        # The host is now paused for us: the next call does not even reach it.
        later = await fetcher.fetch(_url(server, "/ok"))
    assert result.status == 429 and result.error == "HTTP 429" and not result.ok
    assert result.retry_after == 3600
    assert sleep.waits == []  # neither call waited: both answered at once
    assert state.hits["/limited"] == 1
    assert later.status == 0 and later.retry_after is not None
    assert 3590 < later.retry_after <= 3600
    assert later.error is not None and later.error.startswith("host paused")
    assert state.hits["/ok"] == 0


async def test_503_with_http_date_retry_after(server: TestServer) -> None:
    state = _state(server)
    state.limited_status = 503
    state.limited_retry_after = format_datetime(datetime.now(UTC) + timedelta(hours=2), True)
    async with fast() as fetcher:
        result = await fetcher.fetch(_url(server, "/limited"))
    assert result.status == 503
    assert result.retry_after is not None and 7100 < result.retry_after <= 7200
    assert state.hits["/limited"] == 1


async def test_429_without_retry_after_is_retried_with_backoff(server: TestServer) -> None:
    state = _state(server)
    state.limited_left = 2
    async with fast(retries=2) as fetcher:
        result = await fetcher.fetch(_url(server, "/limited"))
    assert result.ok
    assert state.hits["/limited"] == 3


def test_parse_retry_after() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now=now) == 120
    assert parse_retry_after(" 0 ", now=now) == 0
    assert parse_retry_after("Wed, 01 May 2024 12:01:30 GMT", now=now) == 90
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now=now) == 0  # in the past
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after("-5", now=now) is None
    assert parse_retry_after(None) is None


# --- robots.txt ---

ROBOTS = """\
User-agent: otherbot
Disallow: /

User-agent: SambilanTest
Disallow: /private/

User-agent: *
Disallow: /ok
"""


async def test_robots_disallowed_path_is_never_requested(server: TestServer) -> None:
    state = _state(server)
    state.robots_status, state.robots_text = 200, ROBOTS
    async with fast(user_agent="SambilanTest/1.0 (+https://example.invalid)") as fetcher:
        blocked = await fetcher.fetch(_url(server, "/private/page"))
        allowed = await fetcher.fetch(_url(server, "/ok"))  # only "*" may not; our group may
    assert blocked.status == 0 and blocked.error == DISALLOWED and not blocked.ok
    assert state.hits["/private/page"] == 0
    assert allowed.ok


async def test_robots_star_group_applies_to_unknown_agents(server: TestServer) -> None:
    state = _state(server)
    state.robots_status, state.robots_text = 200, ROBOTS
    async with fast(user_agent="SomeoneElse/2.0") as fetcher:
        blocked = await fetcher.fetch(_url(server, "/ok"))
        allowed = await fetcher.fetch(_url(server, "/private/page"))
    assert blocked.error == DISALLOWED and state.hits["/ok"] == 0
    assert allowed.ok


async def test_robots_can_be_ignored(server: TestServer) -> None:
    state = _state(server)
    state.robots_status, state.robots_text = 200, "User-agent: *\nDisallow: /\n"
    async with fast(respect_robots=False) as fetcher:
        result = await fetcher.fetch(_url(server, "/ok"))
    assert result.ok
    assert state.hits["/robots.txt"] == 0


async def test_robots_404_allows_everything(server: TestServer) -> None:
    async with fast() as fetcher:
        result = await fetcher.fetch(_url(server, "/ok"))
    assert result.ok
    assert _state(server).hits["/robots.txt"] == 1


@pytest.mark.parametrize("status", [401, 403])
async def test_robots_401_403_disallow_everything(server: TestServer, status: int) -> None:
    state = _state(server)
    state.robots_status = status
    async with fast() as fetcher:
        result = await fetcher.fetch(_url(server, "/ok"))
    assert result.error == DISALLOWED
    assert state.hits["/ok"] == 0


async def test_robots_fetched_once_for_many_urls(server: TestServer) -> None:
    state = _state(server)
    state.robots_status, state.robots_text = 200, "User-agent: *\nDisallow: /private/\n"
    async with fast() as fetcher:
        results = await asyncio.gather(
            fetcher.fetch(_url(server, "/ok")),
            fetcher.fetch(_url(server, "/garbage")),
            fetcher.fetch(_url(server, "/private/a")),
        )
        results.append(await fetcher.fetch(_url(server, "/hop")))
    assert [r.ok for r in results] == [True, True, False, True]
    assert state.hits["/robots.txt"] == 1


async def test_robots_cache_expires(server: TestServer) -> None:
    now = [1000.0]
    state = _state(server)
    async with fast(clock=lambda: now[0], robots_ttl=3600, robots_retry_ttl=60) as fetcher:
        await fetcher.fetch(_url(server, "/ok"))
        now[0] += 3599
        await fetcher.fetch(_url(server, "/ok"))
        assert state.hits["/robots.txt"] == 1
        now[0] += 2
        state.robots_status, state.robots_text = 200, "User-agent: *\nDisallow: /\n"
        result = await fetcher.fetch(_url(server, "/ok"))
    assert state.hits["/robots.txt"] == 2
    assert result.error == DISALLOWED


async def test_robots_server_error_allows_and_asks_again_soon(server: TestServer) -> None:
    now = [1000.0]
    state = _state(server)
    state.robots_status = 503
    async with fast(clock=lambda: now[0], robots_retry_ttl=60) as fetcher:
        first = await fetcher.fetch(_url(server, "/ok"))
        now[0] += 61
        state.robots_status, state.robots_text = 200, "User-agent: *\nDisallow: /\n"
        second = await fetcher.fetch(_url(server, "/ok"))
    assert first.ok
    assert second.error == DISALLOWED
    assert state.hits["/robots.txt"] == 2


async def test_robots_crawl_delay_is_respected(server: TestServer) -> None:
    state = _state(server)
    state.robots_status, state.robots_text = 200, "User-agent: *\nCrawl-delay: 1\n"
    async with fast(min_host_interval=0) as fetcher:
        await fetcher.fetch(_url(server, "/ok"))
        await fetcher.fetch(_url(server, "/ok"))
    robots_at = state.times["/robots.txt"][0]
    first, second = state.times["/ok"]
    assert first - robots_at >= 0.95
    assert second - first >= 0.95


async def test_robots_unreachable_host_is_not_fatal() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with fast(retries=0) as fetcher:
        result = await fetcher.fetch(f"http://127.0.0.1:{port}/feed")
    assert result.error == "connection refused"  # robots.txt failed too, but means "allowed"


def test_robots_rules_from_responses() -> None:
    def rules(status: int, body: bytes | None = None) -> Any:
        return rules_from_response(
            status, body, user_agent="Sambilan/1", now=0, ttl=100, retry_ttl=5
        )

    assert rules(404).allows("Sambilan/1", "http://h/x") and rules(404).expires_at == 100
    assert rules(410).allows("Sambilan/1", "http://h/x")
    assert not rules(401).allows("Sambilan/1", "http://h/x")
    assert not rules(403).allows("Sambilan/1", "http://h/x")
    for transient in (0, 429, 500, 503):
        assert rules(transient).allows("Sambilan/1", "http://h/x")
        assert rules(transient).expires_at == 5
    parsed = rules(200, b"User-agent: sambilan\nDisallow: /a\nCrawl-delay: 4\n")
    assert not parsed.allows("Sambilan/1", "http://h/a/b")
    assert parsed.allows("Sambilan/1", "http://h/b")
    assert parsed.crawl_delay == 4
    assert rules(200, b"\xff\xfe garbage \x00").allows("Sambilan/1", "http://h/x")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/shop/gigs/1", True),  # longest match: "Allow: /shop/gigs" beats "Disallow: /shop"
        ("/shop/cart", False),
        ("/files/cv.pdf", False),  # "*" and "$" wildcards
        ("/files/cv.pdf?download=1", True),
        ("/search?page=2&q=logo", False),
        ("/search?page=2", True),
    ],
)
def test_robots_rfc9309_wildcards_and_longest_match(path: str, allowed: bool) -> None:
    body = b"User-agent: *\nDisallow: /shop\nAllow: /shop/gigs\nDisallow: /*.pdf$\n"
    body += b"Disallow: /search*q=\n"
    rules = rules_from_response(200, body, user_agent="Sambilan/1", now=0, ttl=1, retry_ttl=1)
    assert rules.allows("Sambilan/1", f"http://h{path}") is allowed


def test_origin_of() -> None:
    assert origin_of("https://Example.com/a?b") == "https://example.com:443"
    assert origin_of("http://example.com:8080/") == "http://example.com:8080"
    assert origin_of("http://[::1]/x") == "http://[::1]:80"
    for bad in ("not a url", "ftp://example.com/", "http:///nohost", "http://h:x/"):
        with pytest.raises(ValueError):
            origin_of(bad)


# --- per-host pacing ---


async def test_one_host_is_paced(server: TestServer) -> None:
    state = _state(server)
    async with fast(min_host_interval=0.5, respect_robots=False) as fetcher:
        await fetcher.fetch(_url(server, "/ok"))
        await fetcher.fetch(_url(server, "/ok"))
        await asyncio.gather(
            fetcher.fetch(_url(server, "/garbage")), fetcher.fetch(_url(server, "/garbage"))
        )
    first, second = state.times["/ok"]
    assert second - first >= 0.45
    third, fourth = state.times["/garbage"]
    assert third - second >= 0.45
    assert fourth - third >= 0.45


async def test_other_hosts_are_not_delayed(server: TestServer, other_server: TestServer) -> None:
    fake = FakeTime()
    async with fast(
        min_host_interval=1, respect_robots=False, sleep=fake.sleep, clock=fake.clock
    ) as fetcher:
        await fetcher.fetch(_url(server, "/ok"))
        same_host, other_host = await asyncio.gather(
            fetcher.fetch(_url(server, "/garbage")), fetcher.fetch(_url(other_server, "/ok"))
        )
    assert same_host.ok and other_host.ok
    # One wait of the whole interval: the same host's second request. The other host's
    # request did not wait at all.
    assert fake.waits == [1.0]
    assert _state(server).hits["/garbage"] == 1 and _state(other_server).hits["/ok"] == 1


async def test_robots_request_is_paced_with_the_rest(server: TestServer) -> None:
    state = _state(server)
    async with fast(min_host_interval=0.4) as fetcher:
        await fetcher.fetch(_url(server, "/ok"))
    assert state.times["/ok"][0] - state.times["/robots.txt"][0] >= 0.35


# --- POST (OAuth token endpoint) ---


async def test_post_form_with_basic_auth(server: TestServer) -> None:
    async with fast() as fetcher:
        result = await fetcher.post_form(
            _url(server, "/token"),
            {"grant_type": "client_credentials"},
            auth=("my-client", "s3cr3t"),
            headers={"X-Extra": "yes"},
        )
    posted = _state(server).posted
    expected = "Basic " + base64.b64encode(b"my-client:s3cr3t").decode()
    assert result.ok and b"t0k3n" in (result.body or b"")
    assert posted["authorization"] == expected
    assert posted["content_type"] == "application/x-www-form-urlencoded"
    assert posted["form"] == {"grant_type": "client_credentials"}
    assert posted["extra"] == "yes"


async def test_post_form_is_paced_and_retried(server: TestServer) -> None:
    state = _state(server)
    state.flaky_failures = 1
    async with fast(retries=2, min_host_interval=0.3) as fetcher:
        missing = await fetcher.post_form(_url(server, "/nowhere"), {"a": "b"})
        retried = await fetcher.post_form(_url(server, "/flaky"), {"a": "b"})
    assert missing.status == 404 and state.hits["/nowhere"] == 1  # a 4xx: not retried
    assert retried.ok and state.hits["/flaky"] == 2  # a 500: retried
    first, second = state.times["/flaky"]
    assert first - state.times["/nowhere"][0] >= 0.25
    assert second - first >= 0.25
    # robots.txt governs crawling, not API calls: a POST does not fetch it by default.
    assert state.hits["/robots.txt"] == 0
