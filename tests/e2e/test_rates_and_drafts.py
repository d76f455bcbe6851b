"""Through the real application in memory: /rates from stored real listings, the market line
on an alert card, the ✍️ Draft button (filled, escaped, copy button, Open link, in the user's
language), the template recorded when applying, /templates counts and /portfolio."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.app.runtime import runtime_of
from bot.store.models import utcnow
from bot.store.repos import GigRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.market_cache import MARKET
from bot.ui.render import MESSAGE_LIMIT
from tests.support.chat import button, card_message, deliver, running, seen
from tests.support.market import micro_gigs
from tests.support.memory_bot import Call, MemoryBot

LANGS = ["en", "id"]
WEB = [{"code": "skill", "skill": "web development", "term": "website", "field": "title"}]
WEB_TITLES = {"pcid2022:368819", "pcid2022:cc8819", "pcid2022:258a19", "pcid2022:eb8a19",
              "pcid2022:398b19", "pcid2022:d48919", "pcid2022:188e19"}  # fmt: skip


@pytest.fixture
async def mbot(db_url: str) -> AsyncIterator[MemoryBot]:
    MARKET.clear()
    async for bot in running(db_url):
        yield bot
    MARKET.clear()


async def _recent_market(bot: MemoryBot) -> None:
    """The seven real web-development listings, posted two days ago, stored and matched."""
    runtime = runtime_of(bot.app.bot_data)
    recent = utcnow() - timedelta(days=2)
    gigs = [replace(g, posted_at=recent) for g in micro_gigs() if g.external_id in WEB_TITLES]
    async with runtime.db.transaction() as session:
        rows = await GigRepo(session).upsert(gigs)
    await runtime.matcher.queue_alerts(rows)


def _sent_with_copy(calls: list[Call]) -> dict[str, Any]:
    [call] = [c for c in calls if c.method == "sendMessage"]
    return call.params


@pytest.mark.parametrize("lang", LANGS)
async def test_rates_from_stored_listings(mbot: MemoryBot, lang: str) -> None:
    user = 8101
    text = seen(await mbot.send(user, "/rates web development", language_code=lang))
    assert {"en": "Not enough data yet", "id": "Datanya belum cukup"}[lang] in text
    await _recent_market(mbot)
    text = seen(await mbot.send(user, "/rates bikin website", language_code=lang))
    # Hand computation in tests/unit/test_market_stats.py: median 1.250.000, middle half
    # 1.237.500–2.250.000, seven gigs from projects.co.id.
    assert "Rp1.250.000" in text and "Rp1.237.500 – Rp2.250.000" in text
    assert {"en": "7 gigs", "id": "7 proyek"}[lang] in text
    unknown = seen(await mbot.send(user, "/rates qwertyuiop", language_code=lang))
    assert {"en": "is not one of them", "id": "belum termasuk"}[lang] in unknown


@pytest.mark.parametrize("lang", LANGS)
async def test_draft_button_fills_the_template_and_applying_records_it(
    mbot: MemoryBot, lang: str
) -> None:
    user = 8102
    await _recent_market(mbot)
    await mbot.send(user, "/subscribe web development", language_code=lang)
    await mbot.send(user, "/portfolio https://ana.my.id/web web development", language_code=lang)
    bad = seen(await mbot.send(user, "/portfolio javascript:alert(1)", language_code=lang))
    assert {"en": "not a web link", "id": "bukan tautan web"}[lang] in bad
    [gig_id] = await deliver(mbot, user, ["Website <toko> & katalog"], WEB)
    card = seen(mbot.calls)
    assert {"en": "Below the usual", "id": "Di bawah kisaran biasa"}[lang] in card
    draft_calls = await mbot.press(user, button(mbot.calls, "✍️"), language_code=lang)
    params = _sent_with_copy(draft_calls)
    shown = seen(draft_calls)
    assert "Website <toko> & katalog" in shown  # escaped in HTML, shown as typed
    assert "&lt;toko&gt; &amp;" in params["text"]
    assert "{" not in shown and "https://ana.my.id/web" in shown
    assert {"en": "Hi there", "id": "Halo Kak"}[lang] in shown
    assert len(shown) <= MESSAGE_LIMIT
    rows = params["reply_markup"]["inline_keyboard"]
    copy = rows[0][0]["copy_text"]["text"]
    assert 0 < len(copy) <= 256 and shown.split("\n\n")[1].startswith(copy[:50])
    assert rows[1][0]["url"].startswith("https://")
    await mbot.press(user, f"ap:{gig_id}", language_code=lang)
    async with runtime_of(mbot.app.bot_data).db.transaction() as session:
        app = await TrackingRepo(session).for_gig(user, gig_id)
        assert app is not None and app.template == "b:web_development"
    listing = seen(await mbot.send(user, "/templates", language_code=lang))
    assert {"en": "used 1 · replies 0 · wins 0", "id": "dipakai 1 · dibalas 0 · menang 0"}[
        lang
    ] in listing


@pytest.mark.parametrize("lang", LANGS)
async def test_own_template_is_checked_and_used(mbot: MemoryBot, lang: str) -> None:
    user = 8103
    await mbot.send(user, "/subscribe web development", language_code=lang)
    refused = seen(
        await mbot.send(user, "/template web development: Hi {klien} {title}", language_code=lang)
    )
    assert "{klien}" in refused and "{portfolio}" in refused  # names the valid ones
    await mbot.send(
        user, "/template web development: Yo {client}! {title} / {budget}", language_code=lang
    )
    [gig_id] = await deliver(mbot, user, ["Landing page sederhana"], WEB)
    shown = seen(await mbot.press(user, f"dr:{gig_id}", language_code=lang))
    assert "Landing page sederhana / Rp150.000 – Rp500.000" in shown


@pytest.mark.parametrize("lang", LANGS)
async def test_rates_show_advice_from_the_users_own_record(mbot: MemoryBot, lang: str) -> None:
    user = 8104
    await _recent_market(mbot)  # web development: median Rp1.250.000
    await mbot.send(user, "/subscribe web development, logo design", language_code=lang)
    empty = seen(await mbot.send(user, "/rates web development", language_code=lang))
    assert {"en": "No decided bids for this skill yet", "id": "Belum ada penawaran"}[lang] in empty
    # Five web gigs (posted budget Rp150.000–Rp500.000) and one logo gig, all applied for.
    web = await deliver(mbot, user, [f"Website toko {n}" for n in range(5)], WEB)
    [logo] = await deliver(mbot, user, ["Desain logo kopi"])
    for gig_id in [*web, logo]:
        await mbot.press(user, f"ap:{gig_id}", language_code=lang)
    for command in ("/won 1 300rb", "/won 2 350rb", "/won 3 400rb", "/lost 4", "/lost 5"):
        await mbot.send(user, command, language_code=lang)
    await mbot.send(user, "/won 6 5jt", language_code=lang)  # logo design: not counted here
    text = seen(await mbot.send(user, "/rates web development", language_code=lang))
    market, own = text.split("👤")
    assert "Rp1.250.000" in market
    # Wins 300k, 350k, 400k: average 350k, 72% below 1.25M; losses count at the gig's 325k.
    expected = {
        "en": [
            "Win rate: 3 of 5 decided bids (60%)",
            "Your average agreed amount: Rp350.000 over 3 wins, 72% below the median Rp1.250.000",
            "You won 3 of your 5 most recent bids below the median: consider raising your "
            "price by 20%.",
            "How: your won and lost bids",
        ],
        "id": [
            "Persentase menang: 3 dari 5 penawaran",
            "Rata-rata nilai yang kamu sepakati: Rp350.000 dari 3 kemenangan, 72% di bawah "
            "median Rp1.250.000",
            "coba naikkan hargamu 20%.",
            "Cara menghitung:",
        ],
    }[lang]
    for part in expected:
        assert part in own, (part, own)
    assert "above the median;" not in own and "tidak satu pun menang" not in own
    assert len(text) <= MESSAGE_LIMIT


@pytest.mark.parametrize("lang", LANGS)
async def test_grouped_message_places_each_budget_in_the_market(mbot: MemoryBot, lang: str) -> None:
    user = 8105
    await _recent_market(mbot)
    await mbot.send(user, "/subscribe web development", language_code=lang)
    first, second, third = await deliver(mbot, user, ["Website A", "Website B", "Website C"], WEB)
    text = (await card_message(mbot, user, first))["text"]  # as the user reads it
    span = "Rp1.237.500 – Rp2.250.000"
    below = {
        "en": f"📈 Below the usual {span} for web development",
        "id": f"📈 Di bawah kisaran biasa {span} untuk pembuatan website",
    }[lang]
    assert text.startswith("📬") and text.count(below) == 3
    # A press redraws the message from the same cache: the lines stay, the status comes.
    await mbot.press(user, f"ap:{second}", language_code=lang)
    redrawn = (await card_message(mbot, user, third))["text"]
    assert redrawn.count(below) == 3 and {"en": "Applied", "id": "Sudah melamar"}[lang] in redrawn
