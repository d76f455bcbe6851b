"""Several gigs at once arrive as one message that stays actionable: each gig keeps its link
and its own numbered buttons, and the message is redrawn in place when one is pressed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from html import escape

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.app.runtime import runtime_of
from bot.store.models import Application as GigApplication
from bot.store.models import Delivery, Feedback
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import FakeSource, running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(60)
USER = 8101
BUSINESSES = ("bakery in Bandung", "florist in Medan", "tailor in Padang", "surf school in Kuta")


def feed(count: int) -> bytes:
    """An RSS feed with `count` logo gigs, each worded differently."""
    items = "".join(
        f"<item><title>Logo for a {escape(b)}</title>"
        f"<link>https://example.com/gig/{n}</link><guid>gig-{n}</guid>"
        f"<description>A logo for our {escape(b)}, {n + 2} concepts, vector files.</description>"
        "</item>"
        for n, b in enumerate(BUSINESSES[:count])
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Gigs</title>'
        f"<link>https://example.com/</link><description>d</description>{items}</channel></rss>"
    ).encode()


@pytest.fixture
async def source() -> AsyncIterator[FakeSource]:
    async with FakeSource(feed(0), content_type="application/rss+xml") as fake:
        yield fake


@pytest.fixture
async def app(api: FakeBotApi, db_url: str, source: FakeSource) -> AsyncIterator[Application]:
    settings = settings_for_fakes(api, db_url, {"weworkremotely": source.url})
    async with running_bot(settings) as application:
        yield application


async def say(api: FakeBotApi, text: str, lang: str) -> str:
    api.user_sends(USER, text, language_code=lang)
    return (await api.wait_for("sendMessage", chat_id=USER))["text"]


async def grouped(api: FakeBotApi, source: FakeSource, lang: str) -> dict:
    """Subscribe, publish four gigs at once and return the one message that carries them."""
    await say(api, "/subscribe logo", lang)
    source.body = feed(4)
    await api.wait_for(
        "sendMessage", chat_id=USER, predicate=lambda p: p["text"].startswith("📬"), timeout=20
    )
    return api.messages(USER)[-1]


async def recorded(app: Application) -> list[Delivery]:
    """The outbox rows once the sender has recorded them all (a moment after the send)."""
    db = runtime_of(app.bot_data).db
    for _attempt in range(100):
        async with db.transaction() as session:
            found = list(await session.scalars(select(Delivery)))
        if found and all(d.status == "sent" for d in found):
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"not recorded as sent: {[d.status for d in found]}")


def rows(message: dict) -> list[list[dict]]:
    return message["reply_markup"]["inline_keyboard"]


async def press(api: FakeBotApi, message: dict, data: str) -> dict:
    """Press a button and return the same message after the bot redrew it."""
    api.user_presses(USER, message["message_id"], data)
    await api.wait_for("answerCallbackQuery")
    await api.wait_for("editMessageText", chat_id=USER)
    return next(m for m in api.messages(USER) if m["message_id"] == message["message_id"])


async def test_four_gigs_come_as_one_message_with_buttons_per_gig(
    api: FakeBotApi, app: Application, source: FakeSource
) -> None:
    message = await grouped(api, source, "en")
    alerts = [m for m in api.messages(USER) if "reply_markup" in m]
    assert alerts == [message]  # one message, no separate cards
    assert message["text"].startswith("📬 New gigs just came in: 4")
    links = {e["url"] for e in message["entities"] if e["type"] == "text_link"}
    assert links == {f"https://example.com/gig/{n}" for n in range(4)}
    assert [[b["text"] for b in row] for row in rows(message)] == [
        [f"{n} ✅", f"{n} ⭐", f"{n} 🚫", f"{n} ✍️"] for n in range(1, 5)
    ]
    db = runtime_of(app.bot_data).db
    sent = await recorded(app)
    assert len(sent) == 4
    assert {(d.status, d.grouped, d.message_id) for d in sent} == {
        ("sent", True, message["message_id"])
    }

    # Applied on gig 2: its line shows it, its row offers the next steps, nothing else moves.
    second = rows(message)[1][0]["callback_data"]
    after = await press(api, message, second)
    lines = after["text"].split("\n")
    assert "✅ Applied" in lines[lines.index(next(x for x in lines if x.startswith("2."))) + 2]
    assert [b["text"] for b in rows(after)[1]][:2] == ["2 💬 Replied", "2 🏆 Won"]
    assert rows(after)[0] == rows(message)[0] and rows(after)[2:-1] == rows(message)[2:]
    # Undo for that press sits below the gigs and names the gig it takes back.
    [undo] = rows(after)[-1]
    assert (
        undo["text"].startswith("↩️ Undo: ")
        and undo["text"].removeprefix("↩️ Undo: ") in (after["text"])
    )
    async with db.transaction() as session:
        [applied] = list(await session.scalars(select(GigApplication)))
    assert applied.status == "applied" and applied.url == "https://example.com/gig/1"

    # The next step from the grouped message redraws it again.
    replied = await press(api, after, rows(after)[1][0]["callback_data"])
    assert "💬 Replied" in replied["text"]

    # Not relevant on gig 3, then Undo: the row changes and comes back.
    lowered = await press(api, replied, rows(replied)[2][2]["callback_data"])
    assert [b["text"] for b in rows(lowered)[2]] == ["3 ↩️ Undo"]
    assert "🚫 Not relevant" in lowered["text"]
    async with db.transaction() as session:
        assert len(list(await session.scalars(select(Feedback)))) == 1
    undone = await press(api, lowered, rows(lowered)[2][0]["callback_data"])
    assert [b["text"] for b in rows(undone)[2]] == ["3 ✅", "3 ⭐", "3 🚫", "3 ✍️"]
    assert "Not relevant" not in undone["text"]


async def test_grouped_message_in_indonesian(
    api: FakeBotApi, app: Application, source: FakeSource
) -> None:
    message = await grouped(api, source, "id")
    await recorded(app)
    assert message["text"].startswith("📬 Baru saja masuk: 4 proyek")
    assert "Tombol menurut nomor: ✅ sudah melamar" in message["text"]
    saved = await press(api, message, rows(message)[0][1]["callback_data"])
    assert "⭐ Disimpan" in saved["text"]
    assert [b["text"] for b in rows(saved)[0]] == ["1 ✅", "1 🚫", "1 ✍️"]
