"""A user's whole loop over real HTTP: /start, subscribe, alert, Applied, /applied, earnings.

The bot runs as `sambilan run` does (long polling, scheduled scraping, delivery), against a
local fake Bot API and a local fake projects.co.id serving the real saved listing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app.runtime import runtime_of
from bot.store.models import Application, Delivery
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import FakeSource, running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(60)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "projects_co_id_listing.html"
ORIGINAL_TITLE = "Jasa Graphic Designer/PPT Specialist"
# Tricky on purpose: markup and quotes in a title must reach the user exactly as written.
LOGO_TITLE_HTML = "Desain &lt;b&gt;Logo&lt;/b&gt; &amp; &quot;caption&quot; UMKM"
LOGO_TITLE = 'Desain <b>Logo</b> & "caption" UMKM'
USER = 5001


def listing_with_logo_gig() -> bytes:
    """The real listing with one project's title changed into a logo gig."""
    page = FIXTURE.read_text(encoding="utf-8")
    assert page.count(ORIGINAL_TITLE) >= 1
    return page.replace(ORIGINAL_TITLE, LOGO_TITLE_HTML).encode()


EMPTY_LISTING = b'<div class="row"><div class="col-md-12">Total Rows: 0</div></div>'


def buttons(params: dict) -> list[dict]:
    markup = params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def say(api: FakeBotApi, text: str, *, lang: str = "en", user: int = USER) -> str:
    """Send a message as the user and return the bot's reply as the user sees it."""
    api.user_sends(user, text, language_code=lang)
    await api.wait_for("sendMessage", chat_id=user, timeout=10)
    return api.messages(user)[-1]["text"]


async def test_from_alert_to_earnings(api: FakeBotApi, db_url: str) -> None:
    async with FakeSource(EMPTY_LISTING) as source:
        settings = settings_for_fakes(api, db_url, {"projects_co_id": source.url})
        async with running_bot(settings) as app:
            welcome = await say(api, "/start")
            assert "/subscribe" in welcome
            assert "Subscribed to “logo”" in await say(api, "/subscribe logo")

            requests_before = source.requests
            source.body = listing_with_logo_gig()
            alert = await api.wait_for(
                "sendMessage",
                chat_id=USER,
                predicate=lambda p: any("callback_data" in b for b in buttons(p)),
                timeout=20,
            )
            assert source.requests > requests_before
            card = api.messages(USER)[-1]
            assert LOGO_TITLE in card["text"]
            assert "Projects.co.id" in card["text"]
            assert "Fits: logo (title)" in card["text"]
            by_action = {b.get("callback_data", "url")[:3]: b for b in buttons(alert)}
            assert set(by_action) == {"ap:", "sv:", "nr:", "dr:", "url"}
            applied, open_link = by_action["ap:"], by_action["url"]
            assert open_link["url"].startswith("https://projects.co.id/")

            api.user_presses(USER, card["message_id"], applied["callback_data"])
            answer = await api.wait_for("answerCallbackQuery")
            assert "applied" in answer["text"].lower()
            edited = await api.wait_for("editMessageText", chat_id=USER)
            assert edited["message_id"] == card["message_id"]
            # The card now offers the next steps of the pipeline, and still the link.
            assert [b.get("url") for b in buttons(edited)][-1] == open_link["url"]
            assert not any(b.get("callback_data", "").startswith("ap:") for b in buttons(edited))
            assert "✅ Applied" in api.messages(USER)[-1]["text"]

            listing = await say(api, "/applied")
            assert LOGO_TITLE in listing

            assert "Rp150.000" in await say(api, "/earned 150rb")
            assert "Rp150.000" in await say(api, "/earnings")

            # More scrapes of the same page: the gig is stored once, alerted once.
            await source.wait_requests(source.requests + 2)
            db = runtime_of(app.bot_data).db
            async with db.transaction() as session:
                alerts = await session.scalar(select(func.count(Delivery.id)))
                applications = await session.scalar(select(func.count(Application.id)))
            assert alerts == 1
            assert applications == 1
            alert_sends = [
                c
                for c in api.calls
                if c.method == "sendMessage"
                and any(b.get("callback_data", "").startswith("ap:") for b in buttons(c.params))
            ]
            assert len(alert_sends) == 1


async def test_indonesian_user_gets_indonesian_answers(api: FakeBotApi, db_url: str) -> None:
    async with FakeSource(EMPTY_LISTING) as source:
        settings = settings_for_fakes(api, db_url, {"projects_co_id": source.url})
        async with running_bot(settings):
            assert "Halo" in await say(api, "/start", lang="id")
            assert "desain logo" in await say(api, "/subscribe", lang="id")
            problem = await say(api, "/earned banyak", lang="id")
            assert "tidak bisa membaca" in problem and "/earned 1,5jt" in problem
            assert "Tercatat Rp1.500.000" in await say(api, "/earned 1,5jt", lang="id")
            assert "Pilih periode" in await say(api, "/earnings kemarin", lang="id")
            assert "Rp1.500.000" in await say(api, "/earnings bulan", lang="id")
