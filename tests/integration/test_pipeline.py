"""One scrape against a local source: stores new gigs, queues alerts, records health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.pipeline import scrape_source
from bot.runtime import Runtime
from bot.store.repos import SourceRepo
from tests.support.factories import user_with_skills
from tests.support.running_bot import FakeSource

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
async def source() -> AsyncIterator[FakeSource]:
    body = (FIXTURES / "projects_co_id_listing.html").read_bytes()
    async with FakeSource(body) as server:
        yield server


@pytest.fixture
async def runtime(db_url: str, source: FakeSource) -> AsyncIterator[Runtime]:
    settings = Settings(
        database={"url": db_url},
        sources={"projects_co_id": {"url": source.url}, "remoteok": {"enabled": False}},
        scraper={"total_timeout_seconds": 2},
    )
    opened = await Runtime.open(settings)
    try:
        yield opened
    finally:
        await opened.close()


async def test_first_scrape_stores_and_matches_then_nothing_is_new(
    runtime: Runtime, source: FakeSource
) -> None:
    await user_with_skills(runtime.db, 42, "artikel", "wordpress")
    report = await scrape_source(runtime, "projects_co_id")
    assert report.ok and report.items == 12 and report.new == 12
    # "Membuat Artikel di Media Online", "Create wordpress theme from html css" and
    # "Pembuatan button link produk" (tagged Wordpress on the site).
    assert report.alerts == 3
    again = await scrape_source(runtime, "projects_co_id")
    assert (again.items, again.new, again.alerts) == (12, 0, 0)
    async with runtime.db.transaction() as session:
        state = await SourceRepo(session).get("projects_co_id")
        assert state.consecutive_failures == 0 and state.items_last_run == 12
        assert state.last_success_at is not None


async def test_failures_are_recorded_not_raised(runtime: Runtime, source: FakeSource) -> None:
    source.body = b"<html><body>maintenance</body></html>"
    report = await scrape_source(runtime, "projects_co_id")
    assert report.ok and report.items == 0
    runtime.settings.sources["projects_co_id"].url = source.url.replace("/listing", ":bad")
    await source.__aexit__()
    failed = await scrape_source(runtime, "projects_co_id")
    again = await scrape_source(runtime, "projects_co_id")
    assert not failed.ok and failed.error
    async with runtime.db.transaction() as session:
        state = await SourceRepo(session).get("projects_co_id")
        assert state.consecutive_failures == 2
        assert state.last_error == again.error
