"""Shared fixtures: every database test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.store.db import Database
from tests.support.db import BACKENDS, temporary_database

FIXTURES = Path(__file__).parent / "fixtures"


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


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    """Read a saved source payload from tests/fixtures."""

    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read
