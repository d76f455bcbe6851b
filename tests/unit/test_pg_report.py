"""A run without PostgreSQL ends with a loud count of the PostgreSQL tests it skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
TESTS = """
import pytest
from tests.support.db import temporary_database

@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_store(backend, tmp_path):
    async with temporary_database(backend, tmp_path) as url:
        assert url

def test_other_skip():
    pytest.skip("not about PostgreSQL")
"""


def run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run pytest on a small test file with the project's conftest plugins, PostgreSQL off."""
    (tmp_path / "test_sample.py").write_text(TESTS)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAMBILAN_")}
    clean.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "tests.support.pg_report", str(tmp_path)),
            *("-o", "asyncio_mode=auto", "-o", "asyncio_default_fixture_loop_scope=function"),
        ],
        cwd=ROOT,
        env={
            **clean,
            "PYTHONPATH": str(ROOT),
            "SAMBILAN_TEST_PG_URL": "postgresql+asyncpg://postgres@127.0.0.1:1/none",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_skipped_postgresql_variants_are_counted_at_the_end(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.returncode == 0, result.stdout
    tail = result.stdout.split("1 POSTGRESQL TESTS SKIPPED", 1)[1]
    assert "PostgreSQL is not reachable at 127.0.0.1:1" in tail
    assert "SAMBILAN_REQUIRE_PG=1" in tail
    assert "1 passed, 2 skipped" in tail  # the other skip is not counted as PostgreSQL's


def test_required_postgresql_fails_instead(tmp_path: Path) -> None:
    result = run(tmp_path, SAMBILAN_REQUIRE_PG="1")
    assert result.returncode == 1, result.stdout
    assert "POSTGRESQL TESTS SKIPPED" not in result.stdout
    assert "1 failed, 1 passed, 1 skipped" in result.stdout
