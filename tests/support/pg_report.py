"""A pytest plugin that says loudly, at the end of a run, how many PostgreSQL tests skipped.

Without a reachable PostgreSQL the PostgreSQL variants skip (tests/support/db.py), and a
local run can look green while it tested SQLite only. This plugin counts those skips and
ends the run with a banner naming the count and the reason. With ``SAMBILAN_REQUIRE_PG``
set (as in CI) they are failures instead, so nothing is counted here.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.support.db import PG_UNREACHABLE, PG_URL_ENV, REQUIRE_PG_ENV


class PostgresSkips:
    """Counts the tests skipped because PostgreSQL was unreachable, by reason."""

    def __init__(self) -> None:
        self.reasons: Counter[str] = Counter()

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count a skip whose reason is an unreachable PostgreSQL."""
        if not report.skipped or not isinstance(report.longrepr, tuple):
            return
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        if reason.startswith(PG_UNREACHABLE):
            self.reasons[reason] += 1

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """The banner, after pytest's own summary."""
        total = sum(self.reasons.values())
        if not total:
            return
        write = terminalreporter.write_line
        terminalreporter.write_sep("!", f"{total} POSTGRESQL TESTS SKIPPED", red=True, bold=True)
        write(f"{total} tests ran on SQLite only: their PostgreSQL variants were skipped.")
        for reason, count in self.reasons.most_common():
            write(f"  {count} x {reason}", red=True)
        write(
            f"Start PostgreSQL (or point {PG_URL_ENV} at one) to run them; "
            f"set {REQUIRE_PG_ENV}=1 to make an unreachable PostgreSQL fail the run."
        )
        terminalreporter.write_sep("!", red=True, bold=True)


def pytest_configure(config: pytest.Config) -> None:
    """Register the counter for this run."""
    config.pluginmanager.register(PostgresSkips(), "sambilan-postgres-skips")
