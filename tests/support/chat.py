"""Helpers for conversation tests on the in-memory bot: what the user read, and its buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import select

from bot.app.jobs import DELIVERY_KEY
from bot.app.runtime import runtime_of
from bot.store.bulk import NewAlert
from bot.store.models import User
from bot.store.repos import DeliveryRepo, GigRepo
from tests.support.factories import gig
from tests.support.fake_bot_api import parse_html
from tests.support.memory_bot import Call, MemoryBot, memory_bot, memory_settings


def seen(calls: list[Call]) -> str:
    """Every text and toast the calls showed the user, as plain text, joined by new lines."""
    parts = []
    for call in calls:
        if call.text is not None:
            parts.append(parse_html(call.text)[0] if call.params.get("parse_mode") else call.text)
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            parts.append(str(call.params["text"]))
    return "\n".join(parts)


def buttons(calls: list[Call]) -> dict[str, str]:
    """Button label → callback data for every inline button the calls sent or edited."""
    found: dict[str, str] = {}
    for call in calls:
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if "callback_data" in button:
                        found[button["text"]] = button["callback_data"]
    return found


def button(calls: list[Call], label_part: str) -> str:
    """The callback data of the one button whose label contains `label_part`."""
    matches = [data for label, data in buttons(calls).items() if label_part in label]
    assert len(matches) == 1, (label_part, buttons(calls))
    return matches[0]


def sent_message(calls: list[Call]) -> dict[str, Any]:
    """The last message the calls sent, as Telegram would show it in an update."""
    call = [c for c in calls if c.method == "sendMessage"][-1]
    assert isinstance(call.result, dict)
    return call.result


async def user_row(bot: MemoryBot, user_id: int) -> User:
    """The user's row as stored now."""
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        user = await session.scalar(select(User).where(User.id == user_id))
        assert user is not None
        session.expunge(user)
        return user


async def running(db_url: str) -> AsyncIterator[MemoryBot]:
    """The real application in memory on this database (use as an async generator fixture)."""
    async with memory_bot(memory_settings(db_url)) as bot:
        yield bot
        assert bot.errors == []


SKILL_REASONS = [{"code": "skill", "skill": "desain logo", "term": "logo", "field": "title"}]


async def deliver(
    bot: MemoryBot, user_id: int, titles: list[str], reasons: list[dict[str, Any]] | None = None
) -> list[int]:
    """Store gigs matched to the user and let the delivery worker send their cards; gig ids."""
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        rows = await GigRepo(session).upsert(
            [gig(f"{user_id}-{i}-{t[:8]}", t) for i, t in enumerate(titles)]
        )
        alerts = (NewAlert(user_id, r.id, 80, reasons or SKILL_REASONS) for r in rows)
        await DeliveryRepo(session).enqueue(alerts)
    await bot.app.bot_data[DELIVERY_KEY].run_once()
    return [r.id for r in rows]


async def card_message(bot: MemoryBot, user_id: int, gig_id: int) -> dict[str, Any]:
    """The alert card of a gig as the user's chat holds it now."""
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        delivery = await DeliveryRepo(session).find(user_id, gig_id)
        assert delivery is not None and delivery.message_id is not None, "card not delivered"
        message_id = delivery.message_id
    return bot.request.bot_message(user_id, message_id)
