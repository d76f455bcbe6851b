"""Known links are tracked with their title, budget and source; applications record the
skill that matched, so "best skill" shows in /earnings."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app.runtime import runtime_of
from bot.store.models import Application
from bot.store.repos import GigRepo
from tests.support.chat import card_message, deliver, running, seen
from tests.support.factories import gig
from tests.support.memory_bot import MemoryBot

LANGS = ["en", "id"]


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    async for bot in running(db_url):
        yield bot


async def _apps(bot: MemoryBot, user: int) -> list[Application]:
    async with runtime_of(bot.app.bot_data).db.transaction() as session:
        rows = await session.scalars(
            select(Application).where(Application.user_id == user).order_by(Application.id)
        )
        return list(rows)


async def _offer_and_press(bot: MemoryBot, user: int, text: str, choice: str, lang: str) -> str:
    link = bot.message(user, text, language_code=lang)
    offer_calls = await bot.process({"message": link})
    offer_id = next(c.message_id for c in offer_calls if c.method == "sendMessage")
    assert offer_id is not None
    offer = {**bot.request.bot_message(user, offer_id), "reply_to_message": link}
    pressed = await bot.press(user, f"tk:{choice}", message=offer, language_code=lang)
    return seen(offer_calls) + "\n---\n" + seen(pressed)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_link_the_bot_knows_is_tracked_with_its_facts(mbot: MemoryBot, lang: str) -> None:
    user = 7601
    await mbot.send(user, "/subscribe desain logo", language_code=lang)
    async with runtime_of(mbot.app.bot_data).db.transaction() as session:
        [row] = await GigRepo(session).upsert([gig("k1", "Desain logo untuk kedai kopi")])
        url, gig_id = row.url, row.id
    shown = await _offer_and_press(mbot, user, url + "/", "a", lang)
    offer, after = shown.split("\n---\n")
    assert "Desain logo untuk kedai kopi" in offer and "Rp150.000 – Rp500.000" in offer
    assert "Projects.co.id" in offer and url not in offer
    assert "#1" in after and "Desain logo untuk kedai kopi" in after
    [app] = await _apps(mbot, user)
    assert (app.title, app.gig_id, app.skill) == (
        "Desain logo untuk kedai kopi",
        gig_id,
        "desain logo",
    )
    listing = seen(await mbot.send(user, "/applied", language_code=lang))
    assert "Desain logo untuk kedai kopi" in listing and url not in listing


@pytest.mark.parametrize("lang", LANGS)
async def test_an_unknown_link_alone_is_shown_once(mbot: MemoryBot, lang: str) -> None:
    user = 7602
    shown = await _offer_and_press(mbot, user, "https://example.com/jobs/42", "s", lang)
    offer = shown.split("\n---\n")[0]
    assert offer.count("example.com/jobs/42") == 1


@pytest.mark.parametrize("lang", LANGS)
async def test_the_matched_skill_is_recorded_and_shown_as_best(mbot: MemoryBot, lang: str) -> None:
    user = 7603
    await mbot.send(user, "/subscribe Desain Logo", language_code=lang)
    [gig_id] = await deliver(mbot, user, ["Desain logo kopi"])
    await mbot.press(user, f"ap:{gig_id}", message=await card_message(mbot, user, gig_id))
    [app] = await _apps(mbot, user)
    assert app.skill == "Desain Logo"
    await mbot.send(user, "/won 1 500rb", language_code=lang)
    await mbot.send(user, "/paid 1 500rb", language_code=lang)
    report = seen(await mbot.send(user, "/earnings", language_code=lang))
    best = {"en": "Best skill: Desain Logo", "id": "Desain Logo"}[lang]
    assert best in report and "Rp500.000" in report
