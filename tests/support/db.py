"""Throwaway databases for tests: a SQLite file, or a uniquely named PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

PG_URL_ENV = "SAMBILAN_TEST_PG_URL"
REQUIRE_PG_ENV = "SAMBILAN_REQUIRE_PG"
DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")
PG_UNREACHABLE = "PostgreSQL is not reachable"  # how every such skip begins (see pg_report)


@asynccontextmanager
async def temporary_database(backend: str, directory: Path) -> AsyncIterator[str]:
    """Yield the URL of an empty database that is removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / 'sambilan-test.db'}"
        return
    admin_url = make_url(os.environ.get(PG_URL_ENV, DEFAULT_PG_URL))
    dsn = admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        reason = (
            f"{PG_UNREACHABLE} at {admin_url.host}:{admin_url.port} ({exc}); "
            f"start it or set {PG_URL_ENV} to run the PostgreSQL variant"
        )
        if os.environ.get(REQUIRE_PG_ENV):
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"sambilan_test_{uuid.uuid4().hex[:16]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
