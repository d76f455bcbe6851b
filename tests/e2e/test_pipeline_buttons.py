"""The gig pipeline through the fake Bot API: one alert card moved from Applied to Paid,
lists with buttons, forged and double presses, tracking a forwarded gig or a link, and a
deadline reminder. The whole bot runs as `sambilan run` starts it.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select
from telegram.ext import CallbackContext

from bot.app.runtime import runtime_of
from bot.outbox.reminders import reminders_job
from bot.store.models import Application as ApplicationRow
from bot.store.models import Earning
from tests.e2e.test_alert_to_earnings import EMPTY_LISTING, buttons, listing_with_logo_gig
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import FakeSource, running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(90)

USER = 6001
STRANGER = 6002
WORDS = {
    "en": {
        "applied": "Applied",
        "replied": "Replied",
        "won": "Won",
        "delivered": "Delivered",
        "paid": "Paid",
        "received": "Rp450.000 received",
        "track": "Track this gig?",
        "invalid": "not valid",
        "deadline": "Deadline in",
        "earnings": "Rp450.000",
        "too_early": "not won yet",
    },
    "id": {
        "applied": "Sudah melamar",
        "replied": "Dibalas",
        "won": "Menang",
        "delivered": "Terkirim",
        "paid": "Dibayar",
        "received": "Rp450.000 diterima",
        "track": "Catat proyek ini?",
        "invalid": "tidak berlaku",
        "deadline": "Tenggat dalam",
        "earnings": "Rp450.000",
        "too_early": "belum menang",
    },
}


async def say(api: FakeBotApi, text: str, lang: str, user: int = USER) -> dict[str, Any]:
    api.user_sends(user, text, language_code=lang)
    return await api.wait_for("sendMessage", chat_id=user, timeout=10)


def send_with(api: FakeBotApi, user: int, text: str, lang: str, **extra: Any) -> int:
    """A user message with fields the fake's user_sends does not set (reply, forward);
    returns its message id."""
    update = api.user_sends(user, text, language_code=lang)
    queued = api._updates[-1]  # still unconfirmed: nothing ran since user_sends
    assert queued["update_id"] == update["update_id"]
    queued["message"].update(extra)
    return queued["message"]["message_id"]


def card_of(api: FakeBotApi, message_id: int) -> dict[str, Any]:
    return next(m for m in api.messages(USER) if m["message_id"] == message_id)


def data_of(message: dict[str, Any], prefix: str) -> str:
    found = [
        b["callback_data"]
        for b in buttons(message)
        if b.get("callback_data", "").startswith(prefix)
    ]
    assert found, (prefix, buttons(message))
    return found[0]


async def press(api: FakeBotApi, message_id: int, data: str) -> dict[str, Any]:
    api.user_presses(USER, message_id, data)
    return await api.wait_for("answerCallbackQuery", timeout=10)


async def edited(api: FakeBotApi, message_id: int) -> dict[str, Any]:
    params = await api.wait_for(
        "editMessageText", chat_id=USER, predicate=lambda p: p["message_id"] == message_id
    )
    return card_of(api, params["message_id"])


async def reply_amount(api: FakeBotApi, text: str, lang: str) -> None:
    prompt = await api.wait_for(
        "sendMessage",
        chat_id=USER,
        predicate=lambda p: "force_reply" in (p.get("reply_markup") or {}),
    )
    shown = api.messages(USER)[-1]
    assert shown["text"].endswith(prompt["text"].split("<code>")[1].split("</code>")[0])
    send_with(api, USER, text, lang, reply_to_message=shown)


@pytest.mark.parametrize("lang", ["en", "id"])
async def test_card_moves_from_applied_to_paid(api: FakeBotApi, db_url: str, lang: str) -> None:
    words = WORDS[lang]
    async with FakeSource(EMPTY_LISTING) as source:
        settings = settings_for_fakes(api, db_url, {"projects_co_id": source.url})
        async with running_bot(settings) as app:
            await say(api, "/start", lang)
            await say(api, "/subscribe logo", lang)
            source.body = listing_with_logo_gig()
            await api.wait_for(
                "sendMessage",
                chat_id=USER,
                predicate=lambda p: any(
                    b.get("callback_data", "").startswith("ap:") for b in buttons(p)
                ),
                timeout=20,
            )
            card = api.messages(USER)[-1]
            card_id = card["message_id"]
            assert data_of(card, "sv:") and data_of(card, "nr:")

            # Applied, pressed twice before the bot answers: one application, no error.
            apply = data_of(card, "ap:")
            api.user_presses(USER, card_id, apply)
            api.user_presses(USER, card_id, apply)
            await api.wait_for("answerCallbackQuery")
            await api.wait_for("answerCallbackQuery")
            await edited(api, card_id)
            await edited(api, card_id)  # the second edit is identical: "not modified", caught
            card = card_of(api, card_id)
            assert words["applied"] in card["text"] and 'Logo</b> & "caption"' in card["text"]
            app_id = int(data_of(card, "pc:").split(":")[1])

            # Paid before won: a friendly explanation, nothing changes.
            answer = await say(api, f"/paid {app_id} 500rb", lang)
            assert words["too_early"] in answer["text"]

            # Replied, twice at once: the second press changes nothing.
            replied = f"pc:{app_id}:rp"
            api.user_presses(USER, card_id, replied)
            api.user_presses(USER, card_id, replied)
            await api.wait_for("answerCallbackQuery")
            await api.wait_for("answerCallbackQuery")
            await edited(api, card_id)
            await edited(api, card_id)
            card = card_of(api, card_id)
            assert words["replied"] in card["text"]

            # /active lists it with buttons to move it.
            listing = await say(api, "/active", lang)
            assert f"#{app_id}" in api.messages(USER)[-1]["text"]
            assert f"pa:{app_id}:wn" in [b.get("callback_data") for b in buttons(listing)]

            # A stranger forging a callback for this application is refused.
            await say(api, "/start", lang, user=STRANGER)
            stranger_message = api.messages(STRANGER)[-1]["message_id"]
            forged_query = f"{STRANGER}-forged"
            api._open_callback_queries.add(forged_query)
            api._queue_update(
                {
                    "callback_query": {
                        "id": forged_query,
                        "from": {"id": STRANGER, "is_bot": False, "first_name": "Eve"},
                        "message": {**api.messages(STRANGER)[-1], "message_id": stranger_message},
                        "chat_instance": "1",
                        "data": f"pc:{app_id}:lo",
                    }
                }
            )
            refused = await api.wait_for(
                "answerCallbackQuery", predicate=lambda p: p["callback_query_id"] == forged_query
            )
            assert words["invalid"] in refused["text"] and refused.get("show_alert") is True

            # Won: the button asks for the amount; the reply moves the same card.
            await press(api, card_id, f"pc:{app_id}:wn")
            await reply_amount(api, "500rb 3d", lang)
            card = await edited(api, card_id)
            assert words["won"] in card["text"] and "Rp500.000" in card["text"]

            await press(api, card_id, f"pc:{app_id}:dl")
            card = await edited(api, card_id)
            assert words["delivered"] in card["text"]

            await press(api, card_id, f"pc:{app_id}:pd")
            await reply_amount(api, "500rb fee 50rb", lang)
            card = await edited(api, card_id)
            assert words["paid"] in card["text"] and words["received"] in card["text"]
            assert [b.get("url") for b in buttons(card)] == [buttons(card)[0]["url"]]

            answer = await say(api, f"/paid {app_id} 500rb", lang)  # again: nothing twice
            assert "#" in answer["text"]
            totals = await say(api, "/earnings", lang)
            assert words["earnings"] in totals["text"]
            errors = [m for m in api.messages(USER) if "⚠️" in m["text"] and "again" in m["text"]]
            assert errors == []

            db = runtime_of(app.bot_data).db
            async with db.transaction() as session:
                rows = list(await session.scalars(select(ApplicationRow)))
                earnings = list(await session.scalars(select(Earning)))
            assert [(r.id, r.status, r.user_id) for r in rows] == [(app_id, "paid", USER)]
            assert [(e.amount, e.application_id) for e in earnings] == [(450000, app_id)]


@pytest.mark.parametrize("lang", ["en", "id"])
async def test_track_forwarded_gigs_and_links_and_remind(
    api: FakeBotApi, db_url: str, lang: str
) -> None:
    words = WORDS[lang]
    settings = settings_for_fakes(api, db_url, {})
    async with running_bot(settings) as app:
        await say(api, "/start", lang)

        forwarded = {"type": "hidden_user", "sender_user_name": "Budi", "date": int(time.time())}
        forwarded_id = send_with(
            api,
            USER,
            "Butuh penulis caption <IG> & TikTok\nBudget 200rb",
            lang,
            forward_origin=forwarded,
        )
        offer = await api.wait_for("sendMessage", chat_id=USER)
        assert words["track"] in api.messages(USER)[-1]["text"]
        offer_id = api.messages(USER)[-1]["message_id"]
        await press(api, offer_id, "tk:a")
        tracked = await edited(api, offer_id)
        assert "Butuh penulis caption <IG> & TikTok" in tracked["text"]
        assert words["applied"] in tracked["text"]
        assert offer["reply_parameters"]["message_id"] == forwarded_id  # quotes the forward

        await say(api, "cek ini https://example.com/jobs/42?ref=tg", lang)
        link_offer = api.messages(USER)[-1]["message_id"]
        await press(api, link_offer, "tk:n")
        assert words["track"] not in (await edited(api, link_offer))["text"]
        await say(api, "https://example.com/jobs/43", lang)
        link_offer = api.messages(USER)[-1]["message_id"]
        await press(api, link_offer, "tk:s")
        await edited(api, link_offer)

        db = runtime_of(app.bot_data).db
        async with db.transaction() as session:
            rows = list(await session.scalars(select(ApplicationRow).order_by(ApplicationRow.id)))
        assert [(r.title, r.url, r.status) for r in rows] == [
            ("Butuh penulis caption <IG> & TikTok", None, "applied"),
            ("example.com/jobs/43", "https://example.com/jobs/43", "saved"),
        ]

        # Won with a deadline 5 hours away: the job sends the 24-hour reminder once.
        won = await say(api, f"/won {rows[0].id} 300rb 5h", lang)
        assert "Rp300.000" in won["text"]
        context = CallbackContext(app)
        await reminders_job(context)
        reminder = await api.wait_for("sendMessage", chat_id=USER)
        assert (
            words["deadline"] in reminder["text"] and f"/delivered {rows[0].id}" in reminder["text"]
        )
        await reminders_job(context)
        assert [c for c in api.calls if c.method == "sendMessage" and not c.consumed] == []
        async with db.transaction() as session:
            again = await session.get(ApplicationRow, rows[0].id)
        assert again is not None and again.reminders_sent == ["24h"]
