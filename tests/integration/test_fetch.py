"""Fetcher against a local aiohttp server on 127.0.0.1 (no network needed)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from scrapers.http import Fetcher, FetchResult

BODY = b'[{"id": "1"}]'
ETAG = '"v1"'
LAST_MODIFIED = "Tue, 01 Aug 2023 15:22:43 GMT"
SEEN = web.AppKey("seen", dict)


def _app(release: asyncio.Event) -> web.Application:
    """A small app with one route per behaviour under test."""
    app = web.Application()
    app[SEEN] = {}

    async def ok(request: web.Request) -> web.Response:
        app[SEEN]["ok"] = dict(request.headers)
        return web.Response(body=BODY, headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})

    async def boom(request: web.Request) -> web.Response:
        return web.Response(status=500, text="kaboom")

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

    app.router.add_get("/ok", ok)
    app.router.add_get("/boom", boom)
    app.router.add_get("/slow", slow)
    app.router.add_get("/big", big)
    app.router.add_get("/big-chunked", big_chunked)
    app.router.add_get("/conditional", conditional)
    app.router.add_get("/loop", loop)
    app.router.add_get("/hop", hop)
    app.router.add_get("/chain/{left}", chain)
    app.router.add_get("/ua", ua)
    return app


@pytest.fixture
async def server() -> AsyncIterator[TestServer]:
    release = asyncio.Event()
    test_server = TestServer(_app(release), host="127.0.0.1", port=0)
    await test_server.start_server()
    try:
        yield test_server
    finally:
        release.set()
        await test_server.close()


def _url(server: TestServer, path: str) -> str:
    return str(server.make_url(path))


async def test_200_ok_returns_body_and_validators(server: TestServer) -> None:
    async with Fetcher(user_agent="test-agent") as fetcher:
        result = await fetcher.fetch(_url(server, "/ok"))
    assert isinstance(result, FetchResult)
    assert result.ok and not result.not_modified
    assert result.status == 200
    assert result.body == BODY
    assert result.etag == ETAG
    assert result.last_modified == LAST_MODIFIED
    assert result.error is None
    assert result.url == _url(server, "/ok")
    assert 0 <= result.elapsed < 5
    assert "If-None-Match" not in server.app[SEEN]["ok"]
    assert "If-Modified-Since" not in server.app[SEEN]["ok"]


async def test_http_500_is_an_error_result(server: TestServer) -> None:
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(_url(server, "/boom"))
    assert result.status == 500
    assert result.error == "HTTP 500"
    assert result.body is None
    assert not result.ok


async def test_timeout_is_reported_not_raised(server: TestServer) -> None:
    async with Fetcher(total_timeout=0.3, connect_timeout=0.3) as fetcher:
        result = await fetcher.fetch(_url(server, "/slow"))
    assert result.status == 0
    assert result.error == "timeout after 0.3s"
    assert result.body is None
    assert 0.25 <= result.elapsed < 3


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
async def test_oversized_body_is_cut_off(server: TestServer, path: str) -> None:
    async with Fetcher(max_bytes=1000) as fetcher:
        result = await fetcher.fetch(_url(server, path))
    assert result.status == 200
    assert result.error == "response larger than 1000 bytes"
    assert result.body is None
    assert not result.ok


async def test_body_exactly_at_the_limit_is_accepted(server: TestServer) -> None:
    async with Fetcher(max_bytes=5000) as fetcher:
        result = await fetcher.fetch(_url(server, "/big"))
    assert result.ok
    assert result.body is not None and len(result.body) == 5000


async def test_304_when_if_none_match_is_sent(server: TestServer) -> None:
    async with Fetcher() as fetcher:
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


async def test_stale_etag_gets_full_body(server: TestServer) -> None:
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(_url(server, "/conditional"), etag='"old"')
    assert result.ok and result.body == BODY
    assert result.etag == ETAG


async def test_redirect_loop_gives_up_after_five(server: TestServer) -> None:
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(_url(server, "/loop"))
    assert result.status == 0
    assert result.error == "too many redirects (more than 5)"
    assert result.body is None
    assert server.app[SEEN]["loop"] == 6  # the first request plus five redirects


async def test_up_to_five_redirects_are_followed(server: TestServer) -> None:
    async with Fetcher() as fetcher:
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
    async with Fetcher(total_timeout=5, connect_timeout=2) as fetcher:
        result = await fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert result.status == 0
    assert result.error == "connection refused"
    assert result.body is None and not result.ok


async def test_invalid_url_is_reported() -> None:
    async with Fetcher() as fetcher:
        result = await fetcher.fetch("not a url")
    assert result.status == 0
    assert result.error is not None and not result.ok


async def test_user_agent_header_is_sent(server: TestServer) -> None:
    async with Fetcher(user_agent="SambilanTest/9.9 (+contact)") as fetcher:
        result = await fetcher.fetch(_url(server, "/ua"))
        again = await fetcher.fetch(_url(server, "/ua"))
    assert result.body == b"SambilanTest/9.9 (+contact)"
    assert again.body == result.body


async def test_fetch_outside_context_manager_is_a_programming_error() -> None:
    fetcher = Fetcher()
    with pytest.raises(RuntimeError, match="async with"):
        await fetcher.fetch("http://127.0.0.1:1/")
