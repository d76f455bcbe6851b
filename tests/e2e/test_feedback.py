"""Not relevant asks why; a topic answer never weakens the user's own skill; Undo restores."""

from __future__ import annotations

from html import escape

import pytest
from sqlalchemy import select

from bot.app.runtime import runtime_of
from bot.store.models import Delivery
from tests.e2e.test_alert_to_earnings import (
    EMPTY_LISTING,
    LOGO_TITLE,
    buttons,
    listing_with_logo_gig,
    say,
)
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import FakeSource, running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(90)
USER = 5001  # the user `say` speaks as
SECOND_TITLE = "Logo untuk kedai kopi susu"


def listing_with_second_logo_gig() -> bytes:
    """The same real page where another project (new id) is now a second logo gig."""
    page = listing_with_logo_gig().decode()
    page = page.replace("Create wordpress theme from html css", SECOND_TITLE)
    return page.replace("15e71a", "15e72b").encode()


def alert_with(title: str):  # type: ignore[no-untyped-def]
    """A predicate for the alert card of a gig with this title (as sent, HTML-escaped)."""

    def check(params: dict) -> bool:
        return escape(title) in params.get("text", "") and any(
            "callback_data" in b for b in buttons(params)
        )

    return check


async def test_not_relevant_keeps_the_users_own_skill_and_undo_restores(
    api: FakeBotApi, db_url: str
) -> None:
    async with FakeSource(EMPTY_LISTING) as source:
        settings = settings_for_fakes(api, db_url, {"projects_co_id": source.url})
        async with running_bot(settings) as app:
            await say(api, "/start")
            assert "0" in await say(api, "/threshold 0")
            await say(api, "/subscribe logo")
            source.body = listing_with_logo_gig()
            first = await api.wait_for("sendMessage", predicate=alert_with(LOGO_TITLE), timeout=20)
            card = next(m for m in api.messages(USER) if LOGO_TITLE in m["text"])
            not_relevant = next(b for b in buttons(first) if b["callback_data"].startswith("nr:"))

            api.user_presses(USER, card["message_id"], not_relevant["callback_data"])
            asked = await api.wait_for("answerCallbackQuery")
            assert "Why was it not relevant?" in asked["text"]
            question = await api.wait_for("editMessageText", chat_id=USER)
            topic = next(b for b in buttons(question) if b["text"] == "Not my topic")
            api.user_presses(USER, card["message_id"], topic["callback_data"])
            await api.wait_for(
                "answerCallbackQuery", predicate=lambda p: p.get("text") == "Thanks!"
            )
            edited = await api.wait_for(
                "editMessageText", chat_id=USER, predicate=lambda p: "Got it" in p.get("text", "")
            )
            # "logo" is the user's own skill: a topic answer never weakens it.
            assert "your own skills stay as they are" in edited["text"]
            undo = next(b for b in buttons(edited) if b.get("callback_data", "").startswith("nu:"))
            assert "“logo”" not in await say(api, "/lowered")

            source.body = listing_with_second_logo_gig()
            await api.wait_for("sendMessage", predicate=alert_with(SECOND_TITLE), timeout=20)
            db = runtime_of(app.bot_data).db
            async with db.transaction() as session:
                rows = list(await session.scalars(select(Delivery).order_by(Delivery.id)))
            assert len(rows) == 2
            lowered = [r.get("term") for r in rows[1].reasons if r.get("code") == "lowered"]
            assert "logo" not in lowered

            api.user_presses(USER, card["message_id"], undo["callback_data"])
            assert (await api.wait_for("answerCallbackQuery"))["text"] == "Undone."
            restored = await api.wait_for("editMessageText", chat_id=USER)
            assert any(b.get("callback_data", "").startswith("ap:") for b in buttons(restored))
            assert "Nothing is lowered" in await say(api, "/lowered")


async def test_matching_knobs_answer_in_both_languages(api: FakeBotApi, db_url: str) -> None:
    async with running_bot(settings_for_fakes(api, db_url, {})):
        assert "Rp100.000" in await say(api, "/minbudget 100rb")
        assert "skipped too" in await say(api, "/minbudget 20 USD strict")
        assert "Example: /minbudget" in await say(api, "/minbudget banyak")
        assert "more than 10 bids" in await say(api, "/maxbids 10")
        assert "48 hours" in await say(api, "/maxage 2d")
        assert "Example: /maxage" in await say(api, "/maxage kemarin")
        assert "Threshold set to 60" in await say(api, "/threshold 60")
        assert "(0–100)" in await say(api, "/threshold 500")
        answer = await say(api, "/threshold 55", lang="id", user=5002)
        assert "Ambang kecocokan diatur ke 55" in answer
