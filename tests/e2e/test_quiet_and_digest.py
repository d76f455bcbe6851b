"""Quiet hours, digests, limits and pauses end to end: real scraping, fake Bot API.

The clock is driven by quiet ranges set relative to "now" in the user's zone, and by
releasing held alerts at a later moment; the running bot's own outbox worker sends them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.app.runtime import runtime_of
from bot.outbox.digest import RELEASE_INTERVAL_SECONDS, release_holds
from bot.store.models import Application as GigApplication
from bot.store.models import Delivery, utcnow
from tests.e2e.test_alert_to_earnings import EMPTY_LISTING, listing_with_logo_gig
from tests.e2e.test_onboarding import USER, buttons, press, say
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import FakeSource, running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def source() -> AsyncIterator[FakeSource]:
    async with FakeSource(EMPTY_LISTING) as fake:
        yield fake


@pytest.fixture
async def app(api: FakeBotApi, db_url: str, source: FakeSource) -> AsyncIterator[Application]:
    settings = settings_for_fakes(api, db_url, {"projects_co_id": source.url})
    async with running_bot(settings) as application:
        yield application


async def alert_rows(app: Application, *, until_status: str | None = None) -> list[Delivery]:
    """The outbox rows, waiting (up to 20 s) until one has `until_status`."""
    db = runtime_of(app.bot_data).db
    for _attempt in range(200):
        async with db.transaction() as session:
            rows = list(await session.scalars(select(Delivery).order_by(Delivery.id)))
        if until_status is None or any(r.status == until_status for r in rows):
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f"no alert became {until_status}: {[(r.status) for r in rows]}")


def quiet_now() -> str:
    """A quiet range in Jakarta time that started an hour ago and ends in 30 minutes."""
    local = utcnow() + timedelta(hours=7)
    start = (local - timedelta(hours=1)).strftime("%H:%M")
    end = (local + timedelta(minutes=30)).strftime("%H:%M")
    return f"{start}-{end}"


def alert_cards(api: FakeBotApi) -> list[dict]:
    return [m for m in api.messages(USER) if any("callback_data" in b for b in buttons(m))]


async def release_at(app: Application, moment: datetime | None = None) -> int:
    """Release what is due at `moment`; returns how many users' alerts became due."""
    return await release_holds(runtime_of(app.bot_data).db, moment)


async def grouped_message(api: FakeBotApi, needle: str, timeout: float = 20) -> dict:  # noqa: ASYNC109
    """The next grouped message the bot sends, with one row of numbered buttons per gig."""
    sent = await api.wait_for(
        "sendMessage", chat_id=USER, predicate=lambda p: needle in p["text"], timeout=timeout
    )
    assert sent["reply_markup"]["inline_keyboard"][0][0]["text"].startswith("1 ")
    return next(m for m in api.messages(USER) if m["text"].startswith("📬") and needle in m["text"])


async def test_quiet_alert_is_held_and_comes_as_one_digest(
    api: FakeBotApi, app: Application, source: FakeSource
) -> None:
    await say(api, "/subscribe logo")
    answer = await say(api, f"/quiet {quiet_now()}")
    assert "Quiet hours:" in answer["text"] and "one message when it ends" in answer["text"]
    source.body = listing_with_logo_gig()
    rows = await alert_rows(app, until_status="held")
    assert [(r.status, r.held_reason) for r in rows] == [("held", "quiet")]
    assert alert_cards(api) == []
    assert "Held alerts: 1" in (await say(api, "/status"))["text"]

    assert await release_at(app) == 0  # still quiet
    later = utcnow() + timedelta(hours=1)
    assert await release_at(app, later) == 1
    digest = (await grouped_message(api, "Quiet time is over"))["text"]
    assert "Projects.co.id" in digest and "1. " in digest
    assert [r.status for r in await alert_rows(app, until_status="sent")] == ["sent"]
    assert await release_at(app, later) == 0


async def test_quiet_off_releases_through_the_job(
    api: FakeBotApi, app: Application, source: FakeSource
) -> None:
    await say(api, "/subscribe logo", lang="id")
    await say(api, f"/quiet {quiet_now()} setiap hari", lang="id")
    source.body = listing_with_logo_gig()
    await alert_rows(app, until_status="held")
    assert "Jam tenang mati" in (await say(api, "/quiet off", lang="id"))["text"]
    # No release by hand: the running bot's sender releases held alerts by itself.
    wait = RELEASE_INTERVAL_SECONDS + 10  # the sender looks for releasable alerts this often
    digest = await grouped_message(api, "Jam tenang selesai", timeout=wait)
    assert "Projects.co.id" in digest["text"]
    assert "✅ sudah melamar" in digest["text"]  # the legend of the numbered buttons


async def test_digest_time_holds_alerts(
    api: FakeBotApi, app: Application, source: FakeSource
) -> None:
    await say(api, "/subscribe logo")
    answer = await say(api, "/digest 19:30")
    assert "Daily digest at 19:30 (Asia/Jakarta)" in answer["text"]
    assert "Next one:" in answer["text"]
    source.body = listing_with_logo_gig()
    rows = await alert_rows(app, until_status="held")
    assert rows[0].held_reason == "digest"
    assert alert_cards(api) == []
    assert await release_at(app) == 0
    tomorrow = utcnow() + timedelta(days=1, minutes=1)
    assert await release_at(app, tomorrow) == 1
    await grouped_message(api, "Your digest, new gigs: 1")
    assert "Digest off" in (await say(api, "/digest off"))["text"]


async def test_limit_holds_and_tells_once(
    api: FakeBotApi, app: Application, source: FakeSource
) -> None:
    await say(api, "/subscribe logo")
    async with runtime_of(app.bot_data).db.transaction() as session:
        session.add(GigApplication(user_id=USER, title="Logo for Budi", status="applied"))
    answer = await say(api, "/limit 1")
    assert "at most 1 active gigs" in answer["text"] and "at your limit" in answer["text"]
    source.body = listing_with_logo_gig()
    notice = await api.wait_for(
        "sendMessage", chat_id=USER, predicate=lambda p: "your limit" in p["text"], timeout=20
    )
    assert "/limit" in notice["text"]
    rows = await alert_rows(app, until_status="held")
    assert rows[0].held_reason == "limit"
    await source.wait_requests(source.requests + 2)
    assert sum("your limit" in m["text"] for m in api.messages(USER)) == 2  # reply + one notice
    assert alert_cards(api) == []


async def test_pause_and_resume_with_the_held_choice(
    api: FakeBotApi, app: Application, source: FakeSource
) -> None:
    await say(api, "/subscribe logo")
    assert "Alerts paused" in (await say(api, "/pause"))["text"]
    assert "already paused" in (await say(api, "/pause"))["text"]
    source.body = listing_with_logo_gig()
    rows = await alert_rows(app, until_status="held")
    assert rows[0].held_reason == "paused"
    assert await release_at(app, utcnow() + timedelta(days=1)) == 0
    resumed = await say(api, "/resume")
    assert "1 alerts were held" in resumed["text"]
    done = await press(api, resumed, "rs:send")
    assert "Sending 1 held alerts together" in done["text"] and buttons(done) == []
    digest = (await grouped_message(api, "while you were paused"))["text"]
    assert "Projects.co.id" in digest
    assert [r.status for r in await alert_rows(app, until_status="sent")] == ["sent"]
    assert "already on" in (await say(api, "/resume"))["text"]


@pytest.mark.parametrize(
    ("lang", "command", "expected"),
    [
        ("en", "/quiet 25:00-26:00", ["could not read", "/quiet 22:00-06:00"]),
        ("en", "/limit -3", ["not a number of gigs", "/limit 3"]),
        ("en", "/digest 7pm?", ["could not read", "/digest 19:30"]),
        ("id", "/quiet 25:00-26:00", ["tidak bisa membaca", "/quiet 22:00-06:00"]),
        ("id", "/limit -3", ["bukan jumlah proyek", "/limit 3"]),
        ("id", "/digest 7pm?", ["tidak bisa membaca", "/digest 19:30"]),
    ],
)
async def test_bad_inputs_get_friendly_examples(
    api: FakeBotApi, app: Application, lang: str, command: str, expected: list[str]
) -> None:
    answer = (await say(api, command, lang=lang))["text"]
    for part in expected:
        assert part in answer, answer
    status = (await say(api, "/status", lang=lang))["text"]
    assert "22:00" not in status  # nothing was changed by the bad input
