"""The scraper keeps to a source's stated request limit, across runs and restarts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.ingest.pipeline import scrape_source
from bot.store.repos import SourceRepo
from tests.integration.test_pipeline import runtime_for
from tests.support.fixtures import fixture_payload
from tests.support.running_bot import FakeSource

pytestmark = pytest.mark.timeout(60)


async def test_arbeitnow_is_not_asked_again_within_the_hour(db_url: str) -> None:
    async with FakeSource(fixture_payload("arbeitnow"), content_type="application/json") as site:
        async with runtime_for(db_url, arbeitnow={"url": site.url}) as runtime:
            first = await scrape_source(runtime, "arbeitnow")
            assert first.ok and first.items == 11 and site.requests == 1
            again = await scrape_source(runtime, "arbeitnow")
            assert site.requests == 1
            skipped = again.targets[0].skipped or ""
            assert "its terms allow one request every 3600 s" in skipped
        # A restarted bot reads the last request's time from the database.
        async with runtime_for(db_url, arbeitnow={"url": site.url}) as runtime:
            await scrape_source(runtime, "arbeitnow")
            assert site.requests == 1
            async with runtime.db.transaction() as session:
                state = await SourceRepo(session).get("arbeitnow")
                assert state.last_run_at is not None
                state.last_run_at -= timedelta(hours=1)
            later = await scrape_source(runtime, "arbeitnow")
            assert later.ok and later.targets[0].skipped is None and site.requests == 2


async def test_each_freelancer_request_runs_once_per_run(db_url: str) -> None:
    payload = fixture_payload("freelancer")
    async with (
        FakeSource(payload, content_type="application/json") as site,
        runtime_for(db_url, freelancer={"url": site.url + "?limit=50"}) as runtime,
    ):
        report = await scrape_source(runtime, "freelancer", keep_gigs=True)
    assert [t.key for t in report.targets] == [
        "freelancer",
        "freelancer:languages",
        "freelancer:countries",
    ]
    assert site.paths == [
        "/listing?limit=50",
        "/listing?limit=50&languages%5B%5D=id",
        "/listing?limit=50&countries%5B%5D=id",
    ]
    assert [t.items for t in report.targets] == [6, 6, 6]
    assert report.new == 6  # the same projects again are updates, not new gigs
