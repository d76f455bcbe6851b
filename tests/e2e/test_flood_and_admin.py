"""A flooding user is slowed down; admin commands answer admins only."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.test_alert_to_earnings import say
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import FakeSource, running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(60)
ADMIN = 4242
USER = 5001


async def test_flood_is_answered_once_then_ignored(api: FakeBotApi, db_url: str) -> None:
    settings = settings_for_fakes(
        api, db_url, {}, bot={"commands_per_second": 0.2, "command_burst": 3}
    )
    async with running_bot(settings):
        for _ in range(8):
            api.user_sends(USER, "/help")
        await api.wait_for(
            "sendMessage", predicate=lambda p: "Too many messages" in p["text"], timeout=10
        )
        await asyncio.sleep(0.5)
        replies = [c for c in api.calls if c.method == "sendMessage"]
        assert len(replies) == 4  # three answers, one warning, then silence
        assert sum("Too many messages" in c.params["text"] for c in replies) == 1


async def test_admin_commands_are_for_admins_only(api: FakeBotApi, db_url: str) -> None:
    settings = settings_for_fakes(api, db_url, {}, admin_ids=[ADMIN])
    async with running_bot(settings):
        stats = await say(api, "/stats", user=ADMIN)
        assert "Users: 1 (1 active)" in stats and "Gigs: 0" in stats
        sources = await say(api, "/sources", user=ADMIN)
        assert "No source has run yet" in sources
        assert "Terms of use" in sources and "No built-in source is enabled." in sources
        assert "don't know that command" in await say(api, "/stats", user=USER)


async def test_sources_lists_terms_in_the_admins_language(api: FakeBotApi, db_url: str) -> None:
    async with FakeSource(b'{"data": {"docs": []}}', content_type="application/json") as site:
        settings = settings_for_fakes(api, db_url, {"dealls": site.url}, admin_ids=[ADMIN])
        async with running_bot(settings):
            await site.wait_requests(3)  # one run: three pages
            text = await say(api, "/sources", user=ADMIN, lang="id")
    assert "Sumber" in text and "dealls:p1" in text
    assert "Ketentuan penggunaan" in text
    assert "Dealls · jeda kita 1 detik" in text
    assert "batas permintaan tidak dinyatakan; jeda sopan bawaan 30 menit" in text
    assert "robots.txt: mengizinkan semua" in text
