"""The dashboard's JSON API on the bot's own web server, on SQLite and PostgreSQL: initData
that proves nothing is refused with 401; valid initData reads and changes that user's rows
only; a move in the app changes the rows exactly as the chat's buttons and commands do."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from sqlalchemy import select

from bot.app.runtime import runtime_of
from bot.store.models import Application, Earning
from bot.ui.render import step_data
from tests.support.chat import deliver, seen
from tests.support.dashboard import DashboardBot, auth, dashboard_bot, init_data

pytestmark = pytest.mark.timeout(120)

ANA, BUDI = 8101, 8102
API = ("summary", "pipeline", "profile", "rates")


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[DashboardBot]:
    async with dashboard_bot(db_url, max_age_seconds=3600) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession,
    dash: DashboardBot,
    path: str,
    data: str | None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """One API request signed with `data` (None: no Authorization header)."""
    sent = dict(headers or (auth(data) if data is not None else {}))
    method = "POST" if body is not None else "GET"
    kwargs: dict[str, Any] = {"headers": sent}
    if isinstance(body, bytes):
        kwargs["data"] = body
    elif body is not None:
        kwargs["json"] = body
    async with http.request(method, f"{dash.base}/app/api/{path}", **kwargs) as response:
        if response.status == 401:
            assert response.headers.get("WWW-Authenticate") == "tma"
        return response.status, await response.json()


async def seed(dash: DashboardBot, user: int, skill: str, titles: list[str], earned: str) -> None:
    """Through the chat: a skill, income, and each gig alerted and marked applied."""
    bot = dash.bot
    await bot.send(user, "/start")
    await bot.send(user, f"/subscribe {skill}")
    await bot.send(user, f"/earned {earned}")
    for gig_id in await deliver(bot, user, titles):
        await bot.press(user, f"ap:{gig_id}")


async def rows(dash: DashboardBot, user: int) -> dict[int, Application]:
    """The user's applications by their number, as stored now."""
    async with runtime_of(dash.bot.app.bot_data).db.transaction() as session:
        found = await session.scalars(select(Application).where(Application.user_id == user))
        apps = list(found)
        for app in apps:
            session.expunge(app)
    return {app.number or 0: app for app in apps}


async def earnings_rows(dash: DashboardBot, user: int) -> list[Earning]:
    async with runtime_of(dash.bot.app.bot_data).db.transaction() as session:
        found = list(
            await session.scalars(
                select(Earning).where(Earning.user_id == user).order_by(Earning.id)
            )
        )
        for row in found:
            session.expunge(row)
    return found


def retitled(data: str, user_id: int) -> str:
    """Signed initData with the user swapped afterwards (the signature no longer fits)."""
    fields = dict(parse_qsl(data))
    fields["user"] = fields["user"].replace(f'"id":{ANA}', f'"id":{user_id}')
    return urlencode(fields)


async def test_init_data_that_proves_nothing_is_refused(
    dash: DashboardBot, http: aiohttp.ClientSession
) -> None:
    await seed(dash, ANA, "logo", ["Desain logo kopi"], "150rb")
    apps = await rows(dash, ANA)
    now = int(time.time())
    refused = {
        "forged": init_data(ANA, token="987654321:another-bots-token-abcdefghij"),
        "other-user": retitled(init_data(ANA), BUDI),
        "expired": init_data(ANA, auth_date=now - 3601),
        "malformed": "user=%7B%22id%22%3A8101%7D&hash=zz",
        "garbage": "%%%",
    }
    for path in API:
        status, body = await call(http, dash, path, None)
        assert (status, body) == (401, {"error": "unauthorized", "reason": "missing"})
        status, body = await call(http, dash, path, None, headers={"Authorization": "Bearer x"})
        assert (status, body["reason"]) == (401, "malformed")
        for name, data in refused.items():
            status, body = await call(http, dash, path, data)
            assert status == 401, name
            assert set(body) == {"error", "reason"}, name  # no user data at all
    step = f"applications/{apps[1].id}/step"
    for name, data in refused.items():
        status, _body = await call(http, dash, step, data, body={"to": "replied"})
        assert status == 401, name
    assert (await rows(dash, ANA))[1].status == "applied"
    # Within the configured age (one hour here) the same user's initData is accepted.
    status, body = await call(http, dash, "profile", init_data(ANA, auth_date=now - 3000))
    assert status == 200 and body["id"] == ANA


async def test_valid_init_data_returns_that_users_data_only(
    dash: DashboardBot, http: aiohttp.ClientSession
) -> None:
    await seed(dash, ANA, "logo", ["Desain logo kopi"], "150rb")
    await seed(dash, BUDI, "video", ["Edit video pernikahan", "Video reels"], "20 USD")
    for user, skill, titles, total in (
        (ANA, "logo", ["Desain logo kopi"], "Rp150.000"),
        (BUDI, "video", ["Edit video pernikahan", "Video reels"], "Rp332.000"),
    ):
        data = init_data(user)
        status, summary = await call(http, dash, "summary", data)
        assert status == 200 and summary["total"]["text"] == total
        earnings = seen(await dash.bot.send(user, "/earnings"))
        assert f"Total: {total}" in earnings
        assert summary["win_rate"]["applied"] == len(titles)
        status, pipeline = await call(http, dash, "pipeline", data)
        shown = [item["title"] for c in pipeline["columns"] for item in c["items"]]
        assert status == 200 and sorted(shown) == sorted(titles)
        status, profile = await call(http, dash, "profile", data)
        assert status == 200 and profile["id"] == user and profile["skills"] == [skill]


async def test_another_users_gig_cannot_be_moved(
    dash: DashboardBot, http: aiohttp.ClientSession
) -> None:
    await seed(dash, ANA, "logo", ["Desain logo kopi"], "150rb")
    await seed(dash, BUDI, "video", ["Edit video pernikahan"], "20 USD")
    budis = (await rows(dash, BUDI))[1]
    for target in ("applied", "replied", "lost"):
        status, body = await call(
            http, dash, f"applications/{budis.id}/step", init_data(ANA), body={"to": target}
        )
        assert status == 404 and body["error"] == "not_found"
        assert "Edit video" not in str(body)
    status, _body = await call(
        http, dash, "applications/999999/step", init_data(ANA), body={"to": "replied"}
    )
    assert status == 404
    after = (await rows(dash, BUDI))[1]
    assert (after.status, after.updated_at) == ("applied", budis.updated_at)


async def test_a_move_in_the_app_changes_the_rows_the_chat_changes(
    dash: DashboardBot, http: aiohttp.ClientSession
) -> None:
    bot = dash.bot
    await seed(dash, ANA, "logo", ["Desain logo kopi", "Logo toko roti"], "150rb")
    first, second = (await rows(dash, ANA))[1], (await rows(dash, ANA))[2]
    data = init_data(ANA)
    step = f"applications/{first.id}/step"

    # applied → replied: the app for #1, the /active list's button for #2.
    calls_before = len(bot.calls)
    status, body = await call(http, dash, step, data, body={"to": "replied"})
    assert status == 200 and body["moved"] is True
    assert body["message"] == "#1: the client replied. Fingers crossed!"
    assert body["application"]["status"] == "replied"
    assert body["application"]["next"]["status"] == "won"
    redrawn = [c for c in bot.calls[calls_before:] if c.method == "editMessageText"]
    assert len(redrawn) == 1 and "Replied" in (redrawn[0].text or "")  # the alert card
    await bot.press(ANA, step_data("a", second.id, "replied"))
    app_one, app_two = (await rows(dash, ANA))[1], (await rows(dash, ANA))[2]
    for app in (app_one, app_two):
        assert app.status == "replied" and app.replied_at is not None
        assert app.updated_at > first.updated_at

    # Pressing again, a step not reached yet, an unknown step, an unreadable body.
    status, body = await call(http, dash, step, data, body={"to": "replied"})
    assert (status, body["error"]) == (409, "same")
    assert body["message"] == "#1 is already marked “Replied”."
    status, body = await call(http, dash, step, data, body={"to": "paid", "amount": "1jt"})
    assert (status, body["error"]) == (409, "too_early")
    assert "not won yet" in body["message"]
    for bad in ({"to": "finished"}, {}, {"to": "won", "amount": 5}, b"{not json", b"[1]"):
        status, body = await call(http, dash, step, data, body=bad)
        assert status == 400, bad

    # replied → won needs an amount: unreadable ones move nothing, as in the chat.
    status, body = await call(http, dash, step, data, body={"to": "won", "amount": "lots"})
    assert (status, body["error"]) == (422, "input")
    assert body["message"].startswith("I could not read the amount.")
    assert (await rows(dash, ANA))[1].status == "replied"
    body_won = {"to": "won", "amount": "500rb", "deadline": "3 days"}
    status, body = await call(http, dash, step, data, body=body_won)
    assert status == 200 and body["application"]["budget"] == "Rp500.000"
    await bot.send(ANA, "/won 2 500rb 3 days")
    app_one, app_two = (await rows(dash, ANA))[1], (await rows(dash, ANA))[2]
    for app in (app_one, app_two):
        assert (app.status, app.agreed_amount, app.currency) == ("won", 500000, "IDR")
        assert app.reminders_sent == [] and app.won_at is not None
    assert app_one.deadline_at is not None and app_two.deadline_at is not None
    assert abs(app_one.deadline_at - app_two.deadline_at) < timedelta(minutes=1)

    # won → delivered → paid with a fee: the payment reaches /earnings the same way.
    status, _body = await call(http, dash, step, data, body={"to": "delivered"})
    assert status == 200
    await bot.send(ANA, "/delivered 2")
    paid = {"to": "paid", "amount": "500rb", "fee": "50rb"}
    status, body = await call(http, dash, step, data, body=paid)
    assert status == 200 and body["message"] == "💰 #1 paid: Rp450.000 added to /earnings."
    assert body["application"]["next"] is None
    await bot.send(ANA, "/paid 2 500rb fee 50rb")
    app_one, app_two = (await rows(dash, ANA))[1], (await rows(dash, ANA))[2]
    for app in (app_one, app_two):
        assert (app.status, app.received_amount, app.fee_amount) == ("paid", 450000, 50000)
        assert app.delivered_at is not None and app.paid_at is not None
        assert app.closed_at is not None
    linked = [e for e in await earnings_rows(dash, ANA) if e.application_id is not None]
    assert sorted((e.application_id, e.amount, e.currency) for e in linked) == [
        (app_one.id, 450000, "IDR"),
        (app_two.id, 450000, "IDR"),
    ]
    status, summary = await call(http, dash, "summary", data)
    assert summary["gigs_paid"] == 2 and summary["total"]["text"] == "Rp1.050.000"
    assert "Total: Rp1.050.000" in seen(await bot.send(ANA, "/earnings"))


async def test_pages_and_texts_are_served(dash: DashboardBot, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{dash.base}/app", allow_redirects=False) as response:
        assert response.status == 301 and response.headers["Location"] == "/app/"
    async with http.get(f"{dash.base}/app/") as response:
        assert response.status == 200 and response.content_type == "text/html"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert '<script src="app.js"' in await response.text()
    for name, kind in (("app.js", "javascript"), ("app.css", "text/css")):
        async with http.get(f"{dash.base}/app/{name}") as response:
            assert response.status == 200 and kind in response.content_type
    for path in ("/app/../bot/config.py", "/app/%2e%2e/bot/config.py", "/app/api/nothing"):
        async with http.get(f"{dash.base}{path}") as response:
            assert response.status in (403, 404), path
    async with http.get(f"{dash.base}/app/api/texts?lang=id") as response:
        texts = await response.json()
    assert texts["tab_pipeline"] == "Alur proyek" and texts["status_won"] == "Menang"
    async with http.get(f"{dash.base}/app/api/texts?lang=xx") as response:
        assert (await response.json())["tab_pipeline"] == "Pipeline"
    status, body = await call(http, dash, "summary?period=decade", init_data(ANA))
    assert status == 400 and body["error"] == "bad_period"


async def test_a_new_user_gets_an_empty_dashboard_in_their_language(
    dash: DashboardBot, http: aiohttp.ClientSession
) -> None:
    data = init_data(ANA, language="id")
    status, profile = await call(http, dash, "profile", data)
    assert status == 200 and (profile["language"], profile["skills"]) == ("id", [])
    status, summary = await call(http, dash, "summary?period=all", data)
    assert status == 200 and summary["total"]["text"] == "Rp0" and summary["win_rate"] is None
    status, pipeline = await call(http, dash, "pipeline", data)
    assert [c["label"] for c in pipeline["columns"]][:2] == ["Disimpan", "Sudah melamar"]
    assert all(c["items"] == [] for c in pipeline["columns"])


async def test_market_rates_are_what_rates_says_in_the_chat(
    dash: DashboardBot, http: aiohttp.ClientSession
) -> None:
    await seed(dash, ANA, "logo", ["Desain logo kopi"], "150rb")
    await dash.bot.send(ANA, "/subscribe desain logo")  # the same market skill: shown once
    await dash.bot.send(ANA, "/subscribe anyaman rotan")  # a skill with no market
    status, body = await call(http, dash, "rates", init_data(ANA))
    assert status == 200
    known = [entry for entry in body["skills"] if entry["known"]]
    unknown = [entry["skill"] for entry in body["skills"] if not entry["known"]]
    assert [entry["skill"] for entry in known] == ["logo"] and unknown == ["anyaman rotan"]
    chat = seen(await dash.bot.send(ANA, "/rates logo")).splitlines()
    assert [line["text"] for line in known[0]["lines"]] == [c.strip() for c in chat if c.strip()]
    assert known[0]["lines"][0]["strong"]
