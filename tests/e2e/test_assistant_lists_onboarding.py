"""Onboarding fixes, /saved, /applied with applications only, /status with what the user can
act on, and /quiet saying when it replaces a rule."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.chat import buttons, card_message, deliver, running, seen
from tests.support.memory_bot import MemoryBot

LANGS = ["en", "id"]


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    async for bot in running(db_url):
        yield bot


@pytest.mark.parametrize("lang", LANGS)
async def test_onboarding_speaks_of_what_exists(mbot: MemoryBot, lang: str) -> None:
    user = 7801
    await mbot.send(user, "/start", language_code=lang)
    step = await mbot.press(user, f"ob:lang:{lang}", language_code=lang)
    assert {"en": "Done", "id": "Selesai"}[lang] not in seen(step)  # no Done button yet
    await mbot.send(user, "/subscribe excel", language_code=lang)
    picker = await mbot.press(user, "ob:sk:3:1", language_code=lang)
    mine = buttons(picker)
    assert "✅ excel" in mine  # skills added with /subscribe show in the picker
    await mbot.press(user, mine["✅ excel"], language_code=lang)
    await mbot.press(user, "ob:sk:3:0", language_code=lang)
    for data in ("ob:sk:skip", "ob:bud:skip"):
        await mbot.press(user, data, language_code=lang)
    done = seen(await mbot.press(user, "ob:tz:skip", language_code=lang))
    assert "/subscribe" in done
    assert {"en": "as soon as a matching gig", "id": "begitu ada proyek"}[lang] not in done


@pytest.mark.parametrize("lang", LANGS)
async def test_saved_and_applied_are_separate_lists(mbot: MemoryBot, lang: str) -> None:
    user = 7802
    await mbot.send(user, "/help", language_code=lang)
    [gig_id] = await deliver(mbot, user, ["Desain logo kopi"])
    await mbot.press(user, f"sv:{gig_id}", message=await card_message(mbot, user, gig_id))
    applied = seen(await mbot.send(user, "/applied", language_code=lang))
    assert "Desain logo kopi" not in applied and "/won" not in applied
    saved_calls = await mbot.send(user, "/saved", language_code=lang)
    assert "#1 Desain logo kopi" in seen(saved_calls)
    apply = buttons(saved_calls)
    assert list(apply.values()) and all(d.startswith("ps:") for d in apply.values())
    await mbot.press(user, next(iter(apply.values())), language_code=lang)
    assert "#1 Desain logo kopi" in seen(await mbot.send(user, "/applied", language_code=lang))
    empty = seen(await mbot.send(user, "/saved", language_code=lang))
    assert "Desain logo kopi" not in empty


@pytest.mark.parametrize("lang", LANGS)
async def test_status_shows_only_what_the_user_can_act_on(mbot: MemoryBot, lang: str) -> None:
    text = seen(await mbot.send(7803, "/status", language_code=lang))
    assert "/settings" in text
    assert {"en": "Sources", "id": "Sumber"}[lang] not in text


@pytest.mark.parametrize("lang", LANGS)
async def test_quiet_says_when_it_replaces_a_rule(mbot: MemoryBot, lang: str) -> None:
    user = 7804
    first = seen(await mbot.send(user, "/quiet 22:00-06:00", language_code=lang))
    second = seen(await mbot.send(user, "/quiet 08:00-17:00", language_code=lang))
    replaces = {"en": "replaces", "id": "menggantikan"}[lang]
    assert replaces not in first
    assert replaces in second and "22:00–06:00" in second and "08:00–17:00" in second
