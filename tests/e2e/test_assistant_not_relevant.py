""" "Not relevant" asks why with one tap and learns only what that reason says."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app.runtime import runtime_of
from bot.store.models import Feedback
from tests.support.chat import buttons, card_message, deliver, running, seen
from tests.support.memory_bot import MemoryBot

LANGS = ["en", "id"]
REASONS = [
    {"code": "skill", "skill": "artikel seo", "term": "artikel seo", "field": "title"},
    {"code": "skill", "skill": "artikel seo", "term": "penulis", "field": "text"},
    {"code": "related", "skill": "artikel seo", "term": "judi online"},
]
TOPIC = {"en": "Not my topic", "id": "Bukan bidangku"}
BUDGET = {"en": "Budget too low", "id": "Budget terlalu kecil"}


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    async for bot in running(db_url):
        yield bot


async def _feedback(bot: MemoryBot, user: int) -> list[tuple[list[str], str | None]]:
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        rows = await session.scalars(select(Feedback).where(Feedback.user_id == user))
        return [(list(r.terms), r.reason) for r in rows]


async def _not_relevant(bot: MemoryBot, user: int, lang: str) -> tuple[int, dict[str, str]]:
    await bot.send(user, "/subscribe artikel seo, penulis", language_code=lang)
    [gig_id] = await deliver(bot, user, ["Artikel SEO judi online"], REASONS)
    card = await card_message(bot, user, gig_id)
    calls = await bot.press(user, f"nr:{gig_id}", message=card, language_code=lang)
    return gig_id, buttons(calls)


@pytest.mark.parametrize("lang", LANGS)
async def test_topic_lowers_the_topic_never_the_users_skill(mbot: MemoryBot, lang: str) -> None:
    user = 7701
    gig_id, asked = await _not_relevant(mbot, user, lang)
    assert {TOPIC[lang], BUDGET[lang]} <= set(asked)
    assert await _feedback(mbot, user) == [([], None)]  # nothing learned before the answer
    card = await card_message(mbot, user, gig_id)
    calls = await mbot.press(user, asked[TOPIC[lang]], message=card, language_code=lang)
    assert "“judi online”" in seen(calls)
    assert await _feedback(mbot, user) == [(["judi online"], "topic")]
    lowered = seen(await mbot.send(user, "/lowered", language_code=lang))
    assert "judi online" in lowered and "artikel seo" not in lowered and "penulis" not in lowered


@pytest.mark.parametrize("lang", LANGS)
async def test_budget_changes_no_weights_and_offers_the_minimum(mbot: MemoryBot, lang: str) -> None:
    user = 7702
    gig_id, asked = await _not_relevant(mbot, user, lang)
    card = await card_message(mbot, user, gig_id)
    calls = await mbot.press(user, asked[BUDGET[lang]], message=card, language_code=lang)
    assert await _feedback(mbot, user) == [([], "budget")]
    offered = buttons(calls)
    assert any(data.startswith("se:bud:") for data in offered.values())
    assert "/minbudget" in seen(calls)


@pytest.mark.parametrize("lang", LANGS)
async def test_client_and_seen_learn_nothing_and_undo_restores(mbot: MemoryBot, lang: str) -> None:
    user = 7703
    gig_id, asked = await _not_relevant(mbot, user, lang)
    client = next(data for data in asked.values() if data.endswith(":c"))
    card = await card_message(mbot, user, gig_id)
    await mbot.press(user, client, message=card, language_code=lang)
    assert await _feedback(mbot, user) == [([], "client")]
    card = await card_message(mbot, user, gig_id)
    await mbot.press(user, f"nu:{gig_id}", message=card, language_code=lang)
    assert await _feedback(mbot, user) == []
    # Someone else's gig: refused, nothing stored.
    other = await mbot.press(7799, f"nw:{gig_id}:t", language_code=lang)
    assert seen(other) and await _feedback(mbot, 7799) == []
