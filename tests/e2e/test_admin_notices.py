"""Admins hear in chat when a source breaks and when it works again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app.runtime import runtime_of
from bot.store.models import utcnow
from bot.store.repos import SourceRepo
from tests.conftest import assert_no_flood
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import TOKEN, FakeSource, running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(60)
ADMIN = 9000
FIXTURE = Path(__file__).parents[1] / "fixtures" / "projects_co_id_listing.html"


@pytest.fixture
async def api(request: pytest.FixtureRequest) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        server.add_user(ADMIN, first_name="Admin")
        yield server
    assert_no_flood(server, request)


async def test_broken_source_is_disabled_and_admins_are_told(api: FakeBotApi, db_url: str) -> None:
    async with FakeSource(FIXTURE.read_bytes()) as source:
        source.status = 503
        settings = settings_for_fakes(
            api,
            db_url,
            {"projects_co_id": source.url},
            scraper={"disable_after_failures": 1},
            admin_ids=[ADMIN],
        )
        async with running_bot(settings) as app:
            notice = await api.wait_for("sendMessage", chat_id=ADMIN, timeout=15)
            assert "projects_co_id disabled after 1 failures" in notice["text"]
            assert "HTTP 503" in notice["text"]
            fetched = source.requests
            source.status = 200
            db = runtime_of(app.bot_data).db
            async with db.transaction() as session:
                state = await SourceRepo(session).get("projects_co_id")
                assert state.disabled
                # Pretend a day passed: the daily probation run tries it again.
                state.disabled_at = utcnow() - timedelta(days=1, seconds=1)
                state.next_run_after = None
            back = await api.wait_for("sendMessage", chat_id=ADMIN, timeout=15)
            assert "works again" in back["text"]
            assert source.requests > fetched
