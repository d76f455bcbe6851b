"""Per-user numbers: a user's first tracked gig is #1 whatever other users did, and every
command, card and list uses that number."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.chat import card_message, deliver, running, seen
from tests.support.memory_bot import MemoryBot

LANGS = ["en", "id"]


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    async for bot in running(db_url):
        yield bot


@pytest.mark.parametrize("lang", LANGS)
async def test_each_user_counts_from_one(mbot: MemoryBot, lang: str) -> None:
    first, second = 7201, 7202
    for user in (first, second):
        await mbot.send(user, "/help", language_code=lang)
    a_gigs = await deliver(mbot, first, ["Desain logo kopi", "Desain logo roti"])
    b_gigs = await deliver(mbot, second, ["Desain logo batik"])
    for gig_id in a_gigs:
        await mbot.press(first, f"ap:{gig_id}", language_code=lang)
    calls = await mbot.press(
        second,
        f"ap:{b_gigs[0]}",
        language_code=lang,
        message=await card_message(mbot, second, b_gigs[0]),
    )
    assert "#1" in seen(calls)  # the card shows the user's own number
    listing = seen(await mbot.send(second, "/active", language_code=lang))
    assert "#1 Desain logo batik" in listing and "#2" not in listing
    won = seen(await mbot.send(second, "/won 1 500rb", language_code=lang))
    assert "#1" in won and "Rp500.000" in won
    # The first user's #1 is untouched; their #2 is their second gig.
    listing = seen(await mbot.send(first, "/active", language_code=lang))
    assert "#1 Desain logo kopi" in listing and "#2 Desain logo roti" in listing
    assert "🏆" not in listing
    missing = seen(await mbot.send(second, "/won 2 500rb", language_code=lang))
    assert "#2" in missing and "/active" in missing
