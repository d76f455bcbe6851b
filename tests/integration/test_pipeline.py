"""Scraping against local sources: storing, matching, health, back-off, kinds of sources."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.app.config import Settings
from bot.app.runtime import Runtime
from bot.ingest.pipeline import scrape_source
from bot.store.bulk import NewAlert
from bot.store.models import Delivery, GigRow, utcnow
from bot.store.repos import DeliveryRepo, GigRepo, SourceRepo
from scrapers.sources import SOURCES
from tests.support.factories import gig, user_with_skills
from tests.support.running_bot import FakeSource

pytestmark = pytest.mark.timeout(60)
FIXTURES = Path(__file__).parents[1] / "fixtures"
FAST = {"min_host_interval_seconds": 0, "retries": 0, "total_timeout_seconds": 2}


@asynccontextmanager
async def runtime_for(db_url: str, **sources: dict[str, Any]) -> AsyncIterator[Runtime]:
    """A runtime with only the given sources enabled, fetching without delays."""
    config: dict[str, dict[str, Any]] = {name: {"enabled": False} for name in SOURCES}
    config.update({name: {"enabled": True, **given} for name, given in sources.items()})
    settings = Settings(
        database={"url": db_url},
        sources=config,
        scraper={**FAST, "disable_after_failures": 2},
    )
    runtime = await Runtime.open(settings)
    try:
        yield runtime
    finally:
        await runtime.close()


@pytest.fixture
async def listing() -> AsyncIterator[FakeSource]:
    body = (FIXTURES / "projects_co_id_listing.html").read_bytes()
    async with FakeSource(body) as server:
        yield server


async def test_first_scrape_stores_and_matches_then_nothing_is_new(
    db_url: str, listing: FakeSource
) -> None:
    async with runtime_for(db_url, projects_co_id={"url": listing.url}) as runtime:
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


async def test_gigs_an_error_left_unmatched_are_matched_on_the_next_run(
    db_url: str, listing: FakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gigs are committed; queueing their alerts fails once; the next run queues them."""
    real_enqueue = DeliveryRepo.enqueue
    failures = [RuntimeError("connection lost while queueing")]

    async def enqueue_failing_once(self: DeliveryRepo, alerts: Iterable[NewAlert]) -> int:
        if failures:
            raise failures.pop()
        return await real_enqueue(self, alerts)

    monkeypatch.setattr(DeliveryRepo, "enqueue", enqueue_failing_once)
    async with runtime_for(db_url, projects_co_id={"url": listing.url}) as runtime:
        await user_with_skills(runtime.db, 42, "artikel", "wordpress")
        failed = await scrape_source(runtime, "projects_co_id")
        assert failed.new == 12 and failed.alerts == 0
        assert "connection lost" in (failed.targets[0].match_error or "")
        assert not failures  # the error did happen
        retried = await scrape_source(runtime, "projects_co_id")
        assert (retried.new, retried.alerts) == (0, 3)
        assert retried.targets[0].match_error is None
        third = await scrape_source(runtime, "projects_co_id")
        assert (third.new, third.alerts) == (0, 0)
        async with runtime.db.transaction() as session:
            queued = await session.scalar(select(func.count(Delivery.id)))
            unmatched = await GigRepo(session).unmatched("projects_co_id", 100)
    assert queued == 3 and unmatched == []


async def test_gigs_stored_by_a_run_that_died_are_matched_on_the_next_run(
    db_url: str, listing: FakeSource
) -> None:
    async with runtime_for(db_url, projects_co_id={"url": listing.url}) as runtime:
        await user_with_skills(runtime.db, 42, "logo")
        async with runtime.db.transaction() as session:  # stored, then the process died
            await GigRepo(session).upsert([gig("died-1", "Desain logo warung kopi")])
        report = await scrape_source(runtime, "projects_co_id")
        assert report.new == 12 and report.alerts == 1
        async with runtime.db.transaction() as session:
            (row,) = await session.scalars(
                select(Delivery).join(GigRow).where(GigRow.external_id == "died-1")
            )
            assert row.user_id == 42


async def test_unchanged_page_is_not_modified(db_url: str, listing: FakeSource) -> None:
    listing.etag = '"v1"'
    async with runtime_for(db_url, projects_co_id={"url": listing.url}) as runtime:
        first = await scrape_source(runtime, "projects_co_id")
        second = await scrape_source(runtime, "projects_co_id")
    assert first.new == 12
    assert second.targets[0].not_modified and second.items == 0


async def test_failures_back_off_disable_and_recover(db_url: str, listing: FakeSource) -> None:
    listing.status = 500
    async with runtime_for(db_url, projects_co_id={"url": listing.url}) as runtime:

        async def due_now() -> None:
            async with runtime.db.transaction() as session:
                state = await SourceRepo(session).get("projects_co_id")
                state.next_run_after = utcnow() - timedelta(seconds=1)
                if state.disabled_at:
                    state.disabled_at = utcnow() - timedelta(days=2)

        first = await scrape_source(runtime, "projects_co_id")
        assert not first.ok and first.targets[0].error == "HTTP 500"
        backing_off = await scrape_source(runtime, "projects_co_id")
        assert backing_off.targets[0].skipped and "backing off" in backing_off.targets[0].skipped
        assert listing.requests == 1

        await due_now()
        second = await scrape_source(runtime, "projects_co_id")
        assert any("disabled after 2 failures" in e for e in second.events)
        async with runtime.db.transaction() as session:
            state = await SourceRepo(session).get("projects_co_id")
            assert state.disabled and state.consecutive_failures == 2
            assert state.last_error == "HTTP 500"

        listing.status = 200
        await due_now()
        back = await scrape_source(runtime, "projects_co_id")
        assert back.ok and back.new == 12
        assert any("works again" in e for e in back.events)


async def test_parse_errors_are_recorded(db_url: str, listing: FakeSource) -> None:
    listing.body = b'{"this is": "not a listing"'
    async with runtime_for(db_url, remoteok={"url": listing.url}) as runtime:
        report = await scrape_source(runtime, "remoteok")
    assert not report.ok and "parse error" in (report.targets[0].error or "")


async def test_generic_rss_source_from_configuration(db_url: str) -> None:
    body = (FIXTURES / "weworkremotely.rss").read_bytes()
    async with (
        FakeSource(body, content_type="application/rss+xml") as feed,
        runtime_for(
            db_url, design_jobs={"kind": "rss", "url": feed.url, "label": "Design Jobs"}
        ) as runtime,
    ):
        report = await scrape_source(runtime, "design_jobs", keep_gigs=True)
        assert runtime.labels["design_jobs"] == "Design Jobs"
    assert report.ok and report.items == 12
    assert {g.source for g in report.gigs} == {"design_jobs"}


async def test_each_telegram_channel_is_its_own_target(db_url: str) -> None:
    body = (FIXTURES / "tme_channel_durov.html").read_bytes()
    async with FakeSource(body) as channel:
        url = channel.url.replace("/listing", "/s/{channel}")
        async with runtime_for(
            db_url, telegram={"url": url, "channels": ["@durov", "lokerkita"]}
        ) as runtime:
            report = await scrape_source(runtime, "telegram", keep_gigs=True)
    assert [t.key for t in report.targets] == ["telegram:durov", "telegram:lokerkita"]
    assert channel.paths == ["/s/durov", "/s/lokerkita"]
    # Six posts in the page; the photo-only post durov/522 has no text to offer. The same
    # page served for another channel yields nothing: its posts belong to @durov.
    assert [t.items for t in report.targets] == [5, 0]
    assert {g.source for g in report.gigs} == {"telegram"}
    assert [g.external_id for g in report.gigs][:2] == ["durov/519", "durov/520"]


async def test_reddit_with_oauth_client_credentials(db_url: str) -> None:
    listing = json.loads((FIXTURES / "reddit_listing_claudecode.json").read_bytes())
    hiring = copy.deepcopy(listing)
    for child in hiring["data"]["children"]:
        child["data"]["title"] = "[Hiring] " + child["data"]["title"]
        child["data"]["stickied"] = False
    seen: dict[str, Any] = {}

    async def token(request: web.Request) -> web.Response:
        seen["basic"] = request.headers.get("Authorization")
        seen["form"] = dict(await request.post())
        return web.json_response({"access_token": "tok123", "expires_in": 3600})

    async def new_posts(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != "bearer tok123":
            return web.Response(status=401)
        return web.json_response(hiring)

    app = web.Application()
    app.router.add_post("/api/v1/access_token", token)
    app.router.add_get("/r/forhire/new", new_posts)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with runtime_for(
            db_url,
            reddit={
                "client_id": "app",
                "client_secret": "secret",
                "token_url": f"{base}/api/v1/access_token",
                "oauth_url": f"{base}/r/forhire/new",
            },
        ) as runtime:
            report = await scrape_source(runtime, "reddit")
    finally:
        await runner.cleanup()
    assert seen["form"] == {"grant_type": "client_credentials"}
    assert (seen["basic"] or "").startswith("Basic ")
    assert report.ok and report.items > 0
