"""Shared fixtures: the database fixtures run each test on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from telegram import Bot
from telegram.ext import AIORateLimiter, ExtBot

from bot.store.db import Database
from tests.support.db import BACKENDS, temporary_database
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import TOKEN

FIXTURES = Path(__file__).parent / "fixtures"

# Hypothesis profiles (CI: derandomized, no example database) and the loud summary of
# PostgreSQL variants skipped for want of a server.
pytest_plugins = ["tests.hypothesis_profiles", "tests.support.pg_report"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test."""
    return request.param


@pytest.fixture
async def db_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the current backend, dropped afterwards."""
    async with temporary_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """A migrated database."""
    database = Database(db_url)
    await database.upgrade()
    try:
        yield database
    finally:
        await database.close()


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of tests that provoke Telegram's flood limits on purpose."""
    config.addinivalue_line(
        "markers", "allow_429: the test breaks Telegram's limits on purpose (no 429 check)"
    )


def assert_no_flood(api: FakeBotApi, request: pytest.FixtureRequest) -> None:
    """A test fails when the bot broke Telegram's limits, unless it means to."""
    if request.node.get_closest_marker("allow_429") is None:
        assert api.rate_limited == 0, f"the bot was answered 429: {api.rate_limited_by}"


@pytest.fixture
async def api(request: pytest.FixtureRequest) -> AsyncIterator[FakeBotApi]:
    """A local fake Telegram Bot API server with Telegram's limits; no 429 allowed."""
    async with FakeBotApi(token=TOKEN) as server:
        yield server
    assert_no_flood(server, request)


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """A Bot talking to the fake API, raising Telegram's errors instead of retrying."""
    telegram_bot = ExtBot(
        TOKEN,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        rate_limiter=AIORateLimiter(max_retries=0),
    )
    async with telegram_bot:
        yield telegram_bot


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    """Read a saved source payload from tests/fixtures."""

    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read
